"""Writes of intake: candidates (create, edit, the steps of intake.workflow), the yearly
dispatch list, and the import of candidate lists.

Every function checks the permission itself (intake.permissions), validates, runs in one
transaction and records the audit trail; every change of a candidate is a CandidateEvent.
`candidate_transition` is the only code that changes a candidate's status after it is created.
"""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import sheets
from core.errors import ApplicationError, Conflict, PermissionDenied
from core.roles import official_of
from core.services import audit_record, full_clean
from enterprises.models import Enterprise
from intake import workflow
from intake.imports import CandidateRowImporter, read_candidates
from intake.models import Candidate, CandidateEvent, CandidateImport, DispatchEntry, DispatchEvent, Status
from intake.permissions import (
    can_fire,
    can_import_candidates,
    can_manage_dispatch,
    can_submit,
    can_submit_for,
    is_submitter,
)

CANDIDATE_FIELDS = [
    "name",
    "enterprise",
    "enterprise_name",
    "credit_code",
    "park",
    "segment",
    "content",
    "total_investment",
    "land_area",
    "energy_tce",
    "expected_start",
    "contact_name",
    "contact_phone",
]
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})


def _error(field: str, message: str, code: str = "invalid") -> ApplicationError:
    return ApplicationError(message, fields={field: [message]}, code=code)


def _number(value, *, field: str, required: bool) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise _error(field, _("This field is required."))
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise _error(field, _("Enter a number.")) from exc
    if not number.is_finite():
        raise _error(field, _("Enter a number."))
    if number < 0:
        raise _error(field, _("The number cannot be negative."))
    if number != number.quantize(Decimal("0.01")):
        raise _error(field, _("Use at most two decimal places."))
    return number


def _record(*, candidate: Candidate, by, action: str, from_status: str, to_status: str, note: str = "", data=None):
    return CandidateEvent.objects.create(
        candidate=candidate,
        actor=by if getattr(by, "is_authenticated", False) else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data or {},
    )


def _clean(data: dict) -> dict:
    """Typed, trimmed values; a new enterprise's credit code that the directory already knows
    becomes that enterprise."""
    data = {k: v for k, v in data.items() if k in CANDIDATE_FIELDS}
    for key in ("name", "enterprise_name", "content", "contact_name", "contact_phone"):
        if key in data:
            data[key] = (data[key] or "").strip()
    if "credit_code" in data:
        data["credit_code"] = (data["credit_code"] or "").strip().upper()
    if "total_investment" in data:
        data["total_investment"] = _number(data["total_investment"], field="total_investment", required=True)
    for key in ("land_area", "energy_tce"):
        if key in data:
            data[key] = _number(data[key], field=key, required=False)
    if data.get("enterprise") is None and data.get("credit_code"):
        known = Enterprise.objects.filter(credit_code=data["credit_code"]).first()
        if known is not None:
            data["enterprise"] = known
    if data.get("enterprise") is not None:
        data["enterprise_name"], data["credit_code"] = "", ""
    return data


def _check(candidate: Candidate) -> None:
    if not candidate.name:
        raise _error("name", _("Name the project."))
    if not candidate.content:
        raise _error("content", _("Describe what is to be built."))
    if candidate.enterprise_id is None:
        if not candidate.enterprise_name:
            raise _error("enterprise", _("Choose the enterprise, or give a new enterprise's name and credit code."))
        if not candidate.credit_code:
            raise _error("credit_code", _("Give the new enterprise's unified social credit code."))
    if candidate.segment_id is not None and candidate.park_id is None:
        raise _error("park", _("Choose the park."))
    duplicate = (
        Candidate.objects.filter(name=candidate.name, park_id=candidate.park_id, status__in=Status.open_values())
        .exclude(pk=candidate.pk)
        .exists()
    )
    if duplicate:
        raise _error("name", _("A candidate of this name is already under way in this park."), code="duplicate")
    full_clean(candidate)


@transaction.atomic
def candidate_create(*, by, unit=None, submit: bool = False, note: str = "", **data) -> Candidate:
    """Create a candidate for `unit` (default: the user's own department) as a draft, or
    submitted for review at once (`submit`). Raises PermissionDenied when the user may not
    submit for that unit and ApplicationError with field errors for bad input."""
    if not can_submit(by):
        raise PermissionDenied(_("Only park committees, departments and the supervision office submit projects."))
    if unit is None:
        official = official_of(by)
        unit = official.department if official else None
    if unit is None:
        raise _error("unit", _("Choose the submitting unit."))
    if not can_submit_for(by, unit):
        raise PermissionDenied(_("You may submit projects only for your own unit."))
    data = _clean(data)
    if data.get("total_investment") is None:
        raise _error("total_investment", _("This field is required."))
    if data.get("park") is None:
        raise _error("park", _("Choose the park."))
    candidate = Candidate(unit=unit, created_by=by, status=Status.DRAFT, **data)
    _check(candidate)
    candidate.save()
    _record(candidate=candidate, by=by, action="create", from_status="", to_status=Status.DRAFT)
    audit_record(actor=by, action="candidate.create", obj=candidate, changes={"name": candidate.name, "unit": unit})
    if submit:
        candidate = candidate_transition(candidate=candidate, action="submit", by=by, note=note)
    return candidate


@transaction.atomic
def candidate_update(*, candidate: Candidate, by, **data) -> Candidate:
    """Edit a draft or a returned candidate (its submitting unit). The changed fields are
    recorded as an "edit" event; submitting again is its own step."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if not is_submitter(by, candidate):
        raise PermissionDenied(_("Only the submitting unit may change this candidate."))
    if candidate.status not in EDITABLE:
        raise Conflict(_("Only a draft or a returned candidate can be changed."))
    data = _clean(data)
    changes = {}
    for field, value in data.items():
        old = getattr(candidate, field)
        if old != value:
            setattr(candidate, field, value)
            changes[field] = [old, value]
    if not changes:
        return candidate
    _check(candidate)
    candidate.save()
    readable = {k: [str(v) if v is not None else None for v in pair] for k, pair in changes.items()}
    _record(
        candidate=candidate,
        by=by,
        action="edit",
        from_status=candidate.status,
        to_status=candidate.status,
        data={"fields": sorted(changes)},
    )
    audit_record(actor=by, action="candidate.update", obj=candidate, changes=readable)
    return candidate


@transaction.atomic
def candidate_transition(*, candidate: Candidate, action: str, by, note: str = "", **payload) -> Candidate:
    """Fire one step of intake.workflow: lock the row, check the state, the actor, the note and
    the payload, run the step's effect, save, write the event and the audit entry."""
    step = workflow.step_for(action)
    if step is None:
        raise _error("action", _("Unknown action."))
    unused = set(payload) - set(step.fields)
    if unused:
        raise ApplicationError(
            _("This field is not used by “%(action)s”.") % {"action": step.label},
            fields={name: [_("This field is not used by “%(action)s”.") % {"action": step.label}] for name in unused},
        )
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status not in step.from_states:
        raise Conflict(
            _("“%(action)s” is not possible: the candidate is %(status)s.")
            % {"action": step.label, "status": candidate.get_status_display()}
        )
    if not can_fire(by, candidate, step.actors):
        raise PermissionDenied(_("You may not “%(action)s” this candidate.") % {"action": step.label})
    note = (note or "").strip()
    if step.note_required and not note:
        raise _error("note", _("Write a note: it is required for “%(action)s”.") % {"action": step.label})
    now = timezone.now()
    from_status = candidate.status
    data = {}
    if step.effect is not None:
        data = step.effect(candidate, by=by, note=note, now=now, **{f: payload.get(f) for f in step.fields})
    candidate.status = step.to_status
    if step.decides:
        candidate.decided_at = now
    candidate.save()
    _record(
        candidate=candidate,
        by=by,
        action=action,
        from_status=from_status,
        to_status=step.to_status,
        note=note,
        data=data,
    )
    audit_record(
        actor=by,
        action=f"candidate.{action}",
        obj=candidate,
        changes={"status": [from_status, step.to_status], "note": note, **data},
    )
    return candidate


# --- The dispatch list (调度库) ------------------------------------------------------------------


def _year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise _error("year", _("Enter a year.")) from exc
    if not 2000 <= year <= 2100:
        raise _error("year", _("Enter a year between 2000 and 2100."))
    return year


@transaction.atomic
def dispatch_add(*, project, year, by, note: str = "") -> DispatchEntry:
    """Put a project of the library on a year's dispatch list (supervisors)."""
    if not can_manage_dispatch(by):
        raise PermissionDenied(_("Only the supervision office manages the dispatch list."))
    year = _year(year)
    if project.stage == "stopped":
        raise _error("project", _("A stopped project cannot go on the dispatch list."))
    note = (note or "").strip()
    try:
        with transaction.atomic():
            entry = DispatchEntry.objects.create(project=project, year=year, added_by=by, note=note[:200])
    except IntegrityError as exc:
        raise Conflict(_("The project is already on that year's dispatch list.")) from exc
    DispatchEvent.objects.create(project=project, year=year, action=DispatchEvent.Action.ADD, reason=note, actor=by)
    audit_record(actor=by, action="dispatch.add", obj=project, changes={"year": year, "note": note})
    return entry


@transaction.atomic
def dispatch_remove(*, project, year, by, reason: str) -> None:
    """Take a project off a year's dispatch list (supervisors); the reason is required."""
    if not can_manage_dispatch(by):
        raise PermissionDenied(_("Only the supervision office manages the dispatch list."))
    year = _year(year)
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", _("Give the reason for taking the project off the list."))
    entry = DispatchEntry.objects.select_for_update().filter(project=project, year=year).first()
    if entry is None:
        raise Conflict(_("The project is not on that year's dispatch list."))
    entry.delete()
    DispatchEvent.objects.create(
        project=project, year=year, action=DispatchEvent.Action.REMOVE, reason=reason, actor=by
    )
    audit_record(actor=by, action="dispatch.remove", obj=project, changes={"year": year, "reason": reason})


# --- Importing a candidate list --------------------------------------------------------------------


def _require_importer(by) -> None:
    if not can_import_candidates(by):
        raise PermissionDenied(_("Only park committees, departments and the supervision office submit projects."))


@transaction.atomic
def candidate_import_check(*, upload, by) -> CandidateImport:
    """Dry run: check an uploaded candidate list row by row (core.sheets) and keep the file for
    the commit. Nothing but the import record is saved; its errors name row and column."""
    _require_importer(by)
    sheets.check_upload(upload)
    rows = read_candidates(upload)
    if not rows:
        raise sheets.file_error(_("The file has no project rows."), code="empty")
    importer = CandidateRowImporter(by=by, rows=rows, create=candidate_create)
    errors = sheets.run_rows(rows, importer, commit=False)
    upload.seek(0)
    batch = CandidateImport(
        original_name=(upload.name or "")[:200],
        uploaded_by=by,
        row_count=len(rows),
        errors=errors,
        created_count=importer.created if not errors else 0,
    )
    batch.file.save(f"candidates-{timezone.now():%Y%m%d%H%M%S}.xlsx", upload, save=False)
    batch.save()
    audit_record(
        actor=by, action="candidate_import.check", obj=batch, changes={"rows": len(rows), "errors": len(errors)}
    )
    return batch


@transaction.atomic
def candidate_import_commit(*, batch: CandidateImport, by) -> CandidateImport:
    """Import a checked file: every row or none (each a candidate submitted for review). Raises
    core.sheets.ImportFailed (nothing saved) if a row fails now, Conflict if already imported."""
    _require_importer(by)
    batch = CandidateImport.objects.select_for_update().get(pk=batch.pk)
    if batch.uploaded_by_id != by.pk and not can_manage_dispatch(by):
        raise PermissionDenied(_("Only who uploaded the file may import it."))
    if batch.status == CandidateImport.Status.COMMITTED:
        raise Conflict(_("This file has already been imported."))
    if batch.errors:
        raise ApplicationError(_("Correct the errors and upload the file again."), code="has_errors")
    with batch.file.open("rb") as handle:
        rows = read_candidates(handle)
    importer = CandidateRowImporter(by=by, rows=rows, create=candidate_create)
    errors = sheets.run_rows(rows, importer, commit=True)
    if errors:
        raise sheets.ImportFailed(
            _("%(n)d problems found; nothing was imported.") % {"n": len(errors)},
            errors=errors,
        )
    batch.status = CandidateImport.Status.COMMITTED
    batch.created_count = importer.created
    batch.committed_at = timezone.now()
    batch.save(update_fields=["status", "created_count", "committed_at"])
    audit_record(actor=by, action="candidate_import.commit", obj=batch, changes={"created": importer.created})
    return batch
