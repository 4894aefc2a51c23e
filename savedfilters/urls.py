from django.urls import path

from savedfilters import views

app_name = "savedfilters"
urlpatterns = [
    path("", views.save_view, name="save"),
    path("<int:pk>/delete/", views.delete_view, name="delete"),
]
