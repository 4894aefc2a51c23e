"""GET /api/v1/audit-entries/: the audit trail for the supervision office, with the page's filters
(dashboards.audit_filters.AuditFilter). Read-only: nothing in the API changes or deletes an entry."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets

from core.models import AuditEntry
from core.selectors import audit_entries_visible_to, can_read_audit
from dashboards.audit_filters import AuditFilter


class CanReadAudit(permissions.BasePermission):
    message = _("Only the supervision office reads the audit log.")

    def has_permission(self, request, view) -> bool:
        return can_read_audit(request.user)


class AuditEntrySerializer(serializers.ModelSerializer):
    actor_username = serializers.SerializerMethodField()
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "actor_username",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
        ]
        read_only_fields = fields

    def get_actor_username(self, entry) -> str | None:
        return entry.actor.get_username() if entry.actor_id else None

    def get_object_type(self, entry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"


@extend_schema_view(
    list=extend_schema(summary=_("The audit log")),
    retrieve=extend_schema(summary=_("An audit entry")),
)
class AuditEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Who did what to which record, newest first. Supervisors only."""

    serializer_class = AuditEntrySerializer
    permission_classes = [permissions.IsAuthenticated, CanReadAudit]
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuditFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditEntry.objects.none()
        return audit_entries_visible_to(self.request.user)
