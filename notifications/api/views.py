"""API of the current user's notifications: always the requesting user's own (another user's
id is a 404). The campaign API is the campaigns app's."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import WriteRule, anyone_with_a_role
from core.api.viewsets import ServiceViewSet
from notifications.api.serializers import (
    NotificationSerializer,
    ReadAllSerializer,
    UnreadCountSerializer,
    UnroutedReminderSerializer,
)
from notifications.models import Notification, UnroutedReminder
from notifications.permissions import can_view_supervision
from notifications.selectors import notifications_for, unread_count, unrouted_reminders_visible_to
from notifications.services import notification_mark_read, notifications_mark_all_read


class NotificationParamsSerializer(serializers.Serializer):
    unread = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("true: only unread; false: only read.")
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("My notifications"),
        parameters=[
            OpenApiParameter("unread", OpenApiTypes.BOOL, description=_("true: only unread; false: only read."))
        ],
    ),
    retrieve=extend_schema(summary=_("One of my notifications")),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """The current user's reminders and notices, newest first."""

    serializer_class = NotificationSerializer
    filter_backends = []
    write_rules = {
        "read": WriteRule(
            user=anyone_with_a_role,
            obj=lambda user, notification: notification.recipient_id == user.pk,
            message=_("This notification is not yours."),
        ),
        "read_all": WriteRule(user=anyone_with_a_role),
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        unread = None
        if self.action == "list":
            params = NotificationParamsSerializer(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            unread = params.validated_data.get("unread")
        return notifications_for(self.request.user, unread=unread)

    @extend_schema(summary=_("Mark one notification read"), request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notification_mark_read(notification=self.get_object(), by=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(summary=_("Mark all my notifications read"), request=None, responses={200: ReadAllSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        marked = notifications_mark_all_read(by=request.user)
        return Response({"marked": marked, "unread": unread_count(request.user)})

    @extend_schema(summary=_("How many of my notifications are unread"), responses={200: UnreadCountSerializer})
    @action(detail=False, methods=["get"], url_path="unread-count", pagination_class=None)
    def unread_count(self, request):
        return Response({"unread": unread_count(request.user)})


@extend_schema_view(
    list=extend_schema(summary=_("Reminders with nobody to receive them")),
    retrieve=extend_schema(summary=_("A reminder with nobody to receive it")),
)
class UnroutedReminderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Reminders that had nobody to receive them and went to the supervision office instead,
    newest first. For the supervision office and city leaders (others: 403)."""

    serializer_class = UnroutedReminderSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UnroutedReminder.objects.none()
        if not can_view_supervision(self.request.user):
            raise exceptions.PermissionDenied(_("Only the supervision office and city leaders see this list."))
        return unrouted_reminders_visible_to(self.request.user)
