"""Reads of projects, scoped by role, with the derived values computed in the database.

Derived values live here and nowhere else:
- cumulative investment = sum of the monthly reports (`cumulative_investment`);
- a milestone's state (met / due / overdue, due soon) is defined in `projects.milestones`;
- a monthly report is missing when the previous month has no report after the due day.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from core.models import AuditEntry, Role
from core.roles import official_of, role_of
from enterprises.models import ServiceTeam
from projects.milestones import State, state_annotations, state_q
from projects.models import AnnualTarget, Milestone, ProgressReport, Project, Stage, StageChange

MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY_FIELD)

# Reports for month M are due by this day of month M+1.
REPORT_DUE_DAY = getattr(settings, "REPORT_DUE_DAY", 5)


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def previous_month(day: datetime.date) -> datetime.date:
    return (first_of_month(day) - datetime.timedelta(days=1)).replace(day=1)


def report_deadline(month: datetime.date) -> datetime.date:
    """The day by which the report for `month` is due: REPORT_DUE_DAY of the following month."""
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following.replace(day=REPORT_DUE_DAY)


def report_month_due(today: datetime.date | None = None) -> datetime.date:
    """The latest month whose report is already due: last month once REPORT_DUE_DAY has passed."""
    today = today or timezone.localdate()
    last = previous_month(today)
    return last if today.day > REPORT_DUE_DAY else previous_month(last)


def visibility_q(user, prefix: str = "") -> Q | None:
    """The Q that scopes projects for `user` (None = everything, Q(pk__in=[]) = nothing).

    `prefix` lets other apps scope through a relation, e.g. prefix="project__".
    """
    role = role_of(user)
    if role in {Role.LEADER, Role.SUPERVISOR}:
        return None
    official = official_of(user)
    if official is None or role is None:
        return Q(**{f"{prefix}pk__in": []})
    dept = official.department_id
    if role == Role.STAFF:
        teams = ServiceTeam.objects.filter(members=official)
        return Q(**{f"{prefix}service_team__in": Subquery(teams.values("pk"))}) | Q(
            **{f"{prefix}enterprise__in": Subquery(teams.values("enterprises"))}
        )
    # A milestone's responsible official may be of another unit: they see that project too.
    own_milestones = Milestone.objects.filter(responsible=official).values("project")
    q = Q(**{f"{prefix}responsible_official": official}) | Q(**{f"{prefix}pk__in": Subquery(own_milestones)})
    if dept is not None:
        q |= Q(**{f"{prefix}responsible_unit_id": dept}) | Q(**{f"{prefix}park__committee_id": dept})
    return q


def projects_visible_to(user) -> QuerySet[Project]:
    """Projects the user may read. Leaders and supervisors: all; others by their assignments."""
    qs = Project.objects.all()
    q = visibility_q(user)
    return qs if q is None else qs.filter(q)


def sees_any_project(user) -> bool:
    """Whether the user may read at least one project: decides the menu entries and links to
    project pages (cockpit, project list, funding, map), so no one is offered an empty page by
    design. No query for leaders and supervisors."""
    q = visibility_q(user)
    if q is None:
        return role_of(user) is not None
    return Project.objects.filter(q).exists()


def can_view_project(user, project) -> bool:
    """Whether `project_get_visible` would show this project to the user (no query for leaders
    and supervisors): links to a project page are shown only when this holds."""
    if project is None:
        return False
    q = visibility_q(user)
    if q is None:
        return True
    return Project.objects.filter(q, pk=project.pk).exists()


def project_get_visible(*, user, pk) -> Project:
    """One project the user may read, or 404 (not 403: its existence is not disclosed)."""
    try:
        return (
            projects_visible_to(user)
            .select_related(
                "enterprise",
                "park",
                "segment__chain",
                "parent",
                "assigned_leader",
                "responsible_unit",
                "responsible_official",
                "service_team",
            )
            .get(pk=pk)
        )
    except (Project.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def report_missing_q(due_month: datetime.date) -> Q:
    """Projects whose report for `due_month` is missing: the one definition of "missing".

    Only projects that have broken ground report; a project split into phases reports through
    its phases, not itself.
    """
    return (
        Q(stage__in=Stage.started_values())
        & ~Exists(ProgressReport.objects.filter(project=OuterRef("pk"), month=due_month))
        & ~Exists(Project.objects.filter(parent=OuterRef("pk")))
    )


def with_progress(qs: QuerySet[Project], *, today: datetime.date | None = None) -> QuerySet[Project]:
    """Annotate cumulative investment, this year's reported investment and plan, the last
    reported month, whether the due report is missing, and overdue/open milestone counts.

    Each value is a correlated subquery, so the row count of the page never multiplies queries.
    """
    today = today or timezone.localdate()
    due_month = report_month_due(today)
    reports = ProgressReport.objects.filter(project=OuterRef("pk")).order_by().values("project")
    cumulative = reports.annotate(total=Sum("investment")).values("total")
    year_total = reports.filter(month__year=today.year).annotate(total=Sum("investment")).values("total")
    last_month = reports.annotate(last=Max("month")).values("last")
    plan = AnnualTarget.objects.filter(project=OuterRef("pk"), year=today.year).values("planned_investment")[:1]
    overdue = (
        Milestone.objects.filter(state_q(State.OVERDUE, day=today), project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        cumulative_investment=Coalesce(Subquery(cumulative, output_field=MONEY_FIELD), ZERO),
        year_investment=Coalesce(Subquery(year_total, output_field=MONEY_FIELD), ZERO),
        year_plan=Subquery(plan, output_field=MONEY_FIELD),
        last_report_month=Subquery(last_month),
        report_missing=Case(
            When(report_missing_q(due_month), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        overdue_milestones=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)),
    )


def project_list(*, user, today: datetime.date | None = None) -> QuerySet[Project]:
    """The projects the user may read with everything a list row shows (with_progress), key
    projects first; projects.filters.ProjectFilter narrows them."""
    qs = projects_visible_to(user).select_related(
        "enterprise",
        "park",
        "segment__chain",
        "responsible_unit",
        "responsible_official",
        "assigned_leader",
        "parent",
        "service_team",
    )
    return with_health(with_progress(qs, today=today)).order_by("-is_key", "code")


def with_health(qs: QuerySet[Project]) -> QuerySet[Project]:
    """Annotate the stored health (红黄绿灯: computed and kept up to date by dashboards, which this
    app never imports; one join): `health` ("" for a stopped project or one not computed yet),
    `health_severity` (0 red … 3 none: sort by it) and `health_since`."""
    return qs.annotate(
        health=Coalesce(F("health_record__color"), Value("")),
        health_severity=Coalesce(F("health_record__severity"), Value(3)),
        health_since=F("health_record__since"),
    )


def cumulative_up_to_month():
    """Cumulative investment of the report's project up to and including the report's month.

    A correlated subquery rather than a window, so that filtering the reports (by month, say)
    never changes the cumulative figure of the rows that remain.
    """
    earlier = (
        ProgressReport.objects.filter(project=OuterRef("project"), month__lte=OuterRef("month"))
        .order_by()
        .values("project")
        .annotate(total=Sum("investment"))
        .values("total")
    )
    return Coalesce(Subquery(earlier, output_field=MONEY_FIELD), ZERO)


def stage_timeline(*, project: Project) -> QuerySet[StageChange]:
    return project.stage_changes.select_related("changed_by__official").order_by("changed_on", "id")


def progress_reports_for(*, project: Project) -> QuerySet[ProgressReport]:
    """Reports newest first, each with the cumulative investment up to and including its month."""
    return (
        ProgressReport.objects.filter(project=project)
        .select_related("submitted_by__official")
        .prefetch_related("photos")
        .annotate(cumulative=cumulative_up_to_month())
        .order_by("-month")
    )


def milestones_annotated(qs: QuerySet[Milestone], *, today: datetime.date | None = None) -> QuerySet[Milestone]:
    """Annotate each milestone's `state` (met / due / overdue), `due_soon` and `overdue` (a flag
    for the API and its filter), by the one definition in `projects.milestones`."""
    today = today or timezone.localdate()
    return qs.annotate(
        **state_annotations(today),
        overdue=Case(
            When(state_q(State.OVERDUE, day=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def milestones_visible_to(user, *, today: datetime.date | None = None) -> QuerySet[Milestone]:
    qs = Milestone.objects.all()
    q = visibility_q(user, prefix="project__")
    if q is not None:
        qs = qs.filter(q)
    return milestones_annotated(
        qs.select_related("project__park", "responsible", "campaign", "completed_by__official"), today=today
    )


def milestones_for(*, project: Project, today: datetime.date | None = None) -> QuerySet[Milestone]:
    return milestones_annotated(
        project.milestones.select_related("responsible", "campaign", "completed_by__official"), today=today
    ).order_by("completed_on", "due_date", "id")


def progress_reports_visible_to(user) -> QuerySet[ProgressReport]:
    qs = ProgressReport.objects.all()
    q = visibility_q(user, prefix="project__")
    if q is not None:
        qs = qs.filter(q)
    return (
        qs.select_related("project", "submitted_by__official")
        .prefetch_related("photos")
        .annotate(cumulative=cumulative_up_to_month())
    )


def report_corrections(*, report: ProgressReport) -> list[dict]:
    """The corrections of a report, newest first: when, who, and each field's before → after
    (from the audit trail that projects.services.progress_report_update writes)."""
    entries = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ProgressReport),
            object_id=str(report.pk),
            action="progress_report.update",
        )
        .select_related("actor__official")
        .order_by("-at", "-id")
    )
    labels = {f.name: f.verbose_name for f in ProgressReport._meta.fields}
    rows = []
    for entry in entries:
        changes = []
        for field, value in entry.changes.items():
            if field in labels and isinstance(value, list) and len(value) == 2:
                changes.append({"label": labels[field], "before": value[0], "after": value[1]})
        rows.append(
            {
                "at": entry.at,
                "actor": entry.actor,
                "changes": changes,
                "photos_added": entry.changes.get("photos_added", 0),
                "photos_removed": len(entry.changes.get("photos_removed", [])),
            }
        )
    return rows


def annual_targets_visible_to(user) -> QuerySet[AnnualTarget]:
    qs = AnnualTarget.objects.all()
    q = visibility_q(user, prefix="project__")
    if q is not None:
        qs = qs.filter(q)
    return qs.select_related("project")


def project_phases(*, project: Project, user) -> QuerySet[Project]:
    return projects_visible_to(user).filter(parent=project).order_by("code")


# --- Parents and sub-items ----------------------------------------------------------------------
# One rule: a project split into sub-items (phases) reports through them, never itself; its page
# shows their sum (investment, this year's progress, overdue milestones) and its health is the
# worst of theirs (dashboards.health.roll_up).


def is_parent(project: Project) -> bool:
    """Whether `project` is split into sub-items (and so takes no report of its own)."""
    return Project.objects.filter(parent=project).exists()


def project_figures(*, project: Project, user, today: datetime.date | None = None) -> dict:
    """The figures of the project page: the project's own (with_progress), or for a parent the sum
    of its sub-items' (the year's plan is the parent's own target when it has one). Two queries."""
    today = today or timezone.localdate()
    fields = (
        "pk",
        "cumulative_investment",
        "year_investment",
        "year_plan",
        "last_report_month",
        "report_missing",
        "overdue_milestones",
    )
    rows = list(
        with_progress(Project.objects.filter(Q(pk=project.pk) | Q(parent=project)), today=today).values(*fields)
    )
    own = next((r for r in rows if r["pk"] == project.pk), None) or {}
    children = [r for r in rows if r["pk"] != project.pk]
    if not children:
        return {**own, "rolled_up": False, "sub_item_count": 0}
    months = [r["last_report_month"] for r in children if r["last_report_month"]]
    plans = [r["year_plan"] for r in children if r["year_plan"]]
    return {
        "cumulative_investment": sum((r["cumulative_investment"] for r in children), Decimal(0)),
        "year_investment": sum((r["year_investment"] for r in children), Decimal(0)),
        "year_plan": own.get("year_plan") or (sum(plans, Decimal(0)) if plans else None),
        "last_report_month": max(months) if months else None,
        "report_missing": any(r["report_missing"] for r in children),
        "overdue_milestones": (own.get("overdue_milestones") or 0) + sum(r["overdue_milestones"] for r in children),
        "rolled_up": True,
        "sub_item_count": len(children),
    }
