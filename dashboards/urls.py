from django.urls import path

from dashboards import audit, views

app_name = "dashboards"
urlpatterns = [
    path("", views.cockpit_view, name="cockpit"),
    path("audit/", audit.audit_view, name="audit"),
    path("audit.xlsx", audit.audit_export_view, name="audit_export"),
    path("wall/", views.wall_view, name="wall"),
    path("wall.json", views.wall_data_view, name="wall_data"),
    path("drill/<slug:figure>/", views.drill_view, name="drill"),
    path("export/<slug:kind>.xlsx", views.export_view, name="export"),
    path("chains/", views.chain_map_view, name="chains"),
    path("map/", views.map_view, name="map"),
    path("briefing/", views.briefing_view, name="briefing"),
    path("briefing.xlsx", views.briefing_xlsx_view, name="briefing_xlsx"),
    path("league/", views.league_view, name="league"),
    path("league/publish/", views.league_publish_view, name="league_publish"),
    path("league/<int:pk>/", views.league_detail_view, name="league_detail"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template_view, name="import_template"),
    path("import/<int:pk>/", views.import_detail_view, name="import_detail"),
    path("import/<int:pk>/commit/", views.import_commit_view, name="import_commit"),
]
