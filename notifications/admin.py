"""Admin: notifications, deliveries and supervision items are read-only records, with failed
deliveries easy to find and retry. (Reminder policies are edited in the campaigns admin.)"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from notifications.models import Delivery, Notification, NotificationPreference, SupervisionItem
from notifications.permissions import can_manage_deliveries
from notifications.services import delivery_retry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "email", "webhook", "updated_at"]
    search_fields = ["user__username", "user__official__name"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["channel", "target", "state", "attempts", "last_error", "sent_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "kind", "due_date", "step", "superseded", "created_at", "read_at"]
    list_filter = ["kind", "superseded", "created_at"]
    search_fields = ["title", "recipient__username", "recipient__official__name"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Gave up / failed deliveries are what supervisors look for here (filter by state)."""

    list_display = ["notification", "channel", "target", "state", "attempts", "last_error", "created_at", "sent_at"]
    list_filter = ["state", "channel"]
    search_fields = ["target", "notification__title"]
    list_select_related = ["notification"]
    actions = ["retry"]

    def has_change_permission(self, request, obj=None):
        # Needed for the retry action; every field stays read-only.
        return can_manage_deliveries(request.user)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Delivery._meta.fields]

    @admin.action(description=_("Send the selected failed deliveries again"))
    def retry(self, request, queryset):
        retried = 0
        for delivery in queryset.filter(state__in=[Delivery.State.FAILED, Delivery.State.GAVE_UP]):
            delivery_retry(delivery=delivery, by=request.user)
            retried += 1
        self.message_user(request, _("%(n)s deliveries will be sent again.") % {"n": retried}, messages.SUCCESS)


@admin.register(SupervisionItem)
class SupervisionItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "due_date", "opened_on", "status", "closed_by", "closed_at"]
    list_filter = ["status", "opened_on"]
    search_fields = ["title", "note"]
    list_select_related = ["closed_by"]
