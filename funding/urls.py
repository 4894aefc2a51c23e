from django.urls import path

from funding import views

app_name = "funding"
urlpatterns = [
    path("", views.funding_list_view, name="list"),
    path("projects/<int:pk>/", views.project_funding_view, name="project"),
    path("projects/<int:pk>/lines/", views.funding_line_set_view, name="line_set"),
    path("lines/<int:line_pk>/delete/", views.funding_line_delete_view, name="line_delete"),
    path("projects/<int:pk>/policies/", views.policy_create_view, name="policy_create"),
    path("policies/<int:policy_pk>/", views.policy_update_view, name="policy_update"),
    path("policies/<int:policy_pk>/delete/", views.policy_delete_view, name="policy_delete"),
]
