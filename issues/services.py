"""Writes to issues: raising, the workflow, deadlines, site visits, time limits.

Every function checks the permission itself (issues.permissions), validates before writing, runs
in one transaction, records the audit trail, and announces each new IssueEvent through
issues.hooks.issue_event_committed on commit (the apps above subscribe; issues imports none of
them). `issue_transition` is the only code that changes `Issue.status` after an issue is raised;
it reads the table in issues.workflow. Deadlines are computed by issues.deadlines.
"""

import dataclasses
import datetime
import logging
from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.calendar import WorkingCalendar, end_of_day, local_date
from core.errors import ApplicationError, Conflict, PermissionDenied
from core.files import display_name
from core.models import Department, Official, Role
from core.roles import role_of
from core.services import audit_record, full_clean, model_update
from core.uploads import validate_image_upload
from issues import deadlines, hooks, workflow
from issues.defaults import default_time_limits
from issues.models import (
    Category,
    Issue,
    IssueEvent,
    IssuePhoto,
    Source,
    Status,
    TimeLimitRule,
    Urgency,
    Visit,
)
from issues.permissions import (
    can_instruct,
    can_manage_time_limits,
    can_raise_issue,
    can_record_visit,
    can_transition,
)

logger = logging.getLogger(__name__)

MAX_PHOTOS = 9
TITLE_FROM_DESCRIPTION = 40


def time_limits_for(*, category: str, urgency: str) -> tuple[int, int, int]:
    """(routing, response, resolution) working days for a category and urgency, from the table."""
    rule = TimeLimitRule.objects.filter(category=category, urgency=urgency).first()
    if rule is None:
        return default_time_limits(category, urgency)
    return rule.assign_days, rule.response_days, rule.resolution_days


# --- Events ------------------------------------------------------------------------------------


def _record_event(*, issue: Issue, by, action: str, from_status: str, to_status: str, note: str = "", data=None):
    """Write one IssueEvent and announce it (issues.hooks.issue_event_committed) after commit."""
    event = IssueEvent.objects.create(
        issue=issue,
        actor=by if getattr(by, "is_authenticated", False) else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data or {},
    )
    transaction.on_commit(partial(hooks.issue_event_committed.send, event_id=event.pk), robust=True)
    return event


# --- Helpers ------------------------------------------------------------------------------------


def _field_error(field: str, message: str, *, code: str = "invalid") -> ApplicationError:
    return ApplicationError(message, fields={field: [message]}, code=code)


def _name(obj) -> str | None:
    return str(obj) if obj is not None else None


def _validate_photos(photos) -> list:
    photos = [p for p in (photos or []) if p]
    if len(photos) > MAX_PHOTOS:
        raise _field_error("photos", _("At most %(n)d photos per issue.") % {"n": MAX_PHOTOS})
    for photo in photos:
        validate_image_upload(photo, field="photos")
    return photos


# --- Raising an issue ----------------------------------------------------------------------------


@transaction.atomic
def issue_create(
    *,
    by,
    enterprise,
    category: str,
    description: str,
    urgency: str = Urgency.NORMAL,
    title: str = "",
    source: str | None = None,
    project=None,
    photos: Iterable = (),
    lead_department: Department | None = None,
    co_departments: Iterable[Department] = (),
    handler: Official | None = None,
    deadline: datetime.date | None = None,
    blocks_milestone=None,
    visit: Visit | None = None,
) -> Issue:
    """Raise an issue. Deadlines come from the time-limit table in working days after today.

    A leader or supervisor may give an instruction: name the lead department (the issue starts
    assigned) and an explicit resolution deadline (a day after today). `visit` makes it one of
    a site visit's instructions (source "site visit"). Raises ApplicationError with field
    errors for bad input and PermissionDenied when the user may not raise it; nothing is saved.
    """
    if enterprise is None:
        raise _field_error("enterprise", _("Choose the enterprise."))
    description = (description or "").strip()
    if not description:
        raise _field_error("description", _("Describe the issue."))
    if category not in Category.values:
        raise _field_error("category", _("Choose a category."))
    if urgency not in Urgency.values:
        raise _field_error("urgency", _("Choose an urgency."))
    if not can_raise_issue(by, enterprise):
        raise PermissionDenied(_("You can log issues only for enterprises your service team serves."))
    instructing = visit is not None or lead_department is not None or deadline is not None
    if instructing and not can_instruct(by):
        raise PermissionDenied(_("Only leaders and the supervision office may give instructions."))
    if source is None:
        source = Source.SITE_VISIT if visit else (Source.LEADER_INSTRUCTION if instructing else Source.SERVICE_TEAM)
    if source not in Source.values:
        raise _field_error("source", _("Choose a source."))
    if (source == Source.SITE_VISIT) != (visit is not None):
        raise _field_error("source", _("Instructions from a site visit are recorded with the visit."))
    if source == Source.LEADER_INSTRUCTION and not can_instruct(by):
        raise _field_error("source", _("Only leaders and the supervision office record leaders' instructions."))
    if blocks_milestone is not None:
        if project is None:
            project = blocks_milestone.project
        if blocks_milestone.project_id != project.pk:
            raise _field_error("blocks_milestone", _("The milestone must belong to the issue's project."))
    if project is not None and project.enterprise_id != enterprise.pk:
        raise _field_error("project", _("The project must belong to the enterprise."))
    today = timezone.localdate()
    if deadline is not None and deadline <= today:
        raise _field_error("deadline", _("The deadline must be a day after today."))
    co = []
    if lead_department is not None:
        co = workflow.check_department_assignment(
            lead_department=lead_department, co_departments=co_departments, handler=handler
        )
    elif handler is not None or co_departments:
        raise _field_error("lead_department", _("Choose the lead department."))
    photos = _validate_photos(photos)

    now = timezone.now()
    assign_days, response_days, resolution_days = time_limits_for(category=category, urgency=urgency)
    issue = Issue(
        enterprise=enterprise,
        project=project,
        source=source,
        category=category,
        urgency=urgency,
        title=(title or "").strip() or description.splitlines()[0][:TITLE_FROM_DESCRIPTION],
        description=description,
        raised_by=by,
        raised_at=now,
        visit=visit,
        blocks_milestone=blocks_milestone,
        assign_days=assign_days,
        response_days=response_days,
        resolution_days=None if deadline else resolution_days,
        resolution_counted_from=today,
        deadline_explicit=deadline is not None,
        status=Status.ASSIGNED if lead_department else Status.NEW,
        lead_department=lead_department,
        handler=handler,
    )
    if deadline is not None:
        issue.resolution_deadline = end_of_day(deadline)
    for field, value in deadlines.computed_deadlines(issue, WorkingCalendar()).items():
        setattr(issue, field, value)
    full_clean(issue)
    issue.save()
    if co:
        issue.co_departments.set(co)
    for photo in photos:
        IssuePhoto.objects.create(issue=issue, image=photo, original_name=display_name(photo.name), uploaded_by=by)

    _record_event(
        issue=issue,
        by=by,
        action="raise",
        from_status="",
        to_status=Status.NEW,
        note=description,
        data={"source": source, "photos": len(photos)},
    )
    if lead_department is not None:
        _record_event(
            issue=issue,
            by=by,
            action="assign",
            from_status=Status.NEW,
            to_status=Status.ASSIGNED,
            data={
                "lead_department": _name(lead_department),
                "co_departments": [str(d) for d in co],
                "handler": _name(handler),
                "deadline": deadline.isoformat() if deadline else None,
            },
        )
    audit_record(
        actor=by,
        action="issue.create",
        obj=issue,
        changes={"enterprise": enterprise, "category": category, "status": issue.status, "source": source},
    )
    return issue


# --- The workflow ------------------------------------------------------------------------------

# Read and compared around an effect: every concrete field (foreign keys by their id).
_ISSUE_FIELDS = [(f.name, f.attname) for f in Issue._meta.concrete_fields]


def issue_transition(
    *, issue: Issue, action: str, by, note: str = "", expected_version: int | None = None, **payload
) -> Issue:
    """Fire one workflow action on `issue` and return the updated issue.

    Locks the row, refuses a stale `expected_version` (Conflict: someone else changed it, reload),
    refuses an action the current state does not allow (ApplicationError, code
    "invalid_transition") or the user may not fire (PermissionDenied), validates the note and
    the action's payload (its fields in issues.workflow; a field of another action is a field
    error), runs the action's effect, saves the changed fields only, writes the IssueEvent,
    records the audit entry and announces the event on commit. On any error nothing is changed.
    """
    transition = workflow.transition_for(action)
    if transition is None:
        raise ApplicationError(_("Unknown action: %(action)s.") % {"action": action}, code="unknown_action")
    note = (note or "").strip()
    payload = {k: v for k, v in payload.items() if v is not None}
    with transaction.atomic():
        try:
            locked = Issue.objects.select_for_update(of=("self",)).get(pk=issue.pk)
        except Issue.DoesNotExist as exc:
            raise ApplicationError(_("This issue no longer exists."), code="not_found") from exc
        if expected_version is not None and locked.version != int(expected_version):
            raise Conflict(_("This issue was changed by someone else in the meantime. Reload it and try again."))
        if locked.status not in transition.from_states:
            raise ApplicationError(
                _("“%(action)s” is not possible while the issue is “%(status)s”.")
                % {"action": transition.label, "status": locked.get_status_display()},
                code="invalid_transition",
            )
        if not can_transition(by, locked, transition):
            raise PermissionDenied(_("You may not do “%(action)s” on this issue.") % {"action": transition.label})
        if transition.note_required and not note:
            raise _field_error("note", str(workflow.note_required_message(transition.label)))
        unused = sorted(set(payload) - transition.field_names)
        if unused:
            raise _field_error(unused[0], str(workflow.unused_field_message(transition.label)))

        before = {attname: getattr(locked, attname) for _field, attname in _ISSUE_FIELDS}
        from_status = locked.status
        m2m: dict = {}
        data = transition.effect(
            locked,
            by=by,
            note=note,
            now=timezone.now(),
            m2m=m2m,
            **{name: payload.get(name) for name in transition.field_names},
        )
        changed = [name for name, attname in _ISSUE_FIELDS if getattr(locked, attname) != before[attname]]
        undeclared = (set(changed) | set(m2m)) - transition.changes
        if undeclared:
            raise ImproperlyConfigured(f"The effect of {action!r} changed {sorted(undeclared)} (not in its `changes`).")
        if transition.to_status is not None:
            locked.status = transition.to_status
        # Every action advances the version, a reply or a comment too: a client that retries a
        # request whose first try committed (after a timeout or a lost answer) sends the version
        # it read, and gets 409 instead of storing a second reply.
        locked.version += 1
        if transition.changes_issue:
            full_clean(locked)
            locked.save(update_fields=[*changed, "status", "version", "updated_at"])
        else:
            locked.save(update_fields=["version", "updated_at"])
        for name, values in m2m.items():
            getattr(locked, name).set(values)
        _record_event(
            issue=locked,
            by=by,
            action=action,
            from_status=from_status,
            to_status=locked.status,
            note=note,
            data={k: v for k, v in data.items() if v not in (None, "", [])},
        )
        audit_record(
            actor=by,
            action=f"issue.{action}",
            obj=locked,
            changes={"status": [from_status, locked.status], "version": locked.version, **data},
        )
    return locked


# --- Deadlines after a change of the holiday calendar ---------------------------------------------


@transaction.atomic
def issue_deadlines_recompute(*, year: int, by=None) -> int:
    """Recompute the deadlines that count days of `year`, after its holiday rows changed.

    Concerns open issues and any issue whose deadlines are still provisional, whose counting
    window reaches into `year` (raised on or before its last day, a deadline on or after its
    first day). Explicit deadlines set by a leader stay. Each changed issue gets a
    "deadlines_recomputed" event; the number of changed issues is returned.
    """
    first = end_of_day(datetime.date(year, 1, 1)) - datetime.timedelta(days=1)
    last = end_of_day(datetime.date(year, 12, 31))
    candidates = (
        Issue.objects.select_for_update()
        .filter(Q(status__in=Status.open_values()) | Q(deadline_provisional=True))
        .filter(raised_at__lte=last)
        .filter(Q(assign_deadline__gt=first) | Q(response_deadline__gt=first) | Q(resolution_deadline__gt=first))
        .order_by("pk")
    )
    calendar = WorkingCalendar()
    changed_count = 0
    for issue in candidates:
        new = deadlines.computed_deadlines(issue, calendar)
        if issue.resolved_at is not None:
            new["working_days_to_resolve"] = calendar.working_days_between(
                local_date(issue.raised_at), local_date(issue.resolved_at)
            )
        changes = {
            field: [getattr(issue, field), value] for field, value in new.items() if getattr(issue, field) != value
        }
        if not changes:
            continue
        for field, (_old, value) in changes.items():
            setattr(issue, field, value)
        issue.save(update_fields=[*changes, "updated_at"])
        serialisable = {
            f: [v.isoformat() if hasattr(v, "isoformat") else v for v in pair] for f, pair in changes.items()
        }
        _record_event(
            issue=issue,
            by=by,
            action="deadlines_recomputed",
            from_status=issue.status,
            to_status=issue.status,
            data={"year": year, **serialisable},
        )
        audit_record(actor=by, action="issue.deadlines_recomputed", obj=issue, changes=serialisable)
        changed_count += 1
    return changed_count


# --- Site visits ---------------------------------------------------------------------------------


INSTRUCTION_FIELDS = {
    "enterprise",
    "category",
    "description",
    "urgency",
    "title",
    "project",
    "lead_department",
    "co_departments",
    "handler",
    "deadline",
    "blocks_milestone",
    "photos",
}


@transaction.atomic
def visit_instruction_add(*, visit: Visit, by, **instruction) -> Issue:
    """Add one instruction to a visit: an Issue with source "site visit", assigned at once to its
    lead department (required). The enterprise and project join the visit's lists."""
    unknown = set(instruction) - INSTRUCTION_FIELDS
    if unknown:
        raise TypeError(f"Unknown instruction fields: {sorted(unknown)}")
    if instruction.get("lead_department") is None:
        raise _field_error("lead_department", _("Choose the lead department."))
    issue = issue_create(by=by, visit=visit, source=Source.SITE_VISIT, **instruction)
    visit.enterprises.add(issue.enterprise)
    if issue.project_id:
        visit.projects.add(issue.project)
    return issue


@transaction.atomic
def visit_create(
    *,
    by,
    date: datetime.date,
    leaders: Iterable[Official],
    summary: str = "",
    attendees: str = "",
    location: str = "",
    enterprises: Iterable = (),
    projects: Iterable = (),
    instructions: Iterable[dict] = (),
) -> Visit:
    """Record a site visit (现场办公) with its instructions, each becoming an assigned issue.

    Leaders and the supervision office only. Errors in an instruction are reported under
    "instructions" with its number; nothing is saved.
    """
    if not can_record_visit(by):
        raise PermissionDenied(_("Only leaders and the supervision office record site visits."))
    if date is None:
        raise _field_error("date", _("Enter the date of the visit."))
    if date > timezone.localdate():
        raise _field_error("date", _("A visit is recorded after it took place: the date cannot be in the future."))
    leaders = list(leaders or [])
    if not leaders:
        raise _field_error("leaders", _("Name at least one leader."))
    not_leaders = [str(o) for o in leaders if o.role != Role.LEADER]
    if not_leaders:
        raise _field_error("leaders", _("Not a city leader: %(names)s.") % {"names": "、".join(not_leaders)})
    visit = Visit(
        date=date,
        summary=(summary or "").strip(),
        attendees=(attendees or "").strip(),
        location=(location or "").strip(),
        created_by=by,
    )
    full_clean(visit)
    visit.save()
    visit.leaders.set(leaders)
    visit.enterprises.set(list(enterprises or []))
    visit.projects.set(list(projects or []))
    for number, instruction in enumerate(instructions or [], start=1):
        try:
            visit_instruction_add(visit=visit, by=by, **instruction)
        except PermissionDenied:
            raise
        except ApplicationError as exc:
            message = _("Instruction %(n)d: %(message)s") % {"n": number, "message": exc.message}
            raise ApplicationError(
                message,
                fields={"instructions": [message], **{f"instructions.{number}.{k}": v for k, v in exc.fields.items()}},
            ) from exc
    audit_record(
        actor=by,
        action="visit.create",
        obj=visit,
        changes={
            "date": date,
            "leaders": "、".join(str(o) for o in leaders),
            "instructions": visit.instructions.count(),
        },
    )
    return visit


# --- Time-limit table ----------------------------------------------------------------------------


@transaction.atomic
def time_limit_rule_update(*, rule: TimeLimitRule, by, **data) -> TimeLimitRule:
    """Change the working-day limits of one category × urgency (supervisors). Applies to issues
    raised from now on."""
    if not can_manage_time_limits(by):
        raise PermissionDenied(_("Only the supervision office may change the time limits."))
    rule = TimeLimitRule.objects.select_for_update().get(pk=rule.pk)
    rule, changes = model_update(instance=rule, data=data, fields=["assign_days", "response_days", "resolution_days"])
    if changes:
        audit_record(actor=by, action="time_limit_rule.update", obj=rule, changes=changes)
    return rule


# --- Bulk actions (the supervision office's queue and list) ------------------------------------------

#: What may be done to many issues at once: route them (assign a new issue, reassign one already
#: with a department) and remind their departments (催办).
BULK_ACTIONS = ("assign", "remind")
MAX_BULK = 100


@dataclasses.dataclass
class BulkResult:
    done: list = dataclasses.field(default_factory=list)  # the issues changed
    failed: list = dataclasses.field(default_factory=list)  # (issue, the service's reason)


def issues_bulk_transition(
    *, by, issues: list[Issue], action: str, versions: dict | None = None, note: str = "", **payload
) -> BulkResult:
    """Fire one action on each of several issues (supervisors): each through `issue_transition`,
    in its own transaction (so one refusal does not undo the others), audited there. `assign`
    becomes `reassign` for an issue that already has a department. `versions` (issue id →
    version as shown) refuses issues changed since the list was read. Returns what was done and
    what was refused, with the reason."""
    if role_of(by) != Role.SUPERVISOR:
        raise PermissionDenied(_("Only the supervision office may act on many issues at once."))
    if action not in BULK_ACTIONS:
        raise ApplicationError(_("This action cannot be done on many issues at once."), code="invalid_bulk_action")
    if not issues:
        message = _("Tick at least one issue.")
        raise ApplicationError(message, fields={"issues": [message]})
    if len(issues) > MAX_BULK:
        message = _("At most %(n)d issues at a time.") % {"n": MAX_BULK}
        raise ApplicationError(message, fields={"issues": [message]})
    versions = versions or {}
    result = BulkResult()
    for issue in issues:
        fired = action
        if action == "assign" and issue.status != Status.NEW:
            fired = "reassign"
        try:
            updated = issue_transition(
                issue=issue, action=fired, by=by, note=note, expected_version=versions.get(issue.pk), **payload
            )
        except ApplicationError as exc:
            result.failed.append((issue, exc.message))
        else:
            result.done.append(updated)
    return result
