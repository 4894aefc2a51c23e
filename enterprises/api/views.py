"""API of the directory: enterprises, industry chains and service teams, and the organisation
(parks, departments, officials), read by every user with a role (enterprises.permissions)."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.filters import OrderingFilter

from core.api.filters import DIRECTORY_BACKENDS
from core.api.permissions import WriteRule
from core.api.schema import write_responses
from core.api.serializers import DepartmentSerializer, OfficialSerializer, ParkSerializer
from core.api.viewsets import ServiceViewSet
from core.models import Department, Official, Park
from enterprises.api.serializers import ChainSerializer, EnterpriseSerializer, ServiceTeamSerializer
from enterprises.api.validators import EnterpriseInputSerializer
from enterprises.filters import DepartmentFilter, EnterpriseFilter, OfficialFilter
from enterprises.permissions import can_manage_directory, can_view_directory
from enterprises.selectors import chains_visible_to, enterprises_visible_to, service_teams_visible_to
from enterprises.services import enterprise_create, enterprise_update


@extend_schema_view(
    list=extend_schema(summary=_("Enterprises")),
    retrieve=extend_schema(summary=_("An enterprise")),
)
class EnterpriseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """The enterprise directory: everyone with a role reads it; the supervision office writes it."""

    serializer_class = EnterpriseSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = EnterpriseFilter
    ordering_fields = ["name", "credit_code", "created_at", "updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    write_rules = dict.fromkeys(
        ["create", "partial_update"],
        WriteRule(
            user=can_manage_directory, message=_("Only the supervision office may change the enterprise directory.")
        ),
    )

    def get_queryset(self):
        return enterprises_visible_to(self.request.user)

    @extend_schema(
        summary=_("Add an enterprise"),
        request=EnterpriseInputSerializer,
        responses=write_responses(201, EnterpriseSerializer, detail=False),
    )
    def create(self, request):
        enterprise = enterprise_create(by=request.user, **self.validated(EnterpriseInputSerializer))
        return self.respond(enterprise, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change an enterprise"),
        request=EnterpriseInputSerializer(partial=True),
        responses=write_responses(200, EnterpriseSerializer),
    )
    def partial_update(self, request, pk=None):
        enterprise = self.get_object()
        data = self.validated(EnterpriseInputSerializer, partial=True)
        return self.respond(enterprise_update(enterprise=enterprise, by=request.user, **data))


@extend_schema_view(
    list=extend_schema(summary=_("Industry chains with their segments")),
    retrieve=extend_schema(summary=_("An industry chain")),
)
class ChainViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ChainSerializer
    filter_backends = DIRECTORY_BACKENDS
    search_fields = ["name"]
    ordering_fields = ["sort_order", "name"]

    def get_queryset(self):
        return chains_visible_to(self.request.user)


@extend_schema_view(list=extend_schema(summary=_("Service teams")), retrieve=extend_schema(summary=_("A service team")))
class ServiceTeamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ServiceTeamSerializer
    filter_backends = DIRECTORY_BACKENDS
    search_fields = ["name"]
    ordering_fields = ["name"]

    def get_queryset(self):
        return service_teams_visible_to(self.request.user)


# --- The organisation directory ------------------------------------------------------------------


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
    filterset_class = DepartmentFilter
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
