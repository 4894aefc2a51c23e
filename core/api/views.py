"""The read-only organisation directory (parks, departments, officials) and the API docs pages.

Token sign-in and sign-out live in accounts.api."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework import viewsets

from core.api.filters import DIRECTORY_BACKENDS, OfficialFilter
from core.api.serializers import DepartmentSerializer, OfficialSerializer, ParkSerializer
from core.models import Department, Official, Park
from enterprises.permissions import can_view_directory


class DirectoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only directory lists, open to every user with a role."""

    def get_queryset(self):
        if not can_view_directory(self.request.user):
            return self.queryset.none()
        return self.queryset


@extend_schema_view(list=extend_schema(summary=_("Parks")), retrieve=extend_schema(summary=_("A park")))
class ParkViewSet(DirectoryViewSet):
    queryset = Park.objects.select_related("committee")
    serializer_class = ParkSerializer
    filter_backends = DIRECTORY_BACKENDS
    search_fields = ["name", "short_name"]
    ordering_fields = ["sort_order", "name"]


@extend_schema_view(list=extend_schema(summary=_("Departments")), retrieve=extend_schema(summary=_("A department")))
class DepartmentViewSet(DirectoryViewSet):
    queryset = Department.objects.all()
    serializer_class = DepartmentSerializer
    filter_backends = DIRECTORY_BACKENDS
    filterset_fields = ["kind"]
    search_fields = ["name", "short_name"]
    ordering_fields = ["sort_order", "name"]


@extend_schema_view(
    list=extend_schema(summary=_("Officials (directory)")), retrieve=extend_schema(summary=_("An official"))
)
class OfficialViewSet(DirectoryViewSet):
    """Who is who, to pick a responsible official or leader; no contact details."""

    queryset = Official.objects.select_related("department")
    serializer_class = OfficialSerializer
    filter_backends = DIRECTORY_BACKENDS
    filterset_class = OfficialFilter
    search_fields = ["name", "title"]
    ordering_fields = ["name"]


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
