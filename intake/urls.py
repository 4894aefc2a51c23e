from django.urls import path

from intake import views

app_name = "intake"
urlpatterns = [
    path("", views.candidate_list_view, name="list"),
    path("new/", views.candidate_create_view, name="create"),
    path("<int:pk>/", views.candidate_detail_view, name="detail"),
    path("<int:pk>/edit/", views.candidate_edit_view, name="edit"),
    path("<int:pk>/step/", views.candidate_step_view, name="step"),
    path("dispatch/", views.dispatch_view, name="dispatch"),
    path("dispatch/add/", views.dispatch_add_view, name="dispatch_add"),
    path("dispatch/<int:project_pk>/remove/", views.dispatch_remove_view, name="dispatch_remove"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template_view, name="import_template"),
    path("import/<int:pk>/", views.import_detail_view, name="import_detail"),
    path("import/<int:pk>/commit/", views.import_commit_view, name="import_commit"),
]
