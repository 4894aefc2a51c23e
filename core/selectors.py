"""Reads shared by every app: the audit trail."""

from django.db.models import QuerySet

from core.models import AuditEntry
from core.roles import is_supervisor


def can_read_audit(user) -> bool:
    """The audit trail is read by the supervision office (督查室) only."""
    return is_supervisor(user)


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    """Every entry for supervisors, none for anyone else; newest first, with what a row shows."""
    if not can_read_audit(user):
        return AuditEntry.objects.none()
    return AuditEntry.objects.select_related("actor", "content_type").order_by("-at", "-id")
