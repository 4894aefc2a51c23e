"""Locations in the admin: read only (writes go through geo.services, which convert datums and
audit)."""

from django.contrib import admin

from geo.models import ParkBoundary, ProjectLocation


@admin.register(ProjectLocation)
class ProjectLocationAdmin(admin.ModelAdmin):
    list_display = ["project", "latitude", "longitude", "entered_datum", "updated_at"]
    list_select_related = True
    search_fields = ["project__name", "project__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ParkBoundary)
class ParkBoundaryAdmin(admin.ModelAdmin):
    list_display = ["park", "entered_datum", "updated_at"]
    list_select_related = True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
