from django.urls import path

from approvals import views

app_name = "approvals"
urlpatterns = [
    path("", views.item_list_view, name="list"),
    path("departments/", views.departments_view, name="departments"),
    path("projects/<int:pk>/", views.project_approvals_view, name="project"),
    path("projects/<int:pk>/checklist/", views.checklist_generate_view, name="checklist"),
    path("items/<int:pk>/", views.item_view, name="item"),
    path("items/<int:pk>/steps/<slug:action>/", views.item_step_view, name="step"),
    path("items/<int:pk>/update/", views.item_update_view, name="update"),
    path("items/<int:pk>/documents/", views.document_add_view, name="document_add"),
    path("documents/<int:doc_pk>/", views.document_view, name="document"),
    path("documents/<int:doc_pk>/delete/", views.document_delete_view, name="document_delete"),
]
