from django.urls import path

from campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list_view, name="list"),
    path("new/", views.campaign_create_view, name="create"),
    path("<int:pk>/", views.campaign_detail_view, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit_view, name="edit"),
    path("<int:pk>/reminders/", views.campaign_policy_view, name="policy"),
]
