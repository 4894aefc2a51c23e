"""/api/v1/dashboard/… and /api/v1/oc4ids/… (included by projects_tracker.api_urls)."""

from django.urls import path

from dashboards.api import views

urlpatterns = [
    path("dashboard/summary/", views.DashboardSummaryView.as_view(), name="api-dashboard-summary"),
    path("dashboard/health/", views.DashboardHealthView.as_view(), name="api-dashboard-health"),
    path("dashboard/league/", views.LeagueSnapshotListView.as_view(), name="api-dashboard-league"),
    path("dashboard/league/<int:pk>/", views.LeagueSnapshotDetailView.as_view(), name="api-dashboard-league-detail"),
    path("dashboard/chains/", views.ChainMapView.as_view(), name="api-dashboard-chains"),
    path("dashboard/map/", views.MapView.as_view(), name="api-dashboard-map"),
    path("dashboard/briefing/", views.BriefingView.as_view(), name="api-dashboard-briefing"),
    path("oc4ids/projects/", views.OC4IDSProjectListView.as_view(), name="api-oc4ids-projects"),
    path("oc4ids/projects/<int:pk>/", views.OC4IDSProjectDetailView.as_view(), name="api-oc4ids-project"),
]
