from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from accounts.urls import login_urlpatterns
from core.api.views import RedocView, SwaggerView
from issues.urls import visit_urlpatterns

urlpatterns = [
    path("", include("ops.urls")),  # /healthz, /readyz, /metrics
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("projects_tracker.api_urls")),
    # The schema answers 401 to anonymous API clients; the docs pages send browsers to the login page.
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", login_required(SwaggerView.as_view(url_name="schema")), name="api-docs"),
    path("api/redoc/", login_required(RedocView.as_view(url_name="schema")), name="api-redoc"),
    path("", include(login_urlpatterns)),
    path("account/", include("accounts.urls")),
    path("saved-filters/", include("savedfilters.urls")),
    path("", include("core.urls")),
    path("projects/", include("projects.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("issues/", include("issues.urls")),
    path("visits/", include(visit_urlpatterns)),
    path("notifications/", include("notifications.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("intake/", include("intake.urls")),
    path("funding/", include("funding.urls")),
    path("geo/", include("geo.urls")),
    path("approvals/", include("approvals.urls")),
]

# An outage (database or broker unreachable) answers 503 rather than 500 (ops.outage).
handler500 = "ops.views.server_error"
# Under /api/ a URL that matches no endpoint is the API's JSON 404, not the HTML page.
handler404 = "core.views.page_not_found"
