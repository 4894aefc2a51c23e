"""Output serializers of the notification API (the current user's own notifications)."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from notifications.models import Notification, UnroutedReminder


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    read = serializers.BooleanField(source="is_read", read_only=True)
    object_type = serializers.SerializerMethodField(
        help_text=_("milestone, issue, project, issueevent, or user (the reader of a weekly briefing).")
    )

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "body",
            "link",
            "due_date",
            "object_type",
            "object_id",
            "read",
            "read_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_object_type(self, notification) -> str:
        return ContentType.objects.get_for_id(notification.content_type_id).model


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True, help_text=_("How many were unread."))
    unread = serializers.IntegerField(read_only=True)


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField(read_only=True)


class UnroutedReminderSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)
    object_type = serializers.SlugRelatedField(
        source="content_type", slug_field="model", read_only=True, help_text=_("milestone, issue or project.")
    )
    routed_to = serializers.IntegerField(
        read_only=True, help_text=_("How many supervisors received it instead (0: there was no supervisor).")
    )

    class Meta:
        model = UnroutedReminder
        fields = [
            "id",
            "kind",
            "kind_label",
            "reason",
            "reason_label",
            "title",
            "link",
            "due_date",
            "step",
            "object_type",
            "object_id",
            "project",
            "department",
            "routed_to",
            "recorded_at",
        ]
        read_only_fields = fields
