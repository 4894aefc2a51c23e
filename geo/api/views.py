"""API of locations: a project's point and site outline, a park's boundary. Addressed by the
project's or the park's id; reads are scoped by geo.selectors, writes are geo.services calls."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from core.api.permissions import WriteRule
from core.api.schema import write_responses
from core.api.viewsets import ServiceViewSet
from geo.api.serializers import (
    ParkBoundaryInputSerializer,
    ParkBoundarySerializer,
    ProjectLocationInputSerializer,
    ProjectLocationSerializer,
)
from geo.permissions import can_set_location, can_set_park_boundary
from geo.selectors import boundaries_visible_to, locations_visible_to, parks_with_boundaries
from geo.services import park_boundary_clear, park_boundary_set, project_location_clear, project_location_set
from projects.permissions import may_edit_projects
from projects.selectors import projects_visible_to

METHODS = ["get", "put", "delete", "head", "options"]


@extend_schema_view(
    list=extend_schema(summary=_("Project locations")),
    retrieve=extend_schema(summary=_("A project's location")),
)
class ProjectLocationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Where projects are: a point (WGS-84, with its GCJ-02 equivalent) and the site outline."""

    serializer_class = ProjectLocationSerializer
    lookup_field = "project"
    lookup_value_regex = r"\d+"
    filter_backends = []
    http_method_names = METHODS
    write_rules = dict.fromkeys(
        ["update", "destroy"],
        WriteRule(
            user=may_edit_projects, obj=can_set_location, message=_("You may not change this project's location.")
        ),
    )

    def get_queryset(self):
        return locations_visible_to(self.request.user).order_by("project__code")

    def respond(self, instance, *, status_code: int = status.HTTP_200_OK) -> Response:
        instance = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(instance).data, status=status_code)

    @extend_schema(
        summary=_("Place a project"),
        description=_("Coordinates in WGS-84 or GCJ-02 (`datum`), stored in WGS-84. Replaces the location."),
        request=ProjectLocationInputSerializer,
        responses=write_responses(200, ProjectLocationSerializer),
    )
    def update(self, request, project=None):
        target = get_object_or_404(projects_visible_to(request.user), pk=project)
        self.check_object_permissions(request, target)
        location = project_location_set(
            project=target, by=request.user, **self.validated(ProjectLocationInputSerializer)
        )
        return self.respond(location)

    @extend_schema(summary=_("Remove a project's location"), responses=write_responses(204, None))
    def destroy(self, request, project=None):
        target = get_object_or_404(projects_visible_to(request.user), pk=project)
        self.check_object_permissions(request, target)
        project_location_clear(project=target, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary=_("Park boundaries")),
    retrieve=extend_schema(summary=_("A park's boundary")),
)
class ParkBoundaryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """The parks' boundaries (GeoJSON, WGS-84), drawn by the supervision office or the park committee."""

    serializer_class = ParkBoundarySerializer
    lookup_field = "park"
    lookup_value_regex = r"\d+"
    filter_backends = []
    http_method_names = METHODS
    write_rules = dict.fromkeys(
        ["update", "destroy"],
        WriteRule(
            user=may_edit_projects,
            obj=can_set_park_boundary,
            message=_("Only the supervision office and the park committee may draw the park's boundary."),
        ),
    )

    def get_queryset(self):
        return boundaries_visible_to(self.request.user).order_by("park__sort_order", "park__name")

    def respond(self, instance, *, status_code: int = status.HTTP_200_OK) -> Response:
        instance = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(instance).data, status=status_code)

    @extend_schema(
        summary=_("Draw a park's boundary"),
        request=ParkBoundaryInputSerializer,
        responses=write_responses(200, ParkBoundarySerializer),
    )
    def update(self, request, park=None):
        target = get_object_or_404(parks_with_boundaries(request.user), pk=park)
        self.check_object_permissions(request, target)
        boundary = park_boundary_set(park=target, by=request.user, **self.validated(ParkBoundaryInputSerializer))
        return self.respond(boundary)

    @extend_schema(summary=_("Remove a park's boundary"), responses=write_responses(204, None))
    def destroy(self, request, park=None):
        target = get_object_or_404(parks_with_boundaries(request.user), pk=park)
        self.check_object_permissions(request, target)
        park_boundary_clear(park=target, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
