"""The supervision office edits the approval item types (order, department, time limit, the
project types that need them) and the project types here. Items change through the pages and
the API (approvals.services), never here: read-only. Admin writes are audited (core.admin)."""

from django.contrib import admin

from approvals.models import ApprovalDocument, ApprovalEvent, ApprovalItem, ItemType, ProjectType
from core.admin import AuditedAdmin


@admin.register(ProjectType)
class ProjectTypeAdmin(AuditedAdmin):
    list_display = ["name", "sort_order", "description"]
    list_editable = ["sort_order"]
    search_fields = ["name"]


@admin.register(ItemType)
class ItemTypeAdmin(AuditedAdmin):
    list_display = ["name", "sort_order", "department", "time_limit_days", "active"]
    list_editable = ["sort_order", "time_limit_days", "active"]
    list_filter = ["active", "project_types", "department"]
    filter_horizontal = ["project_types"]
    search_fields = ["name"]
    autocomplete_fields = ["department"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApprovalItem)
class ApprovalItemAdmin(ReadOnlyAdmin):
    list_display = ["project", "name", "status", "department", "applied_on", "due_date", "approved_on"]
    list_filter = ["status", "item_type", "department"]
    search_fields = ["project__name", "project__code", "name"]
    list_select_related = ["project", "department"]


@admin.register(ApprovalEvent)
class ApprovalEventAdmin(ReadOnlyAdmin):
    list_display = ["item", "action", "from_status", "to_status", "actor", "at"]
    list_select_related = ["item__project", "actor"]


@admin.register(ApprovalDocument)
class ApprovalDocumentAdmin(ReadOnlyAdmin):
    list_display = ["item", "original_name", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["item__project", "uploaded_by"]
