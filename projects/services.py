"""Writes to projects: one entry point per operation, one transaction each, audited.

Browser views, API views, management commands and tasks all call these; each checks the
permission itself (projects.permissions), validates, writes, and records the audit trail.
Errors are core.errors.ApplicationError with field-level messages in the user's language.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import ApplicationError, PermissionDenied
from core.files import display_name
from core.roles import is_supervisor
from core.services import audit_record, full_clean, model_update
from core.uploads import validate_image_upload
from projects.hooks import announce_changed
from projects.models import (
    AnnualTarget,
    Milestone,
    ProgressPhoto,
    ProgressReport,
    Project,
    Stage,
    StageChange,
)
from projects.permissions import (
    can_complete_milestone,
    can_create_project,
    can_edit_project,
    can_manage_targets,
)
from projects.selectors import is_parent

PROJECT_FIELDS = [
    "code",
    "name",
    "enterprise",
    "park",
    "segment",
    "level",
    "total_investment",
    "planned_start",
    "planned_completion",
    "parent",
    "phase_label",
    "construction_content",
    "assigned_leader",
    "responsible_unit",
    "responsible_official",
    "service_team",
    "is_key",
    "key_label",
]
TARGET_FIELDS = [
    "planned_investment",
    "first_half_investment",
    "target_start",
    "target_completion",
    "target_production",
    "output_value_target",
]
MILESTONE_FIELDS = ["title", "due_date", "responsible", "campaign", "sort_order"]
MAX_PHOTOS = 9


def _money(value, *, field: str) -> Decimal:
    """Parse an amount in 万元: a non-negative decimal with at most two places."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(_("Enter a number."), fields={field: [_("Enter a number.")]}) from exc
    if not amount.is_finite():
        raise ApplicationError(_("Enter a number."), fields={field: [_("Enter a number.")]})
    if amount < 0:
        message = _("The amount cannot be negative.")
        raise ApplicationError(message, fields={field: [message]})
    if amount != amount.quantize(Decimal("0.01")):
        message = _("Use at most two decimal places (10k yuan).")
        raise ApplicationError(message, fields={field: [message]})
    return amount


def _check_dates(start, end, *, start_field: str, end_field: str, message: str) -> None:
    if start and end and end < start:
        raise ApplicationError(message, fields={end_field: [message]})


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- Projects ---------------------------------------------------------------------------------


def _require_leaf(project: Project) -> None:
    """Reports go on leaf projects only (projects.selectors.is_parent: the one rule)."""
    if is_parent(project):
        message = _(
            "%(name)s is split into sub-items: file the report on each sub-item; this project shows their sum."
        ) % {"name": project.name}
        raise ApplicationError(message, fields={"month": [message]}, code="parent_project")


def _check_parent(parent: Project | None, project: Project | None) -> None:
    """A project can take sub-items only while it has no report of its own (they would be counted
    twice), and cannot be its own ancestor."""
    if parent is None:
        return
    if ProgressReport.objects.filter(project=parent).exists():
        message = _("%(name)s already has monthly reports of its own, so it cannot take sub-items.") % {
            "name": parent.name
        }
        raise ApplicationError(message, fields={"parent": [message]})
    ancestor, seen = parent, set()
    while ancestor is not None and project is not None and ancestor.pk not in seen:
        if ancestor.pk == project.pk:
            message = _("A project cannot be a phase of its own sub-item.")
            raise ApplicationError(message, fields={"parent": [message]})
        seen.add(ancestor.pk)
        ancestor = ancestor.parent


@transaction.atomic
def project_create(*, by, changed_on: datetime.date | None = None, **data) -> Project:
    """Create a project (supervisors). Its stage starts as given (default 谋划储备), since
    `changed_on` (default today; not in the future), and opens the stage history. A new project
    cannot start as stopped (stopping needs a reason: move it with project_change_stage)."""
    _require(can_create_project(by), _("Only the supervision office may add projects."))
    stage = data.pop("stage", Stage.PLANNED) or Stage.PLANNED
    if stage not in Stage.values:
        message = _("Unknown stage.")
        raise ApplicationError(message, fields={"stage": [message]})
    if stage == Stage.STOPPED:
        message = _("A new project cannot start as stopped.")
        raise ApplicationError(message, fields={"stage": [message]})
    today = timezone.localdate()
    changed_on = changed_on or today
    if changed_on > today:
        message = _("The date of a stage change cannot be in the future.")
        raise ApplicationError(message, fields={"changed_on": [message]})
    data["total_investment"] = _money(data.get("total_investment", 0), field="total_investment")
    _check_dates(
        data.get("planned_start"),
        data.get("planned_completion"),
        start_field="planned_start",
        end_field="planned_completion",
        message=_("The planned completion date cannot be before the planned start date."),
    )
    _check_parent(data.get("parent"), None)
    project = Project(
        **{k: v for k, v in data.items() if k in PROJECT_FIELDS}, stage=stage, stage_changed_on=changed_on
    )
    full_clean(project)
    project.save()
    StageChange.objects.create(project=project, from_stage="", to_stage=stage, changed_on=changed_on, changed_by=by)
    audit_record(
        actor=by,
        action="project.create",
        obj=project,
        changes={"code": project.code, "stage": stage, "changed_on": changed_on},
    )
    announce_changed(project.pk, project.parent_id)
    return project


@transaction.atomic
def project_update(*, project: Project, by, **data) -> Project:
    """Change a project's descriptive fields. The stage has its own service (project_change_stage)."""
    _require(can_edit_project(by, project), _("You may not change this project."))
    if "total_investment" in data:
        data["total_investment"] = _money(data["total_investment"], field="total_investment")
    _check_dates(
        data.get("planned_start", project.planned_start),
        data.get("planned_completion", project.planned_completion),
        start_field="planned_start",
        end_field="planned_completion",
        message=_("The planned completion date cannot be before the planned start date."),
    )
    if data.get("parent") is not None and data["parent"].pk == project.pk:
        message = _("A project cannot be a phase of itself.")
        raise ApplicationError(message, fields={"parent": [message]})
    _check_parent(data.get("parent"), project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    old_parent = project.parent_id
    project, changes = model_update(instance=project, data=data, fields=PROJECT_FIELDS)
    if changes:
        audit_record(actor=by, action="project.update", obj=project, changes=changes)
        announce_changed(project.pk, old_parent, project.parent_id)
    return project


# Stages that halt a project (终止; a pause, when the life cycle has one, belongs here too).
HALTING_STAGES = frozenset({Stage.STOPPED})


class StageMove:
    """The kinds of stage move that need a reason, a confirmation in the browser, and an
    audit entry carrying the reason. One table: the kind decides the message and the wording."""

    HALT = "halt"  # to 终止 (or another halting stage)
    REVIVE = "revive"  # out of a halting stage
    BACKWARDS = "backwards"  # to an earlier stage of the life cycle

    @staticmethod
    def missing_reason_message(kind: str, to_stage: str) -> str:
        if kind == StageMove.HALT:
            return (
                _("Stopping a project needs a reason.")
                if to_stage == Stage.STOPPED
                else _("Halting a project needs a reason.")
            )
        if kind == StageMove.REVIVE:
            return _("Reviving a stopped project needs a reason.")
        return _("Moving a project back to an earlier stage needs a reason.")


def stage_move_kind(from_stage: str, to_stage: str) -> str | None:
    """The kind of a move that needs a reason (StageMove.*), or None for an ordinary step forward.

    To a halting stage: HALT; out of one: REVIVE (whatever the stage it resumes at); to an
    earlier stage of the life cycle: BACKWARDS (a project without a stage counts as 谋划储备)."""
    if to_stage in HALTING_STAGES:
        return StageMove.HALT
    if from_stage in HALTING_STAGES:
        return StageMove.REVIVE
    if Stage.rank(to_stage) < Stage.rank(from_stage or Stage.PLANNED):
        return StageMove.BACKWARDS
    return None


@transaction.atomic
def project_change_stage(
    *, project: Project, to_stage: str, by, changed_on: datetime.date | None = None, reason: str = ""
) -> StageChange:
    """Move a project to another stage on a given date (default today).

    A move backwards in the life cycle, to 终止 (stopped), or reviving a stopped project needs a
    reason (`stage_move_kind`); the browser also asks to confirm it, showing what it affects
    (projects.consequences). The date may not be in the future nor before the previous change.
    The move is recorded in the stage history and the audit trail, with its reason and kind.
    """
    _require(can_edit_project(by, project), _("You may not change this project's stage."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    today = timezone.localdate()
    changed_on = changed_on or today
    reason = (reason or "").strip()
    if to_stage not in Stage.values:
        message = _("Unknown stage.")
        raise ApplicationError(message, fields={"to_stage": [message]})
    if to_stage == project.stage:
        message = _("The project is already at this stage.")
        raise ApplicationError(message, fields={"to_stage": [message]})
    if changed_on > today:
        message = _("The date of a stage change cannot be in the future.")
        raise ApplicationError(message, fields={"changed_on": [message]})
    if changed_on < project.stage_changed_on:
        message = _("The date cannot be before the previous stage change (%(date)s).") % {
            "date": date_format(project.stage_changed_on, "DATE_FORMAT")
        }
        raise ApplicationError(message, fields={"changed_on": [message]})
    kind = stage_move_kind(project.stage, to_stage)
    if kind and not reason:
        message = StageMove.missing_reason_message(kind, to_stage)
        raise ApplicationError(message, fields={"reason": [message]}, code="reason_required")
    change = StageChange.objects.create(
        project=project,
        from_stage=project.stage,
        to_stage=to_stage,
        changed_on=changed_on,
        reason=reason,
        changed_by=by,
    )
    old_stage = project.stage
    project.stage = to_stage
    project.stage_changed_on = changed_on
    project.stopped_reason = reason if to_stage == Stage.STOPPED else ""
    project.save(update_fields=["stage", "stage_changed_on", "stopped_reason", "updated_at"])
    audit_record(
        actor=by,
        action="project.stage",
        obj=project,
        changes={"stage": [old_stage, to_stage], "changed_on": changed_on, "reason": reason, "kind": kind or "forward"},
    )
    announce_changed(project.pk, project.parent_id)
    return change


# --- Monthly progress reports -------------------------------------------------------------------


def _validate_photos(photos) -> list:
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        message = _("At most %(n)d photos per report.") % {"n": MAX_PHOTOS}
        raise ApplicationError(message, fields={"photos": [message]})
    for photo in photos:
        validate_image_upload(photo, field="photos")
    return photos


@transaction.atomic
def progress_report_submit(
    *,
    project: Project,
    month: datetime.date,
    investment,
    physical_progress: str,
    by,
    percent_complete: int | None = None,
    next_steps: str = "",
    problems: str = "",
    photos=None,
) -> ProgressReport:
    """File the monthly report of `project` for `month` (any day of it; stored as the 1st).

    One report per project and month; no report for a month that has not begun. Photos are
    checked (images only, size limit) before anything is saved; all or nothing.
    """
    _require(can_edit_project(by, project), _("You may not report on this project."))
    _require_leaf(project)
    if month is None:
        message = _("Choose the month.")
        raise ApplicationError(message, fields={"month": [message]})
    month = month.replace(day=1)
    today = timezone.localdate()
    if month > today.replace(day=1):
        message = _("You cannot report for a month that has not begun.")
        raise ApplicationError(message, fields={"month": [message]})
    investment = _money(investment, field="investment")
    if not (physical_progress or "").strip():
        message = _("Describe the physical progress.")
        raise ApplicationError(message, fields={"physical_progress": [message]})
    if percent_complete is not None and not 0 <= int(percent_complete) <= 100:
        message = _("Percent complete is between 0 and 100.")
        raise ApplicationError(message, fields={"percent_complete": [message]})
    photos = _validate_photos(photos)
    duplicate_message = _("This project already has a report for %(month)s.") % {
        "month": date_format(month, "YEAR_MONTH_FORMAT")
    }
    if ProgressReport.objects.filter(project=project, month=month).exists():
        raise ApplicationError(duplicate_message, fields={"month": [duplicate_message]}, code="duplicate")
    report = ProgressReport(
        project=project,
        month=month,
        investment=investment,
        physical_progress=physical_progress.strip(),
        percent_complete=percent_complete,
        next_steps=(next_steps or "").strip(),
        problems=(problems or "").strip(),
        submitted_by=by,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        # Two submissions of the same month at once: the database constraint decides.
        raise ApplicationError(duplicate_message, fields={"month": [duplicate_message]}, code="duplicate") from exc
    for photo in photos:
        ProgressPhoto.objects.create(
            report=report,
            image=photo,
            original_name=display_name(photo.name),
            caption=getattr(photo, "caption", "")[:200],
        )
    audit_record(
        actor=by,
        action="progress_report.submit",
        obj=report,
        changes={"month": month, "investment": investment, "photos": len(photos)},
    )
    announce_changed(project.pk, project.parent_id)
    return report


def report_correction_refusal(*, user, report: ProgressReport, today: datetime.date | None = None) -> str | None:
    """Why `user` may not correct `report` now, or None. The one rule of the correction window:
    a project's own officials correct the reports of the current and the previous month; an
    older month is closed (its figures are in published briefings and league tables) and only
    the supervision office (督查室) corrects it."""
    if not can_edit_project(user, report.project):
        return _("You may not change this report.")
    today = today or timezone.localdate()
    if report.month < correction_window_start(today) and not is_supervisor(user):
        return _(
            "The report for %(month)s can no longer be corrected here: only this month's and last month's "
            "reports can be. Ask the supervision office (督查室) to correct it."
        ) % {"month": date_format(report.month, "YEAR_MONTH_FORMAT")}
    return None


def correction_window_start(today: datetime.date) -> datetime.date:
    """The first month whose report may still be corrected by the project's officials: last month."""
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@transaction.atomic
def progress_report_update(*, report: ProgressReport, by, photos=None, remove_photos=(), **data) -> ProgressReport:
    """Correct a filed report: same permission as filing, within the correction window
    (`report_correction_refusal`). The month cannot change. `photos` are added, `remove_photos`
    (ids of this report's photos) removed. The audit entry holds each changed field's
    before/after value and the photos added and removed."""
    _require(can_edit_project(by, report.project), _("You may not change this report."))
    refusal = report_correction_refusal(user=by, report=report)
    if refusal:
        raise ApplicationError(refusal, fields={"month": [refusal]}, code="correction_closed")
    if "investment" in data:
        data["investment"] = _money(data["investment"], field="investment")
    if "physical_progress" in data:
        data["physical_progress"] = (data["physical_progress"] or "").strip()
        if not data["physical_progress"]:
            message = _("Describe the physical progress.")
            raise ApplicationError(message, fields={"physical_progress": [message]})
    for field in ("next_steps", "problems"):
        if field in data:
            data[field] = (data[field] or "").strip()
    if data.get("percent_complete") is not None and not 0 <= int(data["percent_complete"]) <= 100:
        message = _("Percent complete is between 0 and 100.")
        raise ApplicationError(message, fields={"percent_complete": [message]})
    photos = _validate_photos(photos)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    removing = list(report.photos.filter(pk__in=[int(pk) for pk in remove_photos or ()]))
    if len(photos) + report.photos.count() - len(removing) > MAX_PHOTOS:
        message = _("At most %(n)d photos per report.") % {"n": MAX_PHOTOS}
        raise ApplicationError(message, fields={"photos": [message]})
    report, changes = model_update(
        instance=report,
        data=data,
        fields=["investment", "physical_progress", "percent_complete", "next_steps", "problems"],
    )
    for photo in removing:
        # The file goes once the correction is committed (a rollback keeps it).
        transaction.on_commit(lambda name=photo.image.name, storage=photo.image.storage: storage.delete(name))
        photo.delete()
    for photo in photos:
        ProgressPhoto.objects.create(
            report=report,
            image=photo,
            original_name=display_name(photo.name),
            caption=getattr(photo, "caption", "")[:200],
        )
    if photos:
        changes["photos_added"] = len(photos)
    if removing:
        changes["photos_removed"] = [photo.image.name for photo in removing]
    if (photos or removing) and not set(changes) - {"photos_added", "photos_removed"}:
        report.save(update_fields=["updated_at"])  # only photos changed: still a correction
    if changes:
        audit_record(
            actor=by,
            action="progress_report.update",
            obj=report,
            changes={"month": report.month, **changes},
        )
        announce_changed(report.project_id, report.project.parent_id)
    return report


# --- Annual targets ----------------------------------------------------------------------------


@transaction.atomic
def annual_target_set(*, project: Project, year: int, by, **data) -> AnnualTarget:
    """Create or change a project's target for a year (supervisors). A call that changes
    nothing writes nothing (no audit entry either)."""
    _require(can_manage_targets(by, project), _("Only the supervision office may set annual targets."))
    for field in ("planned_investment", "first_half_investment", "output_value_target"):
        if data.get(field) is not None:
            data[field] = _money(data[field], field=field)
    if data.get("planned_investment") is None:
        existing = AnnualTarget.objects.filter(project=project, year=year).first()
        if existing is None:
            message = _("Enter the year's planned investment.")
            raise ApplicationError(message, fields={"planned_investment": [message]})
    target, created = AnnualTarget.objects.select_for_update().get_or_create(
        project=project, year=year, defaults={"planned_investment": data.get("planned_investment") or 0}
    )
    first_half = data.get("first_half_investment", target.first_half_investment)
    planned = data.get("planned_investment", target.planned_investment)
    if first_half is not None and planned is not None and first_half > planned:
        message = _("The first-half plan cannot exceed the year's plan.")
        raise ApplicationError(message, fields={"first_half_investment": [message]})
    _check_dates(
        data.get("target_start", target.target_start),
        data.get("target_completion", target.target_completion),
        start_field="target_start",
        end_field="target_completion",
        message=_("The target completion date cannot be before the target start date."),
    )
    target, changes = model_update(instance=target, data=data, fields=TARGET_FIELDS)
    if created or changes:  # setting what is already there changes nothing and records nothing
        audit_record(
            actor=by,
            action="annual_target.create" if created else "annual_target.update",
            obj=target,
            changes=changes or {"year": year},
        )
        announce_changed(project.pk, project.parent_id)
    return target


@transaction.atomic
def annual_target_delete(*, target: AnnualTarget, by) -> None:
    _require(can_manage_targets(by, target.project), _("Only the supervision office may set annual targets."))
    audit_record(actor=by, action="annual_target.delete", obj=target, changes={"year": target.year})
    announce_changed(target.project_id, target.project.parent_id)
    target.delete()


# --- Milestones --------------------------------------------------------------------------------


@transaction.atomic
def milestone_create(*, project: Project, by, **data) -> Milestone:
    _require(can_edit_project(by, project), _("You may not plan milestones for this project."))
    milestone = Milestone(project=project, **{k: v for k, v in data.items() if k in MILESTONE_FIELDS})
    if not (milestone.title or "").strip():
        message = _("Enter a title.")
        raise ApplicationError(message, fields={"title": [message]})
    full_clean(milestone)
    milestone.save()
    audit_record(
        actor=by,
        action="milestone.create",
        obj=milestone,
        changes={"title": milestone.title, "due": milestone.due_date},
    )
    announce_changed(project.pk, project.parent_id)
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, by, **data) -> Milestone:
    _require(can_edit_project(by, milestone.project), _("You may not change this milestone."))
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    milestone, changes = model_update(instance=milestone, data=data, fields=MILESTONE_FIELDS)
    if changes:
        audit_record(actor=by, action="milestone.update", obj=milestone, changes=changes)
        announce_changed(milestone.project_id, milestone.project.parent_id)
    return milestone


@transaction.atomic
def milestone_complete(
    *,
    milestone: Milestone,
    by,
    completed_on: datetime.date | None = None,
    evidence: str = "",
    evidence_file=None,
) -> Milestone:
    """Mark a milestone done on a date (default today) with evidence: a note, a photo or both."""
    _require(can_complete_milestone(by, milestone), _("You may not mark this milestone done."))
    milestone = Milestone.objects.select_for_update().select_related("project").get(pk=milestone.pk)
    if milestone.completed_on is not None:
        message = _("This milestone is already done.")
        raise ApplicationError(message, code="already_done")
    today = timezone.localdate()
    completed_on = completed_on or today
    if completed_on > today:
        message = _("The completion date cannot be in the future.")
        raise ApplicationError(message, fields={"completed_on": [message]})
    evidence = (evidence or "").strip()
    if not evidence and not evidence_file:
        message = _("Describe the evidence or attach a photo.")
        raise ApplicationError(message, fields={"evidence": [message]})
    if evidence_file:
        validate_image_upload(evidence_file, field="evidence_file")
        milestone.evidence_file = evidence_file
        milestone.evidence_file_name = display_name(evidence_file.name)
    milestone.completed_on = completed_on
    milestone.evidence = evidence
    milestone.completed_by = by
    milestone.save(
        update_fields=["completed_on", "evidence", "evidence_file", "evidence_file_name", "completed_by", "updated_at"]
    )
    audit_record(
        actor=by,
        action="milestone.complete",
        obj=milestone,
        changes={"completed_on": completed_on, "evidence": evidence, "file": bool(evidence_file)},
    )
    announce_changed(milestone.project_id, milestone.project.parent_id)
    return milestone


@transaction.atomic
def milestone_reopen(*, milestone: Milestone, by, reason: str) -> Milestone:
    """Undo a completion recorded by mistake; the reason is kept in the audit trail."""
    _require(can_edit_project(by, milestone.project), _("You may not change this milestone."))
    reason = (reason or "").strip()
    if not reason:
        message = _("Give a reason for reopening.")
        raise ApplicationError(message, fields={"reason": [message]})
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.completed_on is None:
        raise ApplicationError(_("This milestone is not done."), code="not_done")
    old = milestone.completed_on
    milestone.completed_on = None
    milestone.completed_by = None
    milestone.save(update_fields=["completed_on", "completed_by", "updated_at"])
    audit_record(
        actor=by, action="milestone.reopen", obj=milestone, changes={"completed_on": [old, None], "reason": reason}
    )
    announce_changed(milestone.project_id, milestone.project.parent_id)
    return milestone
