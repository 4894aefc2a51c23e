"""Admin for projects, reports, targets and milestones (the supervision office's tool).

A project's stage is never edited as a plain field here: a new project is created through
projects.services.project_create (its first stage, and the first entry of its stage history),
and the change form offers "move to stage", which goes through project_change_stage — the same
rules, history and audit trail as the browser and the API. The rules are checked while the form
is validated (a trial run of the service, rolled back), so a refusal shows as a form error and
nothing is saved.
"""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedAdmin
from core.errors import ApplicationError
from core.files import file_link
from projects.milestones import State, open_q, state_q
from projects.models import (
    AnnualTarget,
    Milestone,
    ProgressPhoto,
    ProgressReport,
    Project,
    Stage,
    StageChange,
)
from projects.services import PROJECT_FIELDS, project_change_stage, project_create

# Service field name -> admin form field name.
STAGE_FORM_FIELDS = {"stage": "to_stage", "to_stage": "to_stage", "changed_on": "stage_date", "reason": "stage_reason"}


class _DryRun(Exception):
    """Raised inside a savepoint to undo a trial run of a service."""


class ProjectAdminForm(forms.ModelForm):
    to_stage = forms.ChoiceField(label=_("move to stage"), choices=[("", "---------"), *Stage.choices], required=False)
    stage_date = forms.DateField(label=_("effective date"), required=False, help_text=_("Default: today."))
    stage_reason = forms.CharField(
        label=_("reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to move back to an earlier stage or to stop the project."),
    )
    #: set per request by ProjectAdmin.get_form: the user the stage service acts for
    admin_user = None

    class Meta:
        model = Project
        fields = PROJECT_FIELDS

    def stage_move(self) -> dict | None:
        to_stage = self.cleaned_data.get("to_stage")
        if not to_stage:
            return None
        return {
            "to_stage": to_stage,
            "changed_on": self.cleaned_data.get("stage_date"),
            "reason": self.cleaned_data.get("stage_reason", ""),
        }

    def clean(self):
        cleaned = super().clean()
        move = self.stage_move()
        if self.instance.pk is None:
            self._dry_run(project_create, **self.create_arguments(move))
        elif move is not None:
            self._dry_run(project_change_stage, project=self.instance, **move)
        return cleaned

    def create_arguments(self, move) -> dict:
        """project_create's arguments: the form's fields, and the first stage when one is chosen."""
        data = {name: self.cleaned_data[name] for name in PROJECT_FIELDS if name in self.cleaned_data}
        if move is not None:
            data.update(stage=move["to_stage"], changed_on=move["changed_on"])
        return data

    def _dry_run(self, service, **kwargs) -> None:
        """Run the service in a savepoint that is always rolled back, to collect its errors about
        the stage (the other fields are the model's, validated by the form itself)."""
        try:
            with transaction.atomic():
                service(by=self.admin_user, **kwargs)
                raise _DryRun
        except _DryRun:
            pass
        except ApplicationError as exc:
            fields = exc.fields
            if service is project_create:
                # The project's own fields are validated by the form (the same model rules).
                fields = {name: messages for name, messages in exc.fields.items() if name in STAGE_FORM_FIELDS}
                if exc.fields and not fields:
                    return
            if not fields:
                self.add_error(None, exc.message)
            for name, messages in fields.items():
                for message in messages:
                    self.add_error(STAGE_FORM_FIELDS.get(name), message)


class StageChangeInline(admin.TabularInline):
    """The stage timeline, read-only: it is written by the stage service only."""

    model = StageChange
    extra = 0
    fields = ["changed_on", "from_stage", "to_stage", "reason", "changed_by", "recorded_at"]
    readonly_fields = fields
    ordering = ["-changed_on", "-id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AnnualTargetInline(admin.TabularInline):
    model = AnnualTarget
    extra = 0
    fields = ["year", "planned_investment", "first_half_investment", "target_start", "target_completion"]


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    form = ProjectAdminForm
    list_display = [
        "code",
        "name",
        "enterprise",
        "park",
        "stage",
        "level",
        "total_investment",
        "is_key",
        "assigned_leader",
        "responsible_unit",
    ]
    list_filter = ["stage", "level", "is_key", "park", "segment__chain", "responsible_unit"]
    list_select_related = ["enterprise", "park", "assigned_leader", "responsible_unit"]
    search_fields = ["code", "name", "name_initials", "enterprise__name", "enterprise__short_name"]
    autocomplete_fields = [
        "enterprise",
        "park",
        "segment",
        "parent",
        "assigned_leader",
        "responsible_unit",
        "responsible_official",
        "service_team",
    ]
    readonly_fields = ["stage", "stage_changed_on", "stopped_reason"]
    inlines = [StageChangeInline, AnnualTargetInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "enterprise", "park", "segment", "level", "is_key", "key_label"]}),
        (_("Phase"), {"fields": ["parent", "phase_label"]}),
        (
            _("Plan"),
            {"fields": ["total_investment", "planned_start", "planned_completion", "construction_content"]},
        ),
        (
            _("Responsibility"),
            {"fields": ["assigned_leader", "responsible_unit", "responsible_official", "service_team"]},
        ),
        (
            _("Stage"),
            {"fields": ["stage", "stage_changed_on", "stopped_reason", "to_stage", "stage_date", "stage_reason"]},
        ),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"admin_user": request.user})

    def save_model(self, request, obj, form, change):
        if not change:
            # The service creates the project, its first stage entry and the audit record.
            project = project_create(by=request.user, **form.create_arguments(form.stage_move()))
            for field in Project._meta.concrete_fields:
                setattr(obj, field.attname, getattr(project, field.attname))
            obj._state.adding, obj._state.db = False, project._state.db
            return
        move = form.stage_move()
        super().save_model(request, obj, form, change)
        if move is not None:
            project_change_stage(project=obj, by=request.user, **move)
            obj.refresh_from_db()


class ProgressPhotoInline(admin.TabularInline):
    """Photos come with the report (checked uploads); here they are shown through the
    permission-checked file view and captioned."""

    model = ProgressPhoto
    extra = 0
    fields = ["photo", "caption", "uploaded_at"]
    readonly_fields = ["photo", "uploaded_at"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("photo"))
    def photo(self, obj):
        return file_link(obj.url, obj.original_name or _("photo")) if obj.pk else "—"


class ProgressReportAdminForm(forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = [
            "project",
            "month",
            "investment",
            "physical_progress",
            "percent_complete",
            "next_steps",
            "problems",
            "submitted_by",
        ]

    def clean_month(self):
        month = self.cleaned_data["month"].replace(day=1)
        if month > timezone.localdate().replace(day=1):
            raise forms.ValidationError(_("You cannot report for a month that has not begun."))
        return month


@admin.register(ProgressReport)
class ProgressReportAdmin(AuditedAdmin):
    form = ProgressReportAdminForm
    list_display = ["project", "month", "investment", "percent_complete", "submitted_by", "photo_count"]
    list_filter = ["project__park", "project__stage"]
    list_select_related = ["project", "submitted_by"]
    search_fields = ["project__code", "project__name", "project__name_initials"]
    date_hierarchy = "month"
    autocomplete_fields = ["project", "submitted_by"]
    inlines = [ProgressPhotoInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_photos=Count("photos"))

    def get_readonly_fields(self, request, obj=None):
        # A filed report keeps its project and month (as in projects.services.progress_report_update).
        return ["project", "month"] if obj is not None else []

    @admin.display(description=_("photos"), ordering="n_photos")
    def photo_count(self, report):
        return report.n_photos

    def save_model(self, request, obj, form, change):
        if not change and obj.submitted_by_id is None:
            obj.submitted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AnnualTarget)
class AnnualTargetAdmin(AuditedAdmin):
    list_display = [
        "project",
        "year",
        "planned_investment",
        "first_half_investment",
        "target_start",
        "target_completion",
        "target_production",
    ]
    list_filter = ["year", "project__park"]
    list_select_related = ["project"]
    search_fields = ["project__code", "project__name", "project__name_initials"]
    autocomplete_fields = ["project"]


class MilestoneStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("done", _("Done")), ("open", _("Open")), ("overdue", _("Overdue"))]

    def queryset(self, request, queryset):
        # The states of projects.milestones, as of today.
        today = timezone.localdate()
        conditions = {
            "done": state_q(State.MET, day=today),
            "open": open_q(today),
            "overdue": state_q(State.OVERDUE, day=today),
        }
        if self.value() in conditions:
            return queryset.filter(conditions[self.value()])
        return queryset


@admin.register(Milestone)
class MilestoneAdmin(AuditedAdmin):
    list_display = ["title", "project", "due_date", "responsible", "campaign", "completed_on", "overdue"]
    list_filter = [MilestoneStatusFilter, "campaign", "project__park"]
    list_select_related = ["project", "responsible", "campaign"]
    search_fields = ["title", "project__code", "project__name", "project__name_initials"]
    date_hierarchy = "due_date"
    autocomplete_fields = ["project", "responsible", "campaign", "completed_by"]
    # The evidence photo is uploaded on the project page (checked); here it is a link.
    exclude = ["evidence_file", "evidence_file_name"]
    readonly_fields = ["evidence_photo"]

    @admin.display(description=_("evidence photo"))
    def evidence_photo(self, milestone):
        return file_link(milestone.evidence_url, milestone.evidence_file_name or _("evidence photo"))

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, milestone):
        return milestone.is_overdue()
