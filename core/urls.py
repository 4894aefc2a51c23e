from django.urls import path, re_path

from core import views

urlpatterns = [
    path("", views.home, name="home"),
    # Uploaded photos and evidence are for logged-in users only, also in production.
    re_path(r"^media/(?P<path>.*)$", views.media, name="media"),
]
