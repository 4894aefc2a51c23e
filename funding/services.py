"""Writes of funding: a project's lines by source and year, and the policy funds sought.

Each function checks the permission (funding.permissions), validates, writes in one
transaction and records the audit trail. Errors are ApplicationError with field messages.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError, PermissionDenied
from core.services import audit_record, full_clean, model_update
from funding.models import FundingLine, PolicyStatus, PolicySupport, Source
from funding.permissions import can_edit_funding

POLICY_FIELDS = [
    "name",
    "level",
    "amount_sought",
    "amount_granted",
    "status",
    "applied_on",
    "approved_on",
    "disbursed_on",
    "note",
]


def _error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, fields={field: [message]})


def _amount(value, *, field: str, required: bool = True) -> Decimal | None:
    """An amount in 万元: a non-negative number with at most two decimal places."""
    if value is None or value == "":
        if required:
            raise _error(field, _("Enter an amount in 10k yuan."))
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise _error(field, _("Enter a number.")) from exc
    if not amount.is_finite():
        raise _error(field, _("Enter a number."))
    if amount < 0:
        raise _error(field, _("The amount cannot be negative."))
    if amount != amount.quantize(Decimal("0.01")):
        raise _error(field, _("Use at most two decimal places (10k yuan)."))
    return amount


def _require(by, project) -> None:
    if not can_edit_funding(by, project):
        raise PermissionDenied(_("You may not change this project's funding."))


# --- Funding lines -----------------------------------------------------------------------------


@transaction.atomic
def funding_line_set(
    *, project, year: int, source: str, by, planned, received=Decimal("0"), note: str = ""
) -> FundingLine:
    """Set the planned and received funds of one source for one year (creating the line or
    changing it). Nothing is received for a year that has not begun."""
    _require(by, project)
    if source not in Source.values:
        raise _error("source", _("Choose a source of funds."))
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise _error("year", _("Enter a year.")) from exc
    if not 2000 <= year <= 2100:
        raise _error("year", _("Enter a year between 2000 and 2100."))
    planned = _amount(planned, field="planned")
    received = _amount(received if received not in (None, "") else Decimal("0"), field="received")
    if received > 0 and year > timezone.localdate().year:
        raise _error("received", _("Nothing can have been received for a year that has not begun."))
    line = FundingLine.objects.select_for_update().filter(project=project, year=year, source=source).first()
    data = {"planned": planned, "received": received, "note": (note or "").strip()}
    if line is None:
        line = FundingLine(project=project, year=year, source=source, updated_by=by, **data)
        full_clean(line)
        line.save()
        audit_record(
            actor=by,
            action="funding.create",
            obj=line,
            changes={"year": year, "source": source, "planned": planned, "received": received},
        )
        return line
    line, changes = model_update(instance=line, data=data, fields=["planned", "received", "note"])
    if changes:
        line.updated_by = by
        line.save(update_fields=["updated_by"])
        audit_record(actor=by, action="funding.update", obj=line, changes=changes)
    return line


@transaction.atomic
def funding_line_delete(*, line: FundingLine, by) -> None:
    _require(by, line.project)
    audit_record(
        actor=by,
        action="funding.delete",
        obj=line,
        changes={"year": line.year, "source": line.source, "planned": line.planned, "received": line.received},
    )
    line.delete()


# --- Policy funds sought -----------------------------------------------------------------------


def _check_policy(data: dict, today: datetime.date) -> None:
    """The rules between status, amounts and dates (field errors, in the user's language)."""
    status = data.get("status")
    if status not in PolicyStatus.values:
        raise _error("status", _("Choose a status."))
    if not (data.get("name") or "").strip():
        raise _error("name", _("Name the policy."))
    for field in ("applied_on", "approved_on", "disbursed_on"):
        if data.get(field) and data[field] > today:
            raise _error(field, _("This date cannot be in the future."))
    if status != PolicyStatus.PLANNING and not data.get("applied_on"):
        raise _error("applied_on", _("Give the date it was applied for."))
    if status in (PolicyStatus.APPROVED, PolicyStatus.DISBURSED):
        if not data.get("approved_on"):
            raise _error("approved_on", _("Give the date it was approved."))
        if data.get("amount_granted") is None:
            raise _error("amount_granted", _("Give the amount granted."))
    if status == PolicyStatus.DISBURSED and not data.get("disbursed_on"):
        raise _error("disbursed_on", _("Give the date it was disbursed."))
    if status in (PolicyStatus.PLANNING, PolicyStatus.APPLYING, PolicyStatus.REJECTED):
        if data.get("amount_granted") is not None:
            raise _error("amount_granted", _("An amount is granted only when the policy fund is approved."))
        if data.get("approved_on") or data.get("disbursed_on"):
            raise _error("approved_on", _("Only an approved policy fund has an approval or disbursement date."))
    if status == PolicyStatus.APPROVED and data.get("disbursed_on"):
        raise _error("status", _("A disbursed policy fund has the status “disbursed”."))
    applied, approved, disbursed = data.get("applied_on"), data.get("approved_on"), data.get("disbursed_on")
    if applied and approved and approved < applied:
        raise _error("approved_on", _("The approval date cannot be before the application date."))
    if approved and disbursed and disbursed < approved:
        raise _error("disbursed_on", _("The disbursement date cannot be before the approval date."))


def _clean_policy_data(data: dict) -> dict:
    data = {k: v for k, v in data.items() if k in POLICY_FIELDS}
    if "amount_sought" in data:
        data["amount_sought"] = _amount(data["amount_sought"], field="amount_sought")
    if "amount_granted" in data:
        data["amount_granted"] = _amount(data["amount_granted"], field="amount_granted", required=False)
    for key in ("name", "note"):
        if key in data:
            data[key] = (data[key] or "").strip()
    return data


@transaction.atomic
def policy_support_create(*, project, by, **data) -> PolicySupport:
    """Record a policy fund sought for the project (争取政策资金)."""
    _require(by, project)
    data = _clean_policy_data({"status": PolicyStatus.PLANNING, **data})
    if data.get("amount_sought") is None:
        raise _error("amount_sought", _("Enter an amount in 10k yuan."))
    _check_policy(data, timezone.localdate())
    policy = PolicySupport(project=project, updated_by=by, **data)
    full_clean(policy)
    policy.save()
    audit_record(
        actor=by,
        action="policy_support.create",
        obj=policy,
        changes={"name": policy.name, "status": policy.status, "amount_sought": policy.amount_sought},
    )
    return policy


@transaction.atomic
def policy_support_update(*, policy: PolicySupport, by, **data) -> PolicySupport:
    """Change a policy fund sought: its status, amounts, dates (the rules of `_check_policy`)."""
    _require(by, policy.project)
    policy = PolicySupport.objects.select_for_update().get(pk=policy.pk)
    data = _clean_policy_data(data)
    merged = {field: data.get(field, getattr(policy, field)) for field in POLICY_FIELDS}
    _check_policy(merged, timezone.localdate())
    policy, changes = model_update(instance=policy, data=data, fields=POLICY_FIELDS)
    if changes:
        policy.updated_by = by
        policy.save(update_fields=["updated_by"])
        audit_record(actor=by, action="policy_support.update", obj=policy, changes=changes)
    return policy


@transaction.atomic
def policy_support_delete(*, policy: PolicySupport, by) -> None:
    _require(by, policy.project)
    audit_record(
        actor=by, action="policy_support.delete", obj=policy, changes={"name": policy.name, "status": policy.status}
    )
    policy.delete()
