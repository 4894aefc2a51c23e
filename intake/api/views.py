"""API of intake: candidates and their steps (intake.workflow), the yearly dispatch list.
Querysets come from intake.selectors (an invisible candidate is a 404); writes are
intake.services calls."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from core.api.permissions import WriteRule
from core.api.schema import CONFLICT, NOT_FOUND, write_responses
from core.api.viewsets import ServiceViewSet
from core.filters import IdFilter, YearParamFilter
from intake.api.serializers import (
    CandidateCreateSerializer,
    CandidateEventSerializer,
    CandidateSerializer,
    CandidateStepSerializer,
    CandidateUpdateSerializer,
    DispatchAddSerializer,
    DispatchEntrySerializer,
    DispatchRemoveSerializer,
)
from intake.filters import CandidateFilter
from intake.models import DispatchEntry
from intake.permissions import can_manage_dispatch, can_submit, can_take_steps, is_submitter
from intake.selectors import candidate_events, candidates_visible_to
from intake.services import candidate_create, candidate_transition, candidate_update, dispatch_add, dispatch_remove
from projects.selectors import projects_visible_to


@extend_schema_view(
    list=extend_schema(summary=_("Candidate projects")),
    retrieve=extend_schema(summary=_("A candidate project")),
)
class CandidateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Candidate projects (申报) on their way into the project library (入库)."""

    serializer_class = CandidateSerializer
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    filterset_class = CandidateFilter
    ordering_fields = ["created_at", "submitted_at", "total_investment"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    write_rules = {
        "create": WriteRule(
            user=can_submit,
            message=_("Only park committees, departments and the supervision office submit projects."),
        ),
        "partial_update": WriteRule(
            user=can_submit, obj=is_submitter, message=_("Only the submitting unit may change this candidate.")
        ),
        "step": WriteRule(
            user=can_submit,
            obj=can_take_steps,
            message=_("You may not take a step on this candidate."),
        ),
    }

    def get_queryset(self):
        return candidates_visible_to(self.request.user)

    @extend_schema(
        summary=_("Submit a candidate project"),
        description=_("A draft, or submitted for review at once with `submit`."),
        request=CandidateCreateSerializer,
        responses=write_responses(201, CandidateSerializer, detail=False),
    )
    def create(self, request):
        candidate = candidate_create(by=request.user, **self.validated(CandidateCreateSerializer))
        return self.respond(candidate, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a draft or returned candidate"),
        request=CandidateUpdateSerializer(partial=True),
        responses={**write_responses(200, CandidateSerializer), 409: CONFLICT},
    )
    def partial_update(self, request, pk=None):
        candidate = self.get_object()
        data = self.validated(CandidateUpdateSerializer, partial=True)
        return self.respond(candidate_update(candidate=candidate, by=request.user, **data))

    @extend_schema(
        summary=_("Take a step: submit, return, reject, approve, withdraw"),
        description=_(
            "Returning and rejecting need a note; approving needs the level and creates the project in the library."
        ),
        request=CandidateStepSerializer,
        responses={**write_responses(200, CandidateSerializer), 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        candidate = self.get_object()
        data = self.validated(CandidateStepSerializer)
        return self.respond(candidate_transition(candidate=candidate, by=request.user, **data))

    @extend_schema(
        summary=_("The candidate's steps"), responses={200: CandidateEventSerializer(many=True), 404: NOT_FOUND}
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        return Response(CandidateEventSerializer(candidate_events(candidate=self.get_object()), many=True).data)


class DispatchFilter(filters.FilterSet):
    year = YearParamFilter()
    project = IdFilter(field_name="project_id", help_text=_("Project id."))

    class Meta:
        model = DispatchEntry
        fields = ["year", "project"]


@extend_schema_view(
    list=extend_schema(summary=_("Dispatch list entries")),
    retrieve=extend_schema(summary=_("A dispatch list entry")),
)
class DispatchEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """The projects on each year's dispatch list (调度库)."""

    serializer_class = DispatchEntrySerializer
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    filterset_class = DispatchFilter
    ordering_fields = ["year", "added_at"]
    ordering = ["-year", "project__code"]
    http_method_names = ["get", "post", "head", "options"]
    write_rules = dict.fromkeys(
        ["create", "remove"],
        WriteRule(user=can_manage_dispatch, message=_("Only the supervision office manages the dispatch list.")),
    )

    def get_queryset(self):
        return DispatchEntry.objects.filter(
            project__in=projects_visible_to(self.request.user).values("pk")
        ).select_related("project", "added_by__official")

    @extend_schema(
        summary=_("Put a project on a year's dispatch list"),
        request=DispatchAddSerializer,
        responses={**write_responses(201, DispatchEntrySerializer, detail=False), 409: CONFLICT},
    )
    def create(self, request):
        entry = dispatch_add(by=request.user, **self.validated(DispatchAddSerializer))
        return self.respond(entry, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Take a project off the dispatch list"),
        request=DispatchRemoveSerializer,
        responses={**write_responses(204, None), 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        entry = self.get_object()
        dispatch_remove(
            project=entry.project, year=entry.year, by=request.user, **self.validated(DispatchRemoveSerializer)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
