"""Admin for issues, visits, the time-limit table and the holiday calendar.

Issues and their events are read-only here: every change goes through issues.services so the
workflow, the timeline and the audit trail stay whole. Supervisors (role, with staff access to
the admin) maintain the time-limit table and the holiday calendar; saving or deleting a holiday
recomputes the deadlines that count days of its year (issues.services.issue_deadlines_recompute).

The holiday calendar is registered here rather than in core because changing it must move
issue deadlines, and core does not depend on issues.
"""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import SupervisorAccess
from core.calendar import holidays_changed, years_missing_holiday_data
from core.files import file_link
from core.models import Holiday
from core.services import audit_record
from issues.models import Issue, IssueEvent, IssuePhoto, TimeLimitRule, Visit
from issues.services import issue_deadlines_recompute


@admin.register(Holiday)
class HolidayAdmin(SupervisorAccess, admin.ModelAdmin):
    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind", "source"]
    readonly_fields = ["source"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def changelist_view(self, request, extra_context=None):
        missing = years_missing_holiday_data()
        if missing:
            self.message_user(
                request,
                gettext(
                    "No holiday schedule yet for %(years)s: deadlines there count weekends only and are "
                    "provisional. Enter the State Council's schedule (holidays and make-up working days)."
                )
                % {"years": "、".join(str(y) for y in missing)},
                level=messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    def _recompute(self, request, years) -> None:
        changed = sum(issue_deadlines_recompute(year=year, by=request.user) for year in sorted(set(years)))
        holidays_changed(years=years, by=request.user)  # the other apps' working-day dates (approvals …)
        if changed:
            self.message_user(
                request, gettext("Deadlines of %(n)d issues were recomputed.") % {"n": changed}, messages.INFO
            )

    def save_model(self, request, obj, form, change):
        years = {obj.date.year}
        if change and "date" in form.changed_data and form.initial.get("date"):
            years.add(form.initial["date"].year)
        with transaction.atomic():
            # A row saved by hand is the supervisor's: seed_holidays never overwrites it.
            obj.source = Holiday.Source.MANUAL
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action="holiday.change" if change else "holiday.add",
                obj=obj,
                changes={f: str(form.cleaned_data.get(f)) for f in form.changed_data},
            )
            self._recompute(request, years)

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(actor=request.user, action="holiday.delete", obj=obj, changes={"date": obj.date})
            super().delete_model(request, obj)
            self._recompute(request, {obj.date.year})

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            years = {day.year for day in queryset.dates("date", "year")}
            for obj in queryset:
                audit_record(actor=request.user, action="holiday.delete", obj=obj, changes={"date": obj.date})
            super().delete_queryset(request, queryset)
            self._recompute(request, years)


@admin.register(TimeLimitRule)
class TimeLimitRuleAdmin(SupervisorAccess, admin.ModelAdmin):
    list_display = ["category", "urgency", "assign_days", "response_days", "resolution_days"]
    list_editable = ["assign_days", "response_days", "resolution_days"]
    list_filter = ["urgency", "category"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action="time_limit_rule.update" if change else "time_limit_rule.create",
                obj=obj,
                changes={f: str(form.cleaned_data.get(f)) for f in form.changed_data},
            )


class ReadOnlyAdmin(SupervisorAccess, admin.ModelAdmin):
    """Readable by supervisors; nothing is added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IssueEventInline(admin.TabularInline):
    model = IssueEvent
    fields = ["at", "actor", "action", "from_status", "to_status", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class IssuePhotoInline(admin.TabularInline):
    model = IssuePhoto
    # A link to the permission-checked file view, not the stored path.
    fields = ["photo", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("photo"))
    def photo(self, obj):
        return file_link(obj.url, obj.original_name or _("photo")) if obj.pk else "—"


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "title",
        "enterprise",
        "category",
        "urgency",
        "status",
        "lead_department",
        "response_deadline",
        "resolution_deadline",
        "deadline_provisional",
        "escalated",
    ]
    list_filter = ["status", "category", "urgency", "source", "escalated", "deadline_provisional", "lead_department"]
    list_select_related = ["enterprise", "lead_department"]
    search_fields = ["title", "description", "enterprise__name"]
    date_hierarchy = "raised_at"
    inlines = [IssuePhotoInline, IssueEventInline]


@admin.register(IssueEvent)
class IssueEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "issue", "actor", "action", "from_status", "to_status"]
    list_filter = ["action"]
    list_select_related = ["issue", "actor"]
    date_hierarchy = "at"


class InstructionInline(admin.TabularInline):
    model = Issue
    fk_name = "visit"
    fields = ["title", "enterprise", "lead_department", "status", "resolution_deadline"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("instruction")
    verbose_name_plural = _("instructions")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["date", "location", "created_by"]
    date_hierarchy = "date"
    search_fields = ["location", "summary"]
    inlines = [InstructionInline]
