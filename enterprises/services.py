"""Writes of the enterprise directory. Supervisors only; every write is audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import PermissionDenied
from core.services import audit_record, full_clean, model_update
from enterprises.models import Enterprise
from enterprises.permissions import can_manage_directory

ENTERPRISE_FIELDS = [
    "name",
    "short_name",
    "credit_code",
    "park",
    "industry",
    "is_key",
    "contact_name",
    "contact_phone",
    "address",
]


def _require_manager(user) -> None:
    if not can_manage_directory(user):
        raise PermissionDenied(_("Only the supervision office may change the enterprise directory."))


@transaction.atomic
def enterprise_create(*, by, segments=None, **data) -> Enterprise:
    _require_manager(by)
    enterprise = Enterprise(**{k: v for k, v in data.items() if k in ENTERPRISE_FIELDS})
    enterprise.credit_code = (enterprise.credit_code or "").strip().upper()
    full_clean(enterprise)
    enterprise.save()
    if segments is not None:
        enterprise.segments.set(segments)
    audit_record(actor=by, action="enterprise.create", obj=enterprise, changes={"name": enterprise.name})
    return enterprise


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, by, segments=None, **data) -> Enterprise:
    _require_manager(by)
    if "credit_code" in data:
        data["credit_code"] = (data["credit_code"] or "").strip().upper()
    enterprise, changes = model_update(instance=enterprise, data=data, fields=ENTERPRISE_FIELDS)
    if segments is not None:
        before = set(enterprise.segments.values_list("pk", flat=True))
        after = {s.pk for s in segments}
        if before != after:
            enterprise.segments.set(segments)
            changes["segments"] = [sorted(before), sorted(after)]
    if changes:
        audit_record(actor=by, action="enterprise.update", obj=enterprise, changes=changes)
    return enterprise
