from django.urls import path

from campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list_view, name="list"),
    path("new/", views.campaign_create_view, name="create"),
    path("<int:pk>/", views.campaign_detail_view, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit_view, name="edit"),
    path("<int:pk>/reminders/", views.campaign_policy_view, name="policy"),
    path("<int:pk>/plan/", views.campaign_plan_view, name="plan"),
    path("<int:pk>/plan/projects/", views.campaign_add_projects_view, name="plan_add_projects"),
    path("<int:pk>/plan/projects/<int:project_pk>/remove/", views.campaign_remove_project_view, name="plan_remove"),
    path("<int:pk>/plan/projects/<int:project_pk>/assign/", views.campaign_assign_view, name="plan_assign"),
    path("<int:pk>/plan/milestones/", views.campaign_milestone_add_view, name="plan_milestone_add"),
    path(
        "<int:pk>/plan/milestones/<int:milestone_pk>/", views.campaign_milestone_edit_view, name="plan_milestone_edit"
    ),
    path("<int:pk>/plan/paste/", views.campaign_paste_view, name="plan_paste"),
    path("<int:pk>/plan/template/", views.campaign_template_view, name="plan_template"),
]
