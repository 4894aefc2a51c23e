"""The supervision office's view of sign-in security: API tokens (revoke), sign-in locks
(unlock) and two-step verification devices (remove, e.g. a lost phone). Nothing secret is
shown: tokens are stored as digests, device keys are never displayed. Every action is audited
through the accounts services."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import lockout, otp, services
from accounts.forms import AdminLoginForm
from accounts.models import ApiToken, LoginThrottle, TwoStepDevice
from core.admin import SupervisorAccess
from core.admin import UserAdmin as CoreUserAdmin
from core.errors import ApplicationError
from core.services import audit_record

# The admin's own login page says when a locked account may retry, like /login/.
admin.site.login_form = AdminLoginForm


class ReadOnlyAdmin(SupervisorAccess, admin.ModelAdmin):
    """Rows made by sign-ins, not typed: supervisors read them and act through the actions."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ExpiredFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("live", _("Valid")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "live":
            return queryset.exclude(expiry__lte=now)
        if self.value() == "expired":
            return queryset.filter(expiry__lte=now)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["token_key", "user", "created", "last_used_at", "expiry", "state"]
    list_filter = [ExpiredFilter]
    list_select_related = ["user"]
    search_fields = ["user__username", "token_key"]
    fields = ["token_key", "user", "created", "last_used_at", "expiry"]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description=_("state"))
    def state(self, token):
        return _("Expired") if token.is_expired else _("Valid")

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        tokens = list(queryset.select_related("user"))
        for token in tokens:
            services.token_revoke(token=token, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens)) % {"count": len(tokens)},
            messages.SUCCESS,
        )

    def delete_model(self, request, obj):
        services.token_revoke(token=obj, by=request.user)


class LockedFilter(admin.SimpleListFilter):
    title = _("locked")
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", _("Locked now"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(locked_until__gt=timezone.now())
        return queryset


@admin.register(LoginThrottle)
class LoginThrottleAdmin(ReadOnlyAdmin):
    list_display = ["value", "kind", "failures", "window_started_at", "last_failure_at", "locked_until", "refused"]
    list_filter = [LockedFilter, "kind"]
    search_fields = ["value"]
    fields = list_display
    readonly_fields = fields
    actions = ["unlock"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Unlock: clear the failed sign-ins"))
    def unlock(self, request, queryset):
        throttles = list(queryset)
        for throttle in throttles:
            lockout.throttle_unlock(throttle=throttle, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d lock cleared.", "%(count)d locks cleared.", len(throttles)) % {"count": len(throttles)},
            messages.SUCCESS,
        )


admin.site.unregister(TOTPDevice)


@admin.register(TwoStepDevice)
class TwoStepDeviceAdmin(SupervisorAccess, admin.ModelAdmin):
    """Who uses two-step verification. Deleting a device (a lost phone) makes its owner enrol a
    new one at the next sign-in; the key itself is never shown."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    fields = list_display
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        otp.device_remove(device=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            otp.device_remove(device=device, by=request.user)


# --- Users: deactivated, never deleted once they have acted --------------------------------------


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(CoreUserAdmin):
    """core's user admin with the leaving actions: a user who has acted (anything in the audit
    trail) cannot be deleted, only deactivated (accounts.services.user_deactivate), which keeps
    every record of what they did under their name."""

    actions = ["deactivate", "reactivate"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and services.user_has_history(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="admin.delete", obj=obj)
        super().delete_model(request, obj)

    def _each(self, request, queryset, service, done_message):
        done = 0
        for user in queryset:
            try:
                service(user=user, by=request.user)
            except ApplicationError as exc:
                self.message_user(request, f"{user.get_username()}: {exc.message}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Deactivate: cannot sign in, history kept"))
    def deactivate(self, request, queryset):
        self._each(
            request,
            queryset,
            services.user_deactivate,
            lambda n: ngettext("%(n)d user deactivated.", "%(n)d users deactivated.", n) % {"n": n},
        )

    @admin.action(description=_("Reactivate"))
    def reactivate(self, request, queryset):
        self._each(
            request,
            queryset,
            services.user_reactivate,
            lambda n: ngettext("%(n)d user reactivated.", "%(n)d users reactivated.", n) % {"n": n},
        )
