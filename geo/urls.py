from django.urls import path

from geo import views

app_name = "geo"
urlpatterns = [
    path("projects/<int:pk>/location/", views.project_location_view, name="project_location"),
    path("projects/<int:pk>/location/clear/", views.project_location_clear_view, name="project_location_clear"),
    path("parks/", views.park_list_view, name="parks"),
    path("parks/<int:pk>/boundary/", views.park_boundary_view, name="park_boundary"),
]
