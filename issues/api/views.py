"""API of enterprise issues, their workflow and timeline, site visits, and the time-limit table.

Every queryset comes from issues.selectors (what the user may not see is a 404); every write is
one call of an issues.services function, which checks the permission and the rules. Each
workflow action of issues.workflow is its own endpoint, POST /issues/{id}/{action}/, generated
from the table so the API cannot drift from it.
"""

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api.permissions import WriteRule
from core.api.schema import CONFLICT, NOT_FOUND, write_responses
from core.api.viewsets import ServiceViewSet
from issues import workflow
from issues.api.serializers import (
    IssueDetailSerializer,
    IssueEventSerializer,
    IssueListSerializer,
    IssueMeasuresSerializer,
    Open311Serializer,
    TimeLimitRuleSerializer,
    VisitDetailSerializer,
    VisitSerializer,
)
from issues.api.validators import (
    TRANSITION_SERIALIZERS,
    IssueCreateSerializer,
    MeasuresParamsSerializer,
    TimeLimitRuleUpdateSerializer,
    VisitCreateSerializer,
)
from issues.filters import IssueFilter
from issues.models import Issue, Visit
from issues.permissions import can_manage_time_limits, can_record_visit, can_transition, may_raise_issues
from issues.selectors import (
    issue_measures,
    issue_measures_total,
    issue_queue,
    issue_timeline,
    issues_visible_to,
    time_limit_rules_visible_to,
    visit_instructions,
    visits_visible_to,
    with_list_data,
    with_visit_data,
)
from issues.services import issue_create, issue_transition, time_limit_rule_update, visit_create

UPLOAD_PARSERS = [JSONParser, MultiPartParser, FormParser]


def _description(transition) -> str:
    return gettext("Allowed from: %(states)s.") % {"states": ", ".join(sorted(transition.from_states))}


# Lazy: the schema is rendered in the language of its request, long after import.
description = lazy(_description, str)


def _transition_endpoint(name: str):
    """POST /issues/{id}/<name>/ with the action's own request serializer (issues.api.validators)."""
    transition = workflow.TRANSITIONS[name]

    def endpoint(self, request, pk=None):
        return self.transition(request, name)

    endpoint.__name__ = f"action_{name}"
    endpoint = action(detail=True, methods=["post"], url_path=name, url_name=name)(endpoint)
    # After @action, which replaces the function's kwargs where the schema is kept.
    return extend_schema(
        summary=transition.label,
        description=description(transition),
        request=TRANSITION_SERIALIZERS[name],
        responses={**write_responses(200, IssueDetailSerializer), 409: CONFLICT},
    )(endpoint)


@extend_schema_view(
    list=extend_schema(summary=_("Issues")),
    retrieve=extend_schema(summary=_("An issue")),
)
class IssueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Enterprise issues the user may see; transitions as POST actions named after the workflow."""

    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = IssueFilter
    ordering_fields = [
        "raised_at",
        "current_deadline",
        "response_deadline",
        "resolution_deadline",
        "urgency",
        "status",
        "updated_at",
    ]
    ordering = ["-raised_at", "-id"]
    parser_classes = UPLOAD_PARSERS
    # Each workflow action's rule is its row's actors (added with the endpoints below).
    write_rules = {
        "create": WriteRule(
            user=may_raise_issues,
            message=_("You can log issues only for enterprises your service team serves."),
        ),
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Issue.objects.none()
        qs = with_list_data(issues_visible_to(self.request.user))
        if self.action not in ("list", "queue", "measures"):
            qs = qs.select_related("blocks_milestone__project").prefetch_related("photos")
        return qs

    def get_serializer_class(self):
        return IssueListSerializer if self.action in ("list", "queue") else IssueDetailSerializer

    def respond(self, instance, *, status_code: int = status.HTTP_200_OK) -> Response:
        # After a return the department may no longer see the issue: show it to the actor anyway.
        qs = self.get_queryset()
        if not qs.filter(pk=instance.pk).exists():
            qs = with_list_data(Issue.objects.all()).prefetch_related("photos")
        return Response(
            IssueDetailSerializer(qs.get(pk=instance.pk), context=self.get_serializer_context()).data,
            status=status_code,
        )

    @extend_schema(
        summary=_("Raise an issue"),
        description=_("JSON, or multipart/form-data with photos. Leaders and supervisors may give an instruction."),
        request={"application/json": IssueCreateSerializer, "multipart/form-data": IssueCreateSerializer},
        responses=write_responses(201, IssueDetailSerializer, detail=False),
    )
    def create(self, request):
        issue = issue_create(by=request.user, **self.validated(IssueCreateSerializer))
        return self.respond(issue, status_code=status.HTTP_201_CREATED)

    def transition(self, request, name: str) -> Response:
        issue = self.get_object()
        data = self.validated(TRANSITION_SERIALIZERS[name])
        version = data.pop("version")
        note = data.pop("note", "")
        issue = issue_transition(issue=issue, action=name, by=request.user, note=note, expected_version=version, **data)
        return self.respond(issue)

    @extend_schema(
        summary=_("The issue's timeline"),
        responses={200: IssueEventSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        return Response(IssueEventSerializer(issue_timeline(issue=self.get_object()), many=True).data)

    @extend_schema(
        summary=_("The issue as an Open311 service request"),
        responses={200: Open311Serializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def open311(self, request, pk=None):
        return Response(Open311Serializer(self.get_object()).data)

    @extend_schema(summary=_("Waiting for me (overdue first)"), responses=IssueListSerializer(many=True))
    @action(detail=False, methods=["get"], filter_backends=[])
    def queue(self, request):
        page = self.paginate_queryset(issue_queue(user=request.user))
        return self.get_paginated_response(
            IssueListSerializer(page, many=True, context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary=_("Measures per department, park or category"),
        description=_(
            "Over the issues visible to the user raised between start and end. Rates are fractions; "
            "null when the denominator is empty. The row with key null is the total."
        ),
        parameters=[MeasuresParamsSerializer],
        responses=IssueMeasuresSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def measures(self, request):
        params = MeasuresParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        scope = issues_visible_to(request.user)
        window = {"start": params.validated_data.get("start"), "end": params.validated_data.get("end")}
        rows = issue_measures(group_by=params.validated_data["group_by"], queryset=scope, **window)
        total = issue_measures_total(queryset=scope, **window)
        data = [row.as_dict() for row in rows]
        data.append({**total.as_dict(), "label": str(_("Total"))})
        return Response(IssueMeasuresSerializer(data, many=True).data)


def _transition_rule(transition) -> WriteRule:
    return WriteRule(
        obj=lambda user, issue: can_transition(user, issue, transition),
        message=lazy(
            lambda: gettext("You may not do “%(action)s” on this issue.") % {"action": transition.label}, str
        )(),
    )


for _action_name in workflow.TRANSITIONS:
    setattr(IssueViewSet, f"action_{_action_name}", _transition_endpoint(_action_name))
    IssueViewSet.write_rules[f"action_{_action_name}"] = _transition_rule(workflow.TRANSITIONS[_action_name])
del _action_name


@extend_schema_view(
    list=extend_schema(summary=_("Site visits")),
    retrieve=extend_schema(summary=_("A site visit with its instructions (assignment sheet)")),
)
class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """On-site visits and the instructions given, each an issue; closed-off status per instruction."""

    filter_backends = [OrderingFilter]
    ordering_fields = ["date", "created_at"]
    ordering = ["-date", "-id"]
    write_rules = {
        "create": WriteRule(
            user=can_record_visit, message=_("Only leaders and the supervision office record site visits.")
        )
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Visit.objects.none()
        return with_visit_data(visits_visible_to(self.request.user))

    def get_serializer_class(self):
        return VisitSerializer if self.action == "list" else VisitDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if (
            self.action != "list"
            and self.kwargs.get("pk") is not None
            and not getattr(self, "swagger_fake_view", False)
        ):
            visit = Visit(pk=self.kwargs["pk"])
            visible = issues_visible_to(self.request.user).values("pk")
            context["instructions"] = visit_instructions(visit=visit).filter(pk__in=visible)
        return context

    @extend_schema(
        summary=_("Record a site visit with its instructions"),
        description=_("Each instruction becomes an issue with source site visit, assigned to its lead department."),
        request=VisitCreateSerializer,
        responses=write_responses(201, VisitDetailSerializer, detail=False),
    )
    def create(self, request):
        visit = visit_create(by=request.user, **self.validated(VisitCreateSerializer))
        self.kwargs["pk"] = visit.pk
        return self.respond(visit, status_code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("Time limits per category and urgency")),
    retrieve=extend_schema(summary=_("A time-limit rule")),
)
class TimeLimitRuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """The working-day limits ("13710" by default). Everyone reads; supervisors change them."""

    serializer_class = TimeLimitRuleSerializer
    pagination_class = None
    filter_backends = []
    http_method_names = ["get", "patch", "head", "options"]
    write_rules = {
        "partial_update": WriteRule(
            user=can_manage_time_limits, message=_("Only the supervision office may change the time limits.")
        )
    }

    def get_queryset(self):
        return time_limit_rules_visible_to(self.request.user)

    @extend_schema(
        summary=_("Change a time-limit rule"),
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        request=TimeLimitRuleUpdateSerializer,
        responses=write_responses(200, TimeLimitRuleSerializer),
    )
    def partial_update(self, request, pk=None):
        rule = self.get_object()
        data = self.validated(TimeLimitRuleUpdateSerializer, partial=True)
        return self.respond(time_limit_rule_update(rule=rule, by=request.user, **data))
