"""Writes shared by every app: the audit trail."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.errors import ApplicationError
from core.models import AUDIT_MIN_RETENTION_DAYS, AuditEntry


def _jsonable(value):
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)  # plain str, also for TextChoices members
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def audit_record(*, actor, action: str, obj: models.Model, changes: dict | None = None) -> AuditEntry:
    """Append one audit entry. Call it inside the service's transaction, after the write."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes={k: _jsonable(v) for k, v in (changes or {}).items()},
    )


def audit_purge_expired(*, now=None) -> int:
    """Delete audit entries older than settings.AUDIT_RETENTION_DAYS (never fewer than
    core.models.AUDIT_MIN_RETENTION_DAYS: the system check refuses a shorter setting, the model
    and the database refuse to delete a younger row). Returns how many went."""
    days = max(settings.AUDIT_RETENTION_DAYS, AUDIT_MIN_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    return AuditEntry.objects.purge_before(cutoff)


def full_clean(instance: models.Model) -> None:
    """Run the model's validation; its errors become an ApplicationError with field messages."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ApplicationError.from_validation_error(exc) from exc


def model_update(*, instance: models.Model, data: dict, fields: list[str]) -> tuple[models.Model, dict]:
    """Apply `data` to the listed `fields`, validate, save only what changed.

    Returns the instance and {field: [old, new]} for the audit trail. Validation errors (from
    `full_clean`) are raised as ApplicationError with field messages, nothing saved.
    """
    changed: dict = {}
    for field in fields:
        if field not in data:
            continue
        old = getattr(instance, field)
        new = data[field]
        if old != new:
            setattr(instance, field, new)
            changed[field] = [_jsonable(old), _jsonable(new)]
    if changed:
        full_clean(instance)
        update_fields = list(changed)
        if any(f.name == "updated_at" for f in instance._meta.fields):
            update_fields.append("updated_at")
        instance.save(update_fields=update_fields)
    return instance, changed
