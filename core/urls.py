from django.urls import path

from core import views

urlpatterns = [
    path("", views.home, name="home"),
    # Uploaded files have no open URL: each is served by its object's view after the object's
    # permission check (core.files.file_response).
]
