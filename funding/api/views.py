"""API of funding: lines by project, year and source; policy funds sought. Querysets come from
funding.selectors (what the user may not see is a 404); writes are funding.services calls."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from core.api.permissions import WriteRule
from core.api.schema import write_responses
from core.api.viewsets import ServiceViewSet
from core.filters import IdFilter, YearParamFilter
from funding.api.serializers import (
    FundingLineSerializer,
    FundingLineSetSerializer,
    FundingLineUpdateSerializer,
    PolicySupportCreateSerializer,
    PolicySupportSerializer,
    PolicySupportUpdateSerializer,
)
from funding.models import FundingLine, PolicyStatus, PolicySupport, Source
from funding.permissions import can_edit_funding
from funding.selectors import funding_lines_visible_to, policy_supports_visible_to
from funding.services import (
    funding_line_delete,
    funding_line_set,
    policy_support_create,
    policy_support_delete,
    policy_support_update,
)
from projects.permissions import may_edit_projects

METHODS = ["get", "post", "patch", "delete", "head", "options"]
FUNDING_REFUSED = _("You may not change this project's funding.")


class FundingLineFilter(filters.FilterSet):
    project = IdFilter(field_name="project_id", help_text=_("Project id."))
    year = YearParamFilter()
    source = filters.ChoiceFilter(choices=Source.choices)

    class Meta:
        model = FundingLine
        fields = ["project", "year", "source"]


class PolicySupportFilter(filters.FilterSet):
    project = IdFilter(field_name="project_id", help_text=_("Project id."))
    status = filters.ChoiceFilter(choices=PolicyStatus.choices)

    class Meta:
        model = PolicySupport
        fields = ["project", "status"]


@extend_schema_view(
    list=extend_schema(summary=_("Funding lines")),
    retrieve=extend_schema(summary=_("A funding line")),
)
class FundingLineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Funds planned and received (in place) per project, year and source (万元)."""

    serializer_class = FundingLineSerializer
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    filterset_class = FundingLineFilter
    ordering_fields = ["year", "planned", "received"]
    ordering = ["-year", "project__code", "source"]
    http_method_names = METHODS
    write_rules = {
        "create": WriteRule(user=may_edit_projects, message=FUNDING_REFUSED),
        **dict.fromkeys(
            ["partial_update", "destroy"],
            WriteRule(
                user=may_edit_projects,
                obj=lambda user, line: can_edit_funding(user, line.project),
                message=FUNDING_REFUSED,
            ),
        ),
    }

    def get_queryset(self):
        return funding_lines_visible_to(self.request.user)

    @extend_schema(
        summary=_("Set a source of funds for a year"),
        description=_(
            "Creates the line (201), or changes the one the project already has for that year and source (200)."
        ),
        request=FundingLineSetSerializer,
        responses={**write_responses(201, FundingLineSerializer, detail=False), 200: FundingLineSerializer},
    )
    def create(self, request):
        data = self.validated(FundingLineSetSerializer)
        existed = FundingLine.objects.filter(project=data["project"], year=data["year"], source=data["source"]).exists()
        line = funding_line_set(by=request.user, **data)
        return self.respond(line, status_code=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a funding line"),
        request=FundingLineUpdateSerializer(partial=True),
        responses=write_responses(200, FundingLineSerializer),
    )
    def partial_update(self, request, pk=None):
        line = self.get_object()
        data = self.validated(FundingLineUpdateSerializer, partial=True)
        data.setdefault("planned", line.planned)
        data.setdefault("received", line.received)
        data.setdefault("note", line.note)
        line = funding_line_set(project=line.project, year=line.year, source=line.source, by=request.user, **data)
        return self.respond(line)

    @extend_schema(summary=_("Delete a funding line"), responses=write_responses(204, None))
    def destroy(self, request, pk=None):
        funding_line_delete(line=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary=_("Policy funds sought")),
    retrieve=extend_schema(summary=_("A policy fund sought")),
)
class PolicySupportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Policy funds sought for projects (争取政策资金) and their status."""

    serializer_class = PolicySupportSerializer
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    filterset_class = PolicySupportFilter
    ordering_fields = ["created_at", "amount_sought", "applied_on"]
    ordering = ["-created_at", "-id"]
    http_method_names = METHODS
    write_rules = {
        "create": WriteRule(user=may_edit_projects, message=FUNDING_REFUSED),
        **dict.fromkeys(
            ["partial_update", "destroy"],
            WriteRule(
                user=may_edit_projects,
                obj=lambda user, policy: can_edit_funding(user, policy.project),
                message=FUNDING_REFUSED,
            ),
        ),
    }

    def get_queryset(self):
        return policy_supports_visible_to(self.request.user)

    @extend_schema(
        summary=_("Record a policy fund sought"),
        request=PolicySupportCreateSerializer,
        responses=write_responses(201, PolicySupportSerializer, detail=False),
    )
    def create(self, request):
        policy = policy_support_create(by=request.user, **self.validated(PolicySupportCreateSerializer))
        return self.respond(policy, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a policy fund sought"),
        request=PolicySupportUpdateSerializer(partial=True),
        responses=write_responses(200, PolicySupportSerializer),
    )
    def partial_update(self, request, pk=None):
        policy = self.get_object()
        data = self.validated(PolicySupportUpdateSerializer, partial=True)
        return self.respond(policy_support_update(policy=policy, by=request.user, **data))

    @extend_schema(summary=_("Delete a policy fund sought"), responses=write_responses(204, None))
    def destroy(self, request, pk=None):
        policy_support_delete(policy=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
