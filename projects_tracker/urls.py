from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.api.views import RedocView
from issues.urls import visit_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("projects_tracker.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="api-redoc"),
    path("", include("core.urls")),
    path("projects/", include("projects.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("issues/", include("issues.urls")),
    path("visits/", include(visit_urlpatterns)),
    path("notifications/", include("notifications.urls")),
    path("campaigns/", include("notifications.campaign_urls")),
    path("dashboard/", include("dashboards.urls")),
    path("intake/", include("intake.urls")),
    path("funding/", include("funding.urls")),
    path("geo/", include("geo.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
