"""Admin of the rules kept as data (health thresholds, league formulas) and of what is frozen.

Supervisors (督查室) tune the rules here; each save goes through dashboards.services.rule_save
(permission, validation, audit trail). Rules are switched off, never deleted. Published league
tables and imports are read-only records (briefings sent are notifications, in their admin).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import SupervisorAccess
from dashboards.models import HealthRule, LeagueFormula, LeagueSnapshot, LeagueSnapshotRow, ProjectImport
from dashboards.services import rule_save


class RuleAdmin(SupervisorAccess, admin.ModelAdmin):
    def has_add_permission(self, request, *args):
        return self._is_supervisor(request)

    def has_change_permission(self, request, obj=None):
        return self._is_supervisor(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        rule_save(rule=obj, by=request.user)


@admin.register(HealthRule)
class HealthRuleAdmin(RuleAdmin):
    list_display = ["kind", "color", "threshold", "inclusive", "is_active", "condition", "note"]
    list_filter = ["kind", "color", "is_active"]
    fields = ["kind", "color", "threshold", "inclusive", "is_active", "note"]

    @admin.display(description=_("condition"))
    def condition(self, obj):
        return obj.condition_text


@admin.register(LeagueFormula)
class LeagueFormulaAdmin(RuleAdmin):
    list_display = [
        "kind",
        "weight_milestones",
        "weight_investment",
        "weight_response",
        "weight_resolution",
        "weight_satisfaction",
        "red_count",
        "black_count",
    ]


class ReadOnlyAdmin(SupervisorAccess, admin.ModelAdmin):
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LeagueSnapshotRowInline(admin.TabularInline):
    model = LeagueSnapshotRow
    fields = ["rank", "name", "score", "band", "rates"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LeagueSnapshot)
class LeagueSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "period_start", "period_end", "published_at", "published_by"]
    list_filter = ["kind"]
    inlines = [LeagueSnapshotRowInline]


@admin.register(ProjectImport)
class ProjectImportAdmin(ReadOnlyAdmin):
    list_display = [
        "original_name",
        "uploaded_at",
        "uploaded_by",
        "status",
        "row_count",
        "created_count",
        "updated_count",
    ]
    list_filter = ["status"]
