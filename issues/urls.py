"""Browser URLs: issues under /issues/ (namespace "issues") and site visits under /visits/
(namespace "visits"); projects_tracker/urls.py includes both."""

from django.urls import path

from issues import views

app_name = "issues"
urlpatterns = [
    path("", views.issue_home_view, name="home"),
    path("all/", views.issue_list_view, name="list"),
    path("queue/", views.issue_queue_view, name="queue"),
    path("new/", views.issue_create_view, name="new"),
    path("enterprises/suggest/", views.enterprise_suggest_view, name="enterprise_suggest"),
    path("handlers/", views.handlers_view, name="handlers"),
    path("bulk/", views.issue_bulk_view, name="bulk"),
    path("<int:pk>/", views.issue_detail_view, name="detail"),
    path("<int:pk>/actions/<slug:action>/", views.issue_action_view, name="action"),
    path("photos/<int:pk>/", views.issue_photo_view, name="photo"),
]

visit_urlpatterns = (
    [
        path("", views.visit_list_view, name="list"),
        path("new/", views.visit_create_view, name="new"),
        path("<int:pk>/", views.visit_detail_view, name="detail"),
        path("<int:pk>/sheet/", views.visit_sheet_view, name="sheet"),
    ],
    "visits",
)
