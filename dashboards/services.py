"""Writes of the dashboards app: league snapshots, rule changes, project imports, briefings.

The weekly briefing is recorded here and delivered by the notifications app (see `briefing_plan`
and dashboards.notices).

Each entry point checks the permission itself (dashboards.permissions), runs in one
transaction, and leaves an audit entry. Errors are core.errors.ApplicationError with field-level
messages in the user's language.
"""

import datetime
import logging
from decimal import Decimal

from celery import signature
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.forms.models import model_to_dict
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.colors import SEVERITY
from core.errors import ApplicationError, Conflict, PermissionDenied
from core.models import Official, Role
from core.services import audit_record, full_clean
from core.sheets import ImportFailed, run_rows
from dashboards.briefing import last_full_week, weekly_briefing
from dashboards.health import MEASURES, active_rules, compute_health, roll_up
from dashboards.imports import RowImporter, check_upload, read_workbook
from dashboards.league import league_standings, rates_as_json
from dashboards.measures import week_bounds
from dashboards.models import (
    HealthRule,
    LeagueFormula,
    LeagueSnapshot,
    LeagueSnapshotRow,
    ProjectHealth,
    ProjectHealthReason,
    ProjectImport,
)
from dashboards.notices import briefing_path
from dashboards.permissions import can_edit_rules, can_import_projects, can_publish_league
from issues.models import IssueEvent
from issues.selectors import blocking_issues
from notifications.models import Kind
from notifications.reminders import Planned, recipient_of
from notifications.selectors import recipients_notified
from notifications.services import notifications_record
from notifications.texts import Subject
from projects.models import Project

logger = logging.getLogger(__name__)
ONE_TEN_THOUSANDTH = Decimal("0.0001")
# The Monday briefing is recorded from this hour; a beat that was down catches up until Tuesday night.
BRIEFING_HOUR = 8


# --- League table ------------------------------------------------------------------------------


def default_league_title(kind: str, start: datetime.date, end: datetime.date) -> str:
    return _("League table of %(kind)s, %(start)s to %(end)s") % {
        "kind": LeagueFormula.Kind(kind).label,
        "start": date_format(start, "DATE_FORMAT"),
        "end": date_format(end, "DATE_FORMAT"),
    }


@transaction.atomic
def league_snapshot_publish(
    *, kind: str, period_start: datetime.date, period_end: datetime.date, by, title: str = ""
) -> LeagueSnapshot:
    """Compute the league table of `kind` for the period and store it, frozen (supervisors).

    The rows and the weights used are copied into the snapshot; later edits of the data or the
    formula never change it. One snapshot per kind and period: publishing it again is a Conflict.
    """
    if not can_publish_league(by):
        raise PermissionDenied(_("Only the supervision office may publish league tables."))
    if kind not in LeagueFormula.Kind.values:
        message = _("Choose parks or departments.")
        raise ApplicationError(message, fields={"kind": [message]})
    if period_start is None or period_end is None or period_end < period_start:
        message = _("The period must end on or after its start.")
        raise ApplicationError(message, fields={"period_end": [message]})
    if period_start > timezone.localdate():
        message = _("The period has not begun yet.")
        raise ApplicationError(message, fields={"period_start": [message]})
    formula = LeagueFormula.objects.filter(kind=kind).first()
    if formula is None:
        raise ApplicationError(_("There is no points formula for this league table."), code="no_formula")
    if LeagueSnapshot.objects.filter(kind=kind, period_start=period_start, period_end=period_end).exists():
        raise Conflict(_("A league table for this period has already been published."))
    snapshot = LeagueSnapshot(
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        title=(title or "").strip() or default_league_title(kind, period_start, period_end),
        weights={**formula.weights(), "red_count": formula.red_count, "black_count": formula.black_count},
        published_by=by,
    )
    full_clean(snapshot)
    try:
        with transaction.atomic():
            snapshot.save()
    except IntegrityError as exc:
        raise Conflict(_("A league table for this period has already been published.")) from exc
    standings = league_standings(kind=kind, start=period_start, end=period_end, formula=formula)
    LeagueSnapshotRow.objects.bulk_create(
        [
            LeagueSnapshotRow(
                snapshot=snapshot,
                rank=s.rank,
                park_id=s.unit_id if kind == LeagueFormula.Kind.PARK else None,
                department_id=s.unit_id if kind == LeagueFormula.Kind.DEPARTMENT else None,
                name=s.name,
                milestones_due=s.milestones_due,
                milestones_on_time=s.milestones_on_time,
                year_plan=s.year_plan,
                year_done=s.year_done,
                time_share=s.time_share.quantize(ONE_TEN_THOUSANDTH),
                response_due=s.response_due,
                response_in_time=s.response_in_time,
                resolved=s.resolved,
                resolved_on_time=s.resolved_on_time,
                rated=s.rated,
                satisfied=s.satisfied,
                rates=rates_as_json(s.rates),
                score=s.score,
                band=s.band,
            )
            for s in standings
        ]
    )
    audit_record(
        actor=by,
        action="league.publish",
        obj=snapshot,
        changes={"kind": kind, "start": period_start, "end": period_end, "rows": len(standings)},
    )
    return snapshot


# --- Rules kept as data --------------------------------------------------------------------------


@transaction.atomic
def rule_save(*, rule: HealthRule | LeagueFormula, by) -> HealthRule | LeagueFormula:
    """Save a health rule or a league formula as edited (supervisors), recording what changed."""
    if not can_edit_rules(by):
        raise PermissionDenied(_("Only the supervision office may change these rules."))
    full_clean(rule)
    before = {}
    if rule.pk is not None:
        old = type(rule).objects.select_for_update().filter(pk=rule.pk).first()
        before = model_to_dict(old) if old is not None else {}
    after = model_to_dict(rule)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    rule.save()
    action = "health_rule" if isinstance(rule, HealthRule) else "league_formula"
    if isinstance(rule, HealthRule) and changes:
        transaction.on_commit(enqueue_health_rebuild, robust=True)
    audit_record(actor=by, action=f"{action}.{'update' if before else 'create'}", obj=rule, changes=changes)
    return rule


# --- Project import ----------------------------------------------------------------------------


def _apply_rows(rows, *, by, commit: bool) -> tuple[list[dict], int, int]:
    """Run every row through the services (core.sheets.run_rows: rolled back unless `commit`
    and no row failed). Returns (errors, created, updated)."""
    importer = RowImporter(by=by, rows=rows)
    errors = run_rows(rows, importer, commit=commit)
    return errors, importer.created, importer.updated


def _require_importer(by) -> None:
    if not can_import_projects(by):
        raise PermissionDenied(_("Only the supervision office may import projects."))


@transaction.atomic
def project_import_check(*, upload, by) -> ProjectImport:
    """Dry run: check an uploaded project list row by row and keep the file for the commit.

    Nothing but the import record is saved. The record lists every row's errors (row number and
    column header); an unreadable or oversized file is refused with a field error on "file".
    """
    _require_importer(by)
    check_upload(upload)
    rows = read_workbook(upload)
    if not rows:
        message = _("The file has no project rows.")
        raise ApplicationError(message, fields={"file": [message]}, code="empty")
    errors, created, updated = _apply_rows(rows, by=by, commit=False)
    upload.seek(0)
    batch = ProjectImport(
        original_name=(upload.name or "")[:200],
        uploaded_by=by,
        row_count=len(rows),
        errors=errors,
        created_count=created if not errors else 0,
        updated_count=updated if not errors else 0,
    )
    batch.file.save(f"projects-{timezone.now():%Y%m%d%H%M%S}.xlsx", upload, save=False)
    batch.save()
    audit_record(actor=by, action="project_import.check", obj=batch, changes={"rows": len(rows), "errors": len(errors)})
    return batch


@transaction.atomic
def project_import_commit(*, batch: ProjectImport, by) -> ProjectImport:
    """Import a checked file: every row or none. Raises ImportFailed (nothing saved) if a row
    fails now — the data may have changed since the dry run — and Conflict if already imported."""
    _require_importer(by)
    batch = ProjectImport.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ProjectImport.Status.COMMITTED:
        raise Conflict(_("This file has already been imported."))
    if batch.errors:
        raise ApplicationError(_("Correct the errors and upload the file again."), code="has_errors")
    with batch.file.open("rb") as handle:
        rows = read_workbook(handle)
    errors, created, updated = _apply_rows(rows, by=by, commit=True)
    if errors:
        raise ImportFailed(
            _("%(n)d problems found; nothing was imported.") % {"n": len(errors)},
            errors=errors,
        )
    batch.status = ProjectImport.Status.COMMITTED
    batch.created_count, batch.updated_count = created, updated
    batch.committed_at = timezone.now()
    batch.save(update_fields=["status", "created_count", "updated_count", "committed_at"])
    audit_record(actor=by, action="project_import.commit", obj=batch, changes={"created": created, "updated": updated})
    return batch


# --- Weekly briefing ---------------------------------------------------------------------------


def briefing_due_week(now: datetime.datetime) -> datetime.date | None:
    """The week whose briefing is due at `now`: the last full week, from Monday BRIEFING_HOUR
    o'clock until Tuesday's end; None otherwise (so a leader added later in the week is not sent
    an old briefing)."""
    local = timezone.localtime(now)
    if local.weekday() > 1 or (local.weekday() == 0 and local.hour < BRIEFING_HOUR):
        return None
    return last_full_week(local.date())


def leaders_to_brief():
    """Active leaders, with what a delivery needs (preferences, department robot)."""
    return (
        Official.objects.filter(role=Role.LEADER, user__is_active=True)
        .select_related("user__notification_preference", "department")
        .order_by("pk")
    )


def briefing_plan(*, week_start: datetime.date, now: datetime.datetime | None = None) -> int:
    """Record the weekly briefing of the week beginning `week_start` for every active leader, as
    a notification (kind weekly_briefing) that the notifications pipeline delivers: the inbox
    (linking to the printable page), e-mail with the workbook attached and a summary to the
    department's group robot, as each leader's preferences allow, with retries and the
    failed-deliveries page. Once per leader and week (the notification's unique key): a re-run
    records nothing. Each new leader's briefing is computed in their language (a fixed number of
    queries per leader not yet briefed). Returns how many were recorded."""
    now = now or timezone.now()
    week_start, _sunday = week_bounds(week_start)
    briefed = recipients_notified(kind=Kind.WEEKLY_BRIEFING, due_date=week_start)
    content_type = ContentType.objects.get_for_model(get_user_model())
    planned = []
    for official in leaders_to_brief():
        recipient = recipient_of(official)
        if recipient is None or recipient.user_id in briefed:
            continue
        with translation.override(recipient.language):
            briefing = weekly_briefing(
                user=official.user, week_start=week_start, today=timezone.localdate(now), now=now
            )
        planned.append(
            Planned(
                content_type_id=content_type.pk,
                object_id=recipient.user_id,
                kind=Kind.WEEKLY_BRIEFING,
                due_date=week_start,
                step=0,
                recipient=recipient,
                subject=Subject(
                    kind=Kind.WEEKLY_BRIEFING,
                    title="",
                    due_date=week_start,
                    path=briefing_path(week_start),
                    extra={"briefing": briefing},
                ),
                # Leaders sharing a group robot: one summary in the group per week.
                webhook_topic=(Kind.WEEKLY_BRIEFING, week_start),
            )
        )
    return len(notifications_record(planned=planned, now=now))


# --- Stored project health -----------------------------------------------------------------------

# The task that recomputes every project (dashboards.tasks): enqueued by name, as tasks import us.
REBUILD_TASK = "dashboards.refresh_project_health"
BATCH = 2000


def enqueue_health_rebuild() -> None:
    """Ask a worker to recompute every project's health (after a rule changed). A broker error is
    logged: the nightly run recomputes everything anyway."""
    try:
        signature(REBUILD_TASK).apply_async()
    except Exception:
        logger.exception("could not enqueue the health rebuild; the nightly run will do it")


def _family(project_ids) -> set[int]:
    """The projects whose stored health depends on those of `project_ids`: they, their parents
    (up the tree), and every sub-item of each of those (whose colours a parent rolls up)."""
    ids = {int(pk) for pk in project_ids if pk is not None}
    frontier = set(ids)
    while frontier:  # up: parents, grandparents …
        parents = set(Project.objects.filter(pk__in=frontier, parent__isnull=False).values_list("parent_id", flat=True))
        frontier = parents - ids
        ids |= parents
    frontier = set(ids)
    while frontier:  # down: every sub-item of a project in the set
        kids = set(Project.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = kids - ids
        ids |= kids
    return ids


def _without_jit() -> None:
    """The health query's estimated cost crosses PostgreSQL's JIT thresholds while the real work is
    small: compiling it costs seconds (issue 11). Off for this transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def project_health_refresh(*, project_ids=None, now: datetime.datetime | None = None) -> int:
    """Recompute and store the health of the projects `project_ids` and their family (parents and
    sub-items), or of every project (None: the nightly run, `manage.py rebuild_project_health`,
    a changed rule), as of `now`. Only rows whose colour, reasons or figures changed are
    rewritten; the others get the new date. Returns the number of rows written.

    Derived data, not a user's act: no permission and no audit entry (the writes that cause it
    are audited). Idempotent: running it twice writes nothing the second time.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    rules = active_rules()
    with transaction.atomic():
        _without_jit()
        if project_ids is None:
            computed = compute_health(None, rules=rules, today=today, now=now)
        else:
            family = _family(project_ids)
            computed = compute_health(family, rules=rules, today=today, now=now) if family else {}
        roll_up(computed)
        return _store(computed, rules=rules, today=today, now=now)


def _store(computed: dict, *, rules, today: datetime.date, now: datetime.datetime) -> int:
    by_rule = {r.pk: r for r in rules}
    ids = list(computed)
    written = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        existing = ProjectHealth.objects.in_bulk(batch)
        fired_before: dict[int, set] = {}
        for health_id, rule_id in ProjectHealthReason.objects.filter(health_id__in=batch).values_list(
            "health_id", "rule_id"
        ):
            fired_before.setdefault(health_id, set()).add(rule_id)
        create, update, changed_ids = [], [], []
        for pk in batch:
            item = computed[pk]
            values = {
                "color": item.color,
                "own_color": item.own_color,
                "worst_child_color": item.worst_child_color,
                "severity": SEVERITY[item.color],
                "year": today.year,
                **item.measures,
            }
            old = existing.get(pk)
            if old is None:
                create.append(ProjectHealth(project_id=pk, since=now, computed_at=now, as_of=today, **values))
                changed_ids.append(pk)
                continue
            same = all(getattr(old, k) == v for k, v in values.items()) and fired_before.get(pk, set()) == set(
                item.fired
            )
            if same:
                continue
            if old.color != item.color:
                old.since = now
            for k, v in values.items():
                setattr(old, k, v)
            old.computed_at, old.as_of = now, today
            update.append(old)
            changed_ids.append(pk)
        ProjectHealth.objects.bulk_create(create)
        ProjectHealth.objects.bulk_update(
            update,
            ["since", "computed_at", "as_of", "own_color", "worst_child_color", "severity", "color", "year", *MEASURES],
        )
        # The rows that did not change are still judged as of today.
        ProjectHealth.objects.filter(project_id__in=batch).exclude(project_id__in=changed_ids).update(
            computed_at=now, as_of=today
        )
        ProjectHealthReason.objects.filter(health_id__in=changed_ids).delete()
        ProjectHealthReason.objects.bulk_create(
            [
                ProjectHealthReason(
                    health_id=pk,
                    rule_id=rule_id,
                    kind=by_rule[rule_id].kind,
                    color=by_rule[rule_id].color,
                    threshold=by_rule[rule_id].threshold,
                    inclusive=by_rule[rule_id].inclusive,
                )
                for pk in changed_ids
                for rule_id in sorted(computed[pk].fired)
            ]
        )
        written += len(changed_ids)
    return written


def health_on_project_changed(*, project_ids) -> None:
    """projects.hooks.project_changed: a project, its stage, a report, a target or a milestone
    was written."""
    project_health_refresh(project_ids=project_ids)


def health_on_issue_event(*, event_id) -> None:
    """issues.hooks.issue_event_committed: an issue changed; the project it belongs to and the
    project whose milestone it blocks may change colour (the blocking-issue rule)."""
    row = (
        IssueEvent.objects.filter(pk=event_id)
        .values("issue__project_id", "issue__blocks_milestone__project_id")
        .first()
    )
    if row is not None:
        ids = {row["issue__project_id"], row["issue__blocks_milestone__project_id"]} - {None}
        if ids:
            project_health_refresh(project_ids=ids)


def project_health_refresh_blocked(*, now: datetime.datetime | None = None) -> int:
    """Recompute the projects whose milestones are blocked by an open issue: its deadline passes
    at any hour, not only at midnight (beat runs this every quarter of an hour)."""
    ids = set(blocking_issues().order_by().values_list("blocks_milestone__project_id", flat=True).distinct())
    return project_health_refresh(project_ids=ids, now=now) if ids else 0
