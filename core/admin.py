"""Admin for the organisation (the supervision office's tool) and the shared audited base class.

Every admin write leaves an AuditEntry (besides Django's own admin log), like the services do.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AuditEntry, Department, Official, Park
from core.roles import is_supervisor
from core.services import audit_record

User = get_user_model()


class SupervisorAccess:
    """Open to supervisors by role (督查室 staff with admin access), as well as by model permission.

    The supervision office runs the admin; giving each of its officials Django model
    permissions one by one would duplicate the role.
    """

    def _is_supervisor(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and is_supervisor(user)

    def has_module_permission(self, request):
        return self._is_supervisor(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._is_supervisor(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._is_supervisor(request) or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._is_supervisor(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._is_supervisor(request) or super().has_delete_permission(request, obj)


class AuditedAdmin(SupervisorAccess, admin.ModelAdmin):
    """A ModelAdmin whose creates, changes and deletes are written to the audit trail."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")  # webhook URLs typed without a scheme
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        model_fields = {f.name for f in obj._meta.get_fields()}
        changes = {name: form.cleaned_data.get(name) for name in form.changed_data if name in model_fields}
        if changes or not change:
            action = "admin.change" if change else "admin.create"
            audit_record(actor=request.user, action=action, obj=obj, changes=changes)

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="admin.delete", obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(actor=request.user, action="admin.delete", obj=obj)
        super().delete_queryset(request, queryset)


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "kind", "head", "phone", "sort_order"]
    list_filter = ["kind"]
    list_editable = ["sort_order"]
    list_select_related = ["head"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["head"]


@admin.register(Park)
class ParkAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "level", "committee", "sort_order"]
    list_select_related = ["committee"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["committee"]


@admin.register(Official)
class OfficialAdmin(AuditedAdmin):
    list_display = ["name", "title", "department", "role", "user", "phone"]
    list_filter = ["role", "department"]
    list_select_related = ["department", "user"]
    search_fields = ["name", "title", "phone", "user__username"]
    autocomplete_fields = ["user", "department"]


class OfficialInline(admin.StackedInline):
    model = Official
    can_delete = False
    fk_name = "user"
    autocomplete_fields = ["department"]
    verbose_name_plural = _("official profile")


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(SupervisorAccess, DjangoUserAdmin):
    """Django's user admin with the Official profile (role, department) inline."""

    inlines = [OfficialInline]
    list_display = ["username", "official_name", "official_role", "email", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "official__role"]
    list_select_related = ["official"]
    search_fields = ["username", "email", "official__name", "official__title"]

    @admin.display(description=_("name"), ordering="official__name")
    def official_name(self, user):
        official = getattr(user, "official", None)
        return official.name if official else ""

    @admin.display(description=_("role"), ordering="official__role")
    def official_role(self, user):
        official = getattr(user, "official", None)
        return official.get_role_display() if official else ""


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail is append-only: it can be read and searched, never edited."""

    def has_module_permission(self, request):
        return SupervisorAccess._is_supervisor(self, request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return SupervisorAccess._is_supervisor(self, request) or super().has_view_permission(request, obj)

    list_display = ["at", "actor", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    list_select_related = ["actor", "content_type"]
    search_fields = ["object_repr", "action", "actor__username", "object_id"]
    date_hierarchy = "at"
    readonly_fields = ["at", "actor", "action", "content_type", "object_id", "object_repr", "changes"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
