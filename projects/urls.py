from django.urls import path

from projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list_view, name="list"),
    path("<int:pk>/", views.project_detail_view, name="detail"),
    path("<int:pk>/stage/", views.project_change_stage_view, name="change_stage"),
    path("<int:pk>/reports/", views.progress_report_submit_view, name="submit_report"),
    path("<int:pk>/reports/<int:report_pk>/correct/", views.progress_report_correct_view, name="correct_report"),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/complete/",
        views.milestone_complete_view,
        name="complete_milestone",
    ),
    path("photos/<int:pk>/", views.report_photo_view, name="report_photo"),
    path("milestones/<int:pk>/evidence/", views.milestone_evidence_view, name="milestone_evidence"),
]
