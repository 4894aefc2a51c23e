"""Intake in the admin: read only. Candidates move only through intake.services (the browser and
the API), so that every step is an event and an audit entry."""

from django.contrib import admin

from intake.models import Candidate, CandidateEvent, CandidateImport, DispatchEntry, DispatchEvent


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = CandidateEvent
    extra = 0
    fields = ["at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Candidate)
class CandidateAdmin(ReadOnly):
    list_display = ["name", "park", "unit", "status", "level", "project", "submitted_at"]
    list_select_related = True
    list_filter = ["status", "park", "level"]
    search_fields = ["name", "enterprise__name", "enterprise_name", "credit_code"]
    inlines = [EventInline]


@admin.register(DispatchEntry)
class DispatchEntryAdmin(ReadOnly):
    list_display = ["year", "project", "added_by", "added_at"]
    list_select_related = True
    list_filter = ["year"]


@admin.register(DispatchEvent)
class DispatchEventAdmin(ReadOnly):
    list_display = ["at", "year", "project", "action", "actor", "reason"]
    list_select_related = True
    list_filter = ["year", "action"]


@admin.register(CandidateImport)
class CandidateImportAdmin(ReadOnly):
    list_display = ["original_name", "uploaded_by", "uploaded_at", "status", "row_count", "created_count"]
    list_select_related = True
