"""Funding in the admin: read only (writes go through funding.services, audited)."""

from django.contrib import admin

from funding.models import FundingLine, PolicySupport


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundingLine)
class FundingLineAdmin(ReadOnly):
    list_display = ["project", "year", "source", "planned", "received", "updated_at"]
    list_select_related = True
    list_filter = ["year", "source"]
    search_fields = ["project__name", "project__code"]


@admin.register(PolicySupport)
class PolicySupportAdmin(ReadOnly):
    list_display = ["project", "name", "level", "status", "amount_sought", "amount_granted"]
    list_select_related = True
    list_filter = ["status", "level"]
    search_fields = ["name", "project__name"]
