"""The API documentation pages (the schema itself is drf-spectacular's view).

Token sign-in and sign-out live in accounts.api; the organisation directory (parks, departments,
officials) in enterprises.api.views, which owns the directory's read rule."""

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class RedocView(SpectacularRedocView):
    """Redoc served with local assets only.

    The stock template pulls fonts from Google (our template drops them), and Redoc's bundle
    shows a logo from cdn.redoc.ly: the Content-Security-Policy keeps the browser from asking
    for it (Redoc then hides the image), so the page makes no request outside the server.

    This page's policy replaces the site's (django-csp leaves a policy the view set): Redoc
    styles itself with styled-components, which inserts <style> elements at run time, so
    style-src needs 'unsafe-inline' here. Scripts stay 'self' only (plus the blob: worker Redoc
    starts for its search index); the page shows nothing but the API schema.
    """

    template_name = "api/redoc.html"
    content_security_policy = (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self' blob:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Content-Security-Policy"] = self.content_security_policy
        return response


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI with no inline script or style, for the Content-Security-Policy: the start-up
    script is a second request to this view (`?script`), the page's few style rules a static file."""

    template_name = "api/swagger_ui.html"
