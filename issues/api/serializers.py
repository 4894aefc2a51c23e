"""Output serializers of the issue API.

Derived values (current deadline, overdue, counts of instructions closed off) come from the
selectors' annotations; nothing is computed here.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import ProtectedFileURLField, RateFractionField
from core.api.serializers import RefSerializer, UserRefSerializer
from issues import deadlines, workflow
from issues.models import Issue, IssueEvent, IssuePhoto, Outcome, Satisfaction, Status, TimeLimitRule, Visit
from issues.permissions import issue_available_actions
from projects.api.serializers import ProjectRefSerializer


class MilestoneRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    due_date = serializers.DateField(read_only=True)
    project_id = serializers.IntegerField(read_only=True)


class IssuePhotoSerializer(serializers.ModelSerializer):
    image = ProtectedFileURLField(help_text=_("The photo's address; only users who may see the issue get it."))

    class Meta:
        model = IssuePhoto
        fields = ["id", "image", "original_name", "uploaded_at"]
        read_only_fields = fields


class IssueListSerializer(serializers.ModelSerializer):
    """An issue as a list row shows it."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    urgency_label = serializers.CharField(source="get_urgency_display", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    enterprise = RefSerializer(read_only=True)
    park = RefSerializer(source="enterprise.park", read_only=True, allow_null=True)
    project = ProjectRefSerializer(read_only=True, allow_null=True)
    lead_department = RefSerializer(read_only=True, allow_null=True)
    co_departments = RefSerializer(many=True, read_only=True)
    handler = RefSerializer(read_only=True, allow_null=True)
    raised_by = UserRefSerializer(read_only=True)
    blocks_milestone = MilestoneRefSerializer(read_only=True, allow_null=True)
    current_deadline = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=_("The deadline that applies now: routing while new, response until answered, then resolution."),
    )
    current_deadline_kind = serializers.ChoiceField(
        choices=deadlines.choices(),
        read_only=True,
        allow_null=True,
        help_text=_(
            "Which deadline current_deadline is: assign (routing), response or resolution; null once resolved."
        ),
    )
    current_deadline_label = serializers.SerializerMethodField(
        help_text=_("The name of the current deadline in the user's language, e.g. Response deadline.")
    )
    is_overdue = serializers.BooleanField(read_only=True, help_text=_("The current deadline has passed."))
    photo_count = serializers.IntegerField(read_only=True)
    # Blank until the issue is resolved / rated (the schema says so: "" is allowed).
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Issue
        fields = [
            "id",
            "version",
            "title",
            "status",
            "status_label",
            "category",
            "category_label",
            "urgency",
            "urgency_label",
            "source",
            "source_label",
            "enterprise",
            "park",
            "project",
            "visit",
            "blocks_milestone",
            "lead_department",
            "co_departments",
            "handler",
            "raised_by",
            "raised_at",
            "assign_deadline",
            "response_deadline",
            "resolution_deadline",
            "deadline_explicit",
            "deadline_provisional",
            "current_deadline",
            "current_deadline_kind",
            "current_deadline_label",
            "is_overdue",
            "escalated",
            "outcome",
            "satisfaction",
            "photo_count",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_current_deadline_label(self, issue) -> str:
        return str(deadlines.label_of(getattr(issue, "current_deadline_kind", None)))


class IssueDetailSerializer(IssueListSerializer):
    """The whole issue, with the actions the requesting user may take now."""

    photos = IssuePhotoSerializer(many=True, read_only=True)
    available_actions = serializers.SerializerMethodField(
        help_text=_("Workflow actions the requesting user may POST now, e.g. acknowledge, resolve.")
    )

    class Meta(IssueListSerializer.Meta):
        fields = [
            *IssueListSerializer.Meta.fields,
            "description",
            "photos",
            "acknowledged_at",
            "resolved_at",
            "closed_at",
            "resolution",
            "working_days_to_resolve",
            "reopened_count",
            "escalated_at",
            "available_actions",
        ]
        read_only_fields = fields

    def get_available_actions(self, issue) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return [t.action for t in issue_available_actions(user=request.user, issue=issue)]


class IssueEventSerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True)
    action_label = serializers.SerializerMethodField()

    class Meta:
        model = IssueEvent
        fields = ["id", "at", "actor", "action", "action_label", "from_status", "to_status", "note", "data"]
        read_only_fields = fields

    def get_action_label(self, event) -> str:
        return str(workflow.event_label(event.action))


class Open311Serializer(serializers.Serializer):
    """An Open311 GeoReport v2 style view of one issue (service request)."""

    service_request_id = serializers.CharField(source="pk")
    status = serializers.SerializerMethodField(help_text=_("open or closed (Open311)."))
    status_notes = serializers.SerializerMethodField()
    service_code = serializers.CharField(source="category")
    service_name = serializers.CharField(source="get_category_display")
    description = serializers.CharField()
    agency_responsible = serializers.SerializerMethodField()
    requested_datetime = serializers.DateTimeField(source="raised_at")
    updated_datetime = serializers.DateTimeField(source="updated_at")
    expected_datetime = serializers.SerializerMethodField(
        help_text=_("When the issue is expected to be resolved: the resolution deadline while open.")
    )
    address = serializers.CharField(source="enterprise.address")

    def get_status(self, issue) -> str:
        return "closed" if issue.status == Status.CLOSED else "open"

    def get_status_notes(self, issue) -> str:
        label = issue.get_status_display()
        return f"{label}：{issue.resolution}" if issue.resolution else str(label)

    def get_agency_responsible(self, issue) -> str:
        return issue.lead_department.name if issue.lead_department else ""

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_expected_datetime(self, issue):
        if issue.status in (Status.RESOLVED, Status.CLOSED):
            return None
        return serializers.DateTimeField().to_representation(issue.resolution_deadline)


class InstructionSerializer(IssueListSerializer):
    """A visit's instruction: a row of the assignment sheet (交办单), with 销号 status."""

    closed_off = serializers.BooleanField(read_only=True, help_text=_("Confirmed closed."))

    class Meta(IssueListSerializer.Meta):
        fields = [*IssueListSerializer.Meta.fields, "description", "closed_off"]
        read_only_fields = fields


class VisitSerializer(serializers.ModelSerializer):
    leaders = RefSerializer(many=True, read_only=True)
    enterprises = RefSerializer(many=True, read_only=True)
    projects = ProjectRefSerializer(many=True, read_only=True)
    created_by = UserRefSerializer(read_only=True, allow_null=True)
    instruction_count = serializers.IntegerField(read_only=True)
    closed_off_count = serializers.IntegerField(read_only=True, help_text=_("Instructions confirmed closed."))

    class Meta:
        model = Visit
        fields = [
            "id",
            "date",
            "location",
            "leaders",
            "attendees",
            "enterprises",
            "projects",
            "summary",
            "created_by",
            "created_at",
            "instruction_count",
            "closed_off_count",
        ]
        read_only_fields = fields


class VisitDetailSerializer(VisitSerializer):
    instructions = serializers.SerializerMethodField()

    class Meta(VisitSerializer.Meta):
        fields = [*VisitSerializer.Meta.fields, "instructions"]
        read_only_fields = fields

    @extend_schema_field(InstructionSerializer(many=True))
    def get_instructions(self, visit):
        rows = self.context.get("instructions")
        if rows is None:
            return []
        return InstructionSerializer(rows, many=True, context=self.context).data


class TimeLimitRuleSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    urgency_label = serializers.CharField(source="get_urgency_display", read_only=True)

    class Meta:
        model = TimeLimitRule
        fields = [
            "id",
            "category",
            "category_label",
            "urgency",
            "urgency_label",
            "assign_days",
            "response_days",
            "resolution_days",
        ]
        read_only_fields = fields


class IssueMeasuresSerializer(serializers.Serializer):
    """One group's measures. A rate is a fraction 0–1, or null when its denominator is empty."""

    key = serializers.CharField(allow_null=True, help_text=_("Department or park id, or category code."))
    label = serializers.CharField()
    raised = serializers.IntegerField()
    response_due = serializers.IntegerField()
    responded_in_time = serializers.IntegerField()
    resolved = serializers.IntegerField(help_text=_("Closed by the department, whatever the outcome."))
    solved = serializers.IntegerField(help_text=_("Confirmed solved by the enterprise."))
    resolved_on_time = serializers.IntegerField()
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    mean_working_days = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    response_rate = RateFractionField(
        help_text=_("Response rate: answered within the limit ÷ answered or past the limit.")
    )
    resolution_rate = RateFractionField(help_text=_("Resolution rate: resolved ÷ raised."))
    solution_rate = RateFractionField(help_text=_("Solution rate: confirmed solved ÷ raised."))
    on_time_rate = RateFractionField(help_text=_("On-time rate: resolved by the deadline ÷ resolved."))
    satisfaction_rate = RateFractionField(help_text=_("Satisfaction rate: satisfied or basically satisfied ÷ rated."))
