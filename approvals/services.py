"""Writes of approvals: generating a project's checklist, moving an item through its steps
(approvals.workflow), changing its details, its documents.

Each function checks the permission (approvals.permissions), locks the row it changes,
validates, writes in one transaction, records an ApprovalEvent and the audit trail. Errors are
ApplicationError with field messages (403: core.errors.PermissionDenied).
"""

import os

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import workflow
from approvals.documents import validate_document_upload
from approvals.models import (
    MAX_TIME_LIMIT,
    ApprovalChecklist,
    ApprovalDocument,
    ApprovalEvent,
    ApprovalItem,
    ItemType,
    ProjectType,
    Status,
)
from approvals.permissions import (
    can_change_department,
    can_fire,
    can_generate_checklist,
    can_update_item,
    is_supervisor,
)
from core.calendar import WorkingCalendar
from core.errors import ApplicationError, Conflict, PermissionDenied
from core.services import _jsonable, audit_record, full_clean

NOTE_MAX = 2000


def _error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, fields={field: [message]})


def _event(item, *, by, action, from_status="", to_status="", note="", data=None) -> ApprovalEvent:
    return ApprovalEvent.objects.create(
        item=item,
        actor=by if getattr(by, "is_authenticated", False) else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data={k: _jsonable(v) for k, v in (data or {}).items()},
    )


# --- The checklist -----------------------------------------------------------------------------


@transaction.atomic
def checklist_generate(*, project, project_type: ProjectType, by) -> tuple[ApprovalChecklist, list[ApprovalItem]]:
    """Set the project's type and add the approval items it needs that the project lacks (in
    use, in their order, with the type's department and time limit). Idempotent: a second call
    adds nothing. Changing the type removes the items the new type does not need only while
    they are untouched (not started, no document, no history beyond their creation); the
    others stay. Returns the checklist and the items added."""
    if not can_generate_checklist(by, project):
        raise PermissionDenied(_("You may not change this project's approvals."))
    if project_type is None:
        raise _error("project_type", _("Choose the project type."))
    checklist = ApprovalChecklist.objects.select_for_update().filter(project=project).first()
    if checklist is None:
        checklist = ApprovalChecklist.objects.create(project=project, project_type=project_type)
        audit_record(actor=by, action="approval_checklist.create", obj=checklist, changes={"type": project_type.name})
    elif checklist.project_type_id != project_type.pk:
        old = checklist.project_type.name
        checklist.project_type = project_type
        checklist.save(update_fields=["project_type", "updated_at"])
        audit_record(
            actor=by, action="approval_checklist.update", obj=checklist, changes={"type": [old, project_type.name]}
        )
        needed = project_type.item_types.values("pk")
        untouched = (
            ApprovalItem.objects.filter(project=project, status=Status.NOT_STARTED, documents__isnull=True)
            .exclude(item_type__in=needed)
            .exclude(events__action__in=[*workflow.STEPS, "update", "document"])
        )
        for item in untouched:
            audit_record(actor=by, action="approval_item.delete", obj=item, changes={"name": item.name})
        untouched.delete()
    have = set(ApprovalItem.objects.filter(project=project).values_list("item_type_id", flat=True))
    wanted = (
        ItemType.objects.filter(active=True, project_types=project_type)
        .exclude(pk__in=have)
        .order_by("sort_order", "name")
    )
    added = []
    for item_type in wanted:
        item = ApprovalItem.objects.create(
            project=project,
            item_type=item_type,
            name=item_type.name,
            sort_order=item_type.sort_order,
            department=item_type.department,
            time_limit_days=item_type.time_limit_days,
            updated_by=by if getattr(by, "is_authenticated", False) else None,
        )
        _event(item, by=by, action="create", to_status=item.status)
        audit_record(actor=by, action="approval_item.create", obj=item, changes={"name": item.name})
        added.append(item)
    return checklist, added


# --- Steps -------------------------------------------------------------------------------------


@transaction.atomic
def item_transition(*, item: ApprovalItem, action: str, by, note: str = "", **payload) -> ApprovalItem:
    """Fire one step of the table on the item (approvals.workflow): check the actor, the state,
    the note and the step's payload, compute what it derives (due date, working days taken), save
    the changed fields, record the event and the audit entry."""
    step = workflow.step_for(action)
    if step is None:
        raise _error("action", _("Unknown action."))
    item = ApprovalItem.objects.select_for_update(of=("self",)).select_related("project__park").get(pk=item.pk)
    if not can_fire(by, item, step.actors):
        raise PermissionDenied(_("You may not do this to this approval item."))
    if item.status not in step.from_states:
        raise Conflict(
            _("This cannot be done to an item that is “%(status)s”.") % {"status": item.get_status_display()}
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise _error("note", _("Keep the note under %(n)d characters.") % {"n": NOTE_MAX})
    if step.note_required and not note:
        raise _error("note", _("Give a reason."))
    unknown = set(payload) - set(workflow.PAYLOAD_NAMES)
    if unknown:
        raise _error(sorted(unknown)[0], _("Unexpected field."))
    facts = {}
    if step.effect is not None:
        facts = step.effect(
            item,
            today=timezone.localdate(),
            calendar=WorkingCalendar(),
            **{k: v for k, v in payload.items() if k in step.fields},
        )
    old = item.status
    item.status = step.to_status
    item.updated_by = by
    full_clean(item)
    item.save()
    _event(item, by=by, action=action, from_status=old, to_status=item.status, note=note, data=facts)
    audit_record(
        actor=by,
        action=f"approval_item.{action}",
        obj=item,
        changes={"status": [old, item.status], **({"note": note} if note else {}), **facts},
    )
    return item


# --- Details -----------------------------------------------------------------------------------


def _clean_limit(value) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError) as exc:
        raise _error("time_limit_days", _("Enter a whole number of working days.")) from exc
    if not 1 <= days <= MAX_TIME_LIMIT:
        raise _error("time_limit_days", _("Enter between 1 and %(max)d working days.") % {"max": MAX_TIME_LIMIT})
    return days


def _check_issue(issue, item) -> None:
    if issue is not None and issue.project_id != item.project_id:
        raise _error("blocking_issue", _("Choose an issue of this project."))


@transaction.atomic
def item_update(*, item: ApprovalItem, by, **data) -> ApprovalItem:
    """Change an item's details: time limit (the due date follows), applied and approved dates
    (only when the item has them: the steps set them first), document number, blocking issue,
    note; the approving department (the supervision office only)."""
    item = (
        ApprovalItem.objects.select_for_update(of=("self",))
        .select_related("project__park", "department")
        .get(pk=item.pk)
    )
    if not can_update_item(by, item):
        raise PermissionDenied(_("You may not change this approval item."))
    allowed = {
        "time_limit_days",
        "applied_on",
        "approved_on",
        "approval_number",
        "blocking_issue",
        "note",
        "department",
    }
    unknown = set(data) - allowed
    if unknown:
        raise _error(sorted(unknown)[0], _("Unexpected field."))
    if "department" in data and data["department"] != item.department and not can_change_department(by, item):
        raise PermissionDenied(_("Only the supervision office changes the approving department."))
    today = timezone.localdate()
    changes: dict = {}

    def put(field, value):
        old = getattr(item, field)
        if old != value:
            setattr(item, field, value)
            changes[field] = [old.pk if hasattr(old, "pk") else old, value.pk if hasattr(value, "pk") else value]

    if "time_limit_days" in data:
        put("time_limit_days", _clean_limit(data["time_limit_days"]))
    for field in ("applied_on", "approved_on"):
        if field in data and data[field] != getattr(item, field):
            value = data[field]
            if getattr(item, field) is None or value is None:
                raise _error(field, _("Record this date with the item's step, not here."))
            if value > today:
                raise _error(field, _("This date cannot be in the future."))
            put(field, value)
    if "approval_number" in data:
        if item.status != Status.DONE and (data["approval_number"] or "").strip():
            raise _error("approval_number", _("Only an approved item has a document number."))
        put("approval_number", (data["approval_number"] or "").strip()[:100])
    if "note" in data:
        note = (data["note"] or "").strip()
        if len(note) > NOTE_MAX:
            raise _error("note", _("Keep the note under %(n)d characters.") % {"n": NOTE_MAX})
        put("note", note)
    if "blocking_issue" in data:
        _check_issue(data["blocking_issue"], item)
        put("blocking_issue", data["blocking_issue"])
    if "department" in data:
        put("department", data["department"])
    if not changes:
        return item
    calendar = WorkingCalendar()
    if item.applied_on and ({"applied_on", "time_limit_days"} & set(changes)):
        item.due_date, item.due_provisional = workflow.due_date_of(item.applied_on, item.time_limit_days, calendar)
        changes["due_date"] = item.due_date
    if item.approved_on and ({"applied_on", "approved_on"} & set(changes)):
        if item.approved_on < item.applied_on:
            raise _error("approved_on", _("The approval date cannot be before the application date."))
        item.working_days_taken = calendar.working_days_between(item.applied_on, item.approved_on)
        changes["working_days_taken"] = item.working_days_taken
    item.updated_by = by
    full_clean(item)
    item.save()
    _event(item, by=by, action="update", data=changes)
    audit_record(actor=by, action="approval_item.update", obj=item, changes=changes)
    return item


# --- Documents ---------------------------------------------------------------------------------


@transaction.atomic
def document_add(*, item: ApprovalItem, by, upload, title: str = "") -> ApprovalDocument:
    """Attach a document (PDF or image, checked by content) to the item."""
    item = ApprovalItem.objects.select_for_update(of=("self",)).select_related("project__park").get(pk=item.pk)
    if not can_update_item(by, item):
        raise PermissionDenied(_("You may not change this approval item."))
    content_type = validate_document_upload(upload)
    title = (title or "").strip()
    if len(title) > 200:
        raise _error("title", _("Keep the title under 200 characters."))
    name = os.path.basename(upload.name or "document")[:200]
    document = ApprovalDocument(
        item=item,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        title=title,
        uploaded_by=by,
    )
    document.file.save(name, upload, save=False)
    document.save()
    _event(item, by=by, action="document", data={"name": name})
    audit_record(actor=by, action="approval_document.create", obj=document, changes={"item": item.pk, "name": name})
    return document


@transaction.atomic
def document_delete(*, document: ApprovalDocument, by) -> None:
    item = ApprovalItem.objects.select_for_update(of=("self",)).select_related("project__park").get(pk=document.item_id)
    if not can_update_item(by, item):
        raise PermissionDenied(_("You may not change this approval item."))
    _event(item, by=by, action="document_delete", data={"name": document.original_name})
    audit_record(actor=by, action="approval_document.delete", obj=document, changes={"name": document.original_name})
    stored = document.file.name
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(stored))


# --- Item types --------------------------------------------------------------------------------


@transaction.atomic
def item_types_fill_departments(*, by, departments: dict) -> int:
    """Give the item types that have no approving department the one named for them
    (`{item type name: Department}`); the ones already set stay. Returns how many changed."""
    if not is_supervisor(by):
        raise PermissionDenied(_("Only the supervision office edits the approval item types."))
    changed = 0
    for item_type in ItemType.objects.select_for_update().filter(department__isnull=True, name__in=list(departments)):
        item_type.department = departments[item_type.name]
        item_type.save(update_fields=["department", "updated_at"])
        audit_record(
            actor=by, action="approval_type.update", obj=item_type, changes={"department": item_type.department}
        )
        ApprovalItem.objects.filter(item_type=item_type, department__isnull=True).update(
            department=item_type.department
        )
        changed += 1
    return changed
