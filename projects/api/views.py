"""API of projects, their stage, monthly progress reports, annual targets and milestones.

Every queryset comes from projects.selectors (list and detail alike: what the user may not see
is a 404); every write is one call of a projects.services function, which checks the
permission and the domain rules.
"""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api.permissions import WriteRule
from core.api.schema import NOT_FOUND, write_responses
from core.api.viewsets import ServiceViewSet
from projects.api.filters import AnnualTargetFilter, MilestoneFilter, ProgressReportFilter
from projects.api.serializers import (
    AnnualTargetSerializer,
    MilestoneSerializer,
    ProgressReportSerializer,
    ProjectSerializer,
    StageChangeSerializer,
)
from projects.api.validators import (
    AnnualTargetCreateSerializer,
    AnnualTargetUpdateSerializer,
    MilestoneCompleteSerializer,
    MilestoneCreateSerializer,
    MilestoneReopenSerializer,
    MilestoneUpdateSerializer,
    ProgressReportCreateSerializer,
    ProgressReportUpdateSerializer,
    ProjectInputSerializer,
    ProjectUpdateSerializer,
    StageChangeInputSerializer,
)
from projects.filters import ProjectFilter
from projects.models import AnnualTarget, Project
from projects.permissions import (
    can_complete_milestone,
    can_create_project,
    can_edit_project,
    can_manage_targets,
    may_edit_projects,
)
from projects.selectors import (
    annual_targets_visible_to,
    milestones_visible_to,
    progress_reports_visible_to,
    project_list,
    stage_timeline,
)
from projects.services import (
    annual_target_delete,
    annual_target_set,
    milestone_complete,
    milestone_create,
    milestone_reopen,
    milestone_update,
    progress_report_submit,
    progress_report_update,
    project_change_stage,
    project_create,
    project_update,
)

WRITE_METHODS = ["get", "post", "patch", "head", "options"]
UPLOAD_PARSERS = [JSONParser, MultiPartParser, FormParser]


@extend_schema_view(
    list=extend_schema(summary=_("Projects")),
    retrieve=extend_schema(summary=_("A project")),
)
class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Projects the user may see, with their derived progress figures."""

    serializer_class = ProjectSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = ProjectFilter
    ordering_fields = [
        "code",
        "name",
        "total_investment",
        "planned_start",
        "planned_completion",
        "stage_changed_on",
        "cumulative_investment",
        "year_investment",
        "overdue_milestones",
        "health_severity",
        "updated_at",
    ]
    http_method_names = WRITE_METHODS
    write_rules = {
        "create": WriteRule(user=can_create_project, message=_("Only the supervision office may add projects.")),
        "partial_update": WriteRule(
            user=may_edit_projects, obj=can_edit_project, message=_("You may not change this project.")
        ),
        "stage": WriteRule(
            user=may_edit_projects, obj=can_edit_project, message=_("You may not change this project's stage.")
        ),
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        return project_list(user=self.request.user)

    @extend_schema(
        summary=_("Add a project"),
        request=ProjectInputSerializer,
        responses=write_responses(201, ProjectSerializer, detail=False),
    )
    def create(self, request):
        project = project_create(by=request.user, **self.validated(ProjectInputSerializer))
        return self.respond(project, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a project"),
        request=ProjectUpdateSerializer(partial=True),
        responses=write_responses(200, ProjectSerializer),
    )
    def partial_update(self, request, pk=None):
        project = self.get_object()
        data = self.validated(ProjectUpdateSerializer, partial=True)
        return self.respond(project_update(project=project, by=request.user, **data))

    @extend_schema(
        summary=_("Move a project to another stage"),
        request=StageChangeInputSerializer,
        responses=write_responses(201, StageChangeSerializer),
    )
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        project = self.get_object()
        change = project_change_stage(project=project, by=request.user, **self.validated(StageChangeInputSerializer))
        return Response(StageChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("The project's stage history"),
        responses={200: StageChangeSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path="stage-history", pagination_class=None, filter_backends=[])
    def stage_history(self, request, pk=None):
        changes = stage_timeline(project=self.get_object())
        return Response(StageChangeSerializer(changes, many=True).data)


@extend_schema_view(
    list=extend_schema(summary=_("Monthly progress reports")),
    retrieve=extend_schema(summary=_("A monthly progress report")),
)
class ProgressReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Monthly reports with the cumulative investment up to each month; photos by multipart."""

    serializer_class = ProgressReportSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = ProgressReportFilter
    ordering_fields = ["month", "investment", "created_at"]
    ordering = ["-month", "project__code"]
    parser_classes = UPLOAD_PARSERS
    http_method_names = WRITE_METHODS
    write_rules = {
        "create": WriteRule(user=may_edit_projects, message=_("You may not report on this project.")),
        "partial_update": WriteRule(
            user=may_edit_projects,
            obj=lambda user, report: can_edit_project(user, report.project),
            message=_("You may not change this report."),
        ),
    }

    def get_queryset(self):
        return progress_reports_visible_to(self.request.user)

    @extend_schema(
        summary=_("Submit a monthly progress report"),
        request=ProgressReportCreateSerializer,
        responses=write_responses(201, ProgressReportSerializer, detail=False),
    )
    def create(self, request):
        report = progress_report_submit(by=request.user, **self.validated(ProgressReportCreateSerializer))
        return self.respond(report, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Correct a monthly progress report"),
        request=ProgressReportUpdateSerializer(partial=True),
        responses=write_responses(200, ProgressReportSerializer),
    )
    def partial_update(self, request, pk=None):
        report = self.get_object()
        data = self.validated(ProgressReportUpdateSerializer, partial=True)
        return self.respond(progress_report_update(report=report, by=request.user, **data))


@extend_schema_view(
    list=extend_schema(summary=_("Annual targets")),
    retrieve=extend_schema(summary=_("An annual target")),
)
class AnnualTargetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Per project and year: planned investment and target dates. Set by the supervision office."""

    serializer_class = AnnualTargetSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = AnnualTargetFilter
    ordering_fields = ["year", "planned_investment"]
    ordering = ["-year", "project__code"]
    http_method_names = [*WRITE_METHODS, "delete"]
    write_rules = dict.fromkeys(
        ["create", "partial_update", "destroy"],
        WriteRule(user=can_manage_targets, message=_("Only the supervision office may set annual targets.")),
    )

    def get_queryset(self):
        return annual_targets_visible_to(self.request.user)

    @extend_schema(
        summary=_("Set a project's target for a year"),
        description=_("Creates the target (201), or changes the one the project already has for that year (200)."),
        request=AnnualTargetCreateSerializer,
        responses={**write_responses(201, AnnualTargetSerializer, detail=False), 200: AnnualTargetSerializer},
    )
    def create(self, request):
        data = self.validated(AnnualTargetCreateSerializer)
        existed = AnnualTarget.objects.filter(project=data["project"], year=data["year"]).exists()
        target = annual_target_set(by=request.user, **data)
        return self.respond(target, status_code=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change an annual target"),
        request=AnnualTargetUpdateSerializer(partial=True),
        responses=write_responses(200, AnnualTargetSerializer),
    )
    def partial_update(self, request, pk=None):
        target = self.get_object()
        data = self.validated(AnnualTargetUpdateSerializer, partial=True)
        target = annual_target_set(project=target.project, year=target.year, by=request.user, **data)
        return self.respond(target)

    @extend_schema(summary=_("Delete an annual target"), responses=write_responses(204, None))
    def destroy(self, request, pk=None):
        annual_target_delete(target=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary=_("Milestones")),
    retrieve=extend_schema(summary=_("A milestone")),
)
class MilestoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Dated nodes of the projects' schedules; overdue is derived from the date."""

    serializer_class = MilestoneSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = MilestoneFilter
    ordering_fields = ["due_date", "completed_on", "title", "sort_order"]
    ordering = ["due_date", "sort_order", "id"]
    parser_classes = UPLOAD_PARSERS
    http_method_names = WRITE_METHODS
    write_rules = {
        "create": WriteRule(user=may_edit_projects, message=_("You may not plan milestones for this project.")),
        "partial_update": WriteRule(
            user=may_edit_projects,
            obj=lambda user, milestone: can_edit_project(user, milestone.project),
            message=_("You may not change this milestone."),
        ),
        "reopen": WriteRule(
            user=may_edit_projects,
            obj=lambda user, milestone: can_edit_project(user, milestone.project),
            message=_("You may not change this milestone."),
        ),
        "complete": WriteRule(
            user=may_edit_projects, obj=can_complete_milestone, message=_("You may not mark this milestone done.")
        ),
    }

    def get_queryset(self):
        return milestones_visible_to(self.request.user)

    @extend_schema(
        summary=_("Plan a milestone"),
        request=MilestoneCreateSerializer,
        responses=write_responses(201, MilestoneSerializer, detail=False),
    )
    def create(self, request):
        milestone = milestone_create(by=request.user, **self.validated(MilestoneCreateSerializer))
        return self.respond(milestone, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a milestone"),
        request=MilestoneUpdateSerializer(partial=True),
        responses=write_responses(200, MilestoneSerializer),
    )
    def partial_update(self, request, pk=None):
        milestone = self.get_object()
        data = self.validated(MilestoneUpdateSerializer, partial=True)
        return self.respond(milestone_update(milestone=milestone, by=request.user, **data))

    @extend_schema(
        summary=_("Mark a milestone done"),
        description=_("With evidence: a note, a photo (multipart/form-data) or both."),
        request=MilestoneCompleteSerializer,
        responses=write_responses(200, MilestoneSerializer),
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        milestone = self.get_object()
        data = self.validated(MilestoneCompleteSerializer)
        return self.respond(milestone_complete(milestone=milestone, by=request.user, **data))

    @extend_schema(
        summary=_("Reopen a milestone marked done by mistake"),
        request=MilestoneReopenSerializer,
        responses=write_responses(200, MilestoneSerializer),
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        milestone = self.get_object()
        data = self.validated(MilestoneReopenSerializer)
        return self.respond(milestone_reopen(milestone=milestone, by=request.user, **data))
