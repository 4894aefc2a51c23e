"""Campaigns (专项行动, e.g. 招商引资和项目建设"百日攻坚"行动): reads and writes in one place, so
the campaign page, the API and the dashboards show the same figures.

Definitions (one each, used everywhere):
- a milestone is *met* when it is done; *met on time* when done on or before its due date;
- *due* when not done and its due date is today or later; *overdue* when not done and past due;
- *completion rate* = met ÷ all the campaign's milestones;
- *on-time rate* (the ranking) = met on time ÷ milestones due by today (due date ≤ today) — a unit
  is measured only on what it already owed;
- countdown = days from today to the end date (0 on the last day; negative once it has ended);
- goals: projects *started* (*signed*) = the campaign's projects now at 开工 (签约) or beyond,
  except those whose stage history shows they got there before the campaign began;
  investment = monthly reports of the campaign's projects for the months the campaign touches.
An empty denominator gives None, shown as "—", never 0% or 100%.

The statistics cover the whole campaign (it is a city-wide league table); the milestone list is
scoped to what the user may see (`projects.selectors.milestones_visible_to`).
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError, PermissionDenied
from core.roles import role_of
from core.services import audit_record, full_clean, model_update
from projects.models import Campaign, Milestone, ProgressReport, Project, Stage, StageChange
from projects.permissions import can_manage_campaigns
from projects.selectors import milestones_visible_to

DEFAULT_LENGTH_DAYS = 100
CAMPAIGN_FIELDS = [
    "name",
    "start_date",
    "end_date",
    "goals",
    "goal_projects_to_start",
    "goal_projects_to_sign",
    "goal_investment",
]
MILESTONE_STATUSES = ("met", "due", "overdue")


def rate(numerator: int | Decimal, denominator: int | Decimal | None) -> Decimal | None:
    """A percentage with one decimal place, or None for an empty denominator."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _status_q(today: datetime.date, prefix: str = "") -> dict[str, Q]:
    """The milestone statuses (met / due / overdue) as conditions, through `prefix`."""
    open_ = Q(**{f"{prefix}completed_on__isnull": True})
    return {
        "met": Q(**{f"{prefix}completed_on__isnull": False}),
        "due": open_ & Q(**{f"{prefix}due_date__gte": today}),
        "overdue": open_ & Q(**{f"{prefix}due_date__lt": today}),
    }


def _milestone_counts(today: datetime.date, prefix: str = "") -> dict:
    """Aggregates over milestones (through `prefix`, e.g. "milestones__")."""
    status = _status_q(today, prefix)

    def count(condition: Q | None = None) -> Count:
        # Through a relation the join may repeat rows; counting distinct keys keeps counts exact.
        return Count(f"{prefix}pk", filter=condition, distinct=bool(prefix))

    return {
        "total": count(),
        "met": count(status["met"]),
        "met_on_time": count(status["met"] & Q(**{f"{prefix}completed_on__lte": F(f"{prefix}due_date")})),
        "due_so_far": count(Q(**{f"{prefix}due_date__lte": today})),
        "due": count(status["due"]),
        "overdue": count(status["overdue"]),
    }


# --- Reads -----------------------------------------------------------------------------------------


def campaigns_visible_to(user, *, today: datetime.date | None = None) -> QuerySet[Campaign]:
    """Campaigns, with their milestone counts annotated (`total`, `met`, `met_on_time`, `due`,
    `overdue`, `due_so_far`). Every user with a role sees every campaign; without a role, none."""
    today = today or timezone.localdate()
    qs = Campaign.objects.all() if role_of(user) else Campaign.objects.none()
    return qs.annotate(**_milestone_counts(today, prefix="milestones__")).order_by("-start_date", "name")


def campaign_milestones(
    *, campaign: Campaign, user, status: str | None = None, today: datetime.date | None = None
) -> QuerySet[Milestone]:
    """The campaign's milestones the user may see; `status` one of met / due / overdue."""
    today = today or timezone.localdate()
    qs = milestones_visible_to(user, today=today).filter(campaign=campaign)
    if status in MILESTONE_STATUSES:
        qs = qs.filter(_status_q(today)[status])
    return qs.select_related("project__responsible_unit").order_by("due_date", "project__code", "id")


@dataclass(frozen=True)
class Countdown:
    days_total: int
    days_elapsed: int
    days_left: int


def campaign_countdown(campaign: Campaign, today: datetime.date) -> Countdown:
    """Days in all (start and end day included), elapsed (the start day counts; 0 before the
    start, all once ended) and left (0 on the last day; negative once ended)."""
    days_total = (campaign.end_date - campaign.start_date).days + 1
    return Countdown(
        days_total=days_total,
        days_elapsed=min(max((today - campaign.start_date).days + 1, 0), days_total),
        days_left=(campaign.end_date - today).days,
    )


@dataclass
class Goal:
    target: int | Decimal | None
    actual: int | Decimal

    @property
    def rate(self) -> Decimal | None:
        return rate(self.actual, self.target)


@dataclass
class CampaignStatistics:
    today: datetime.date
    start_date: datetime.date
    days_total: int
    days_elapsed: int
    days_left: int
    total: int
    met: int
    met_on_time: int
    due: int
    overdue: int
    due_so_far: int
    projects: int
    goals: dict[str, Goal] = field(default_factory=dict)

    @property
    def completion_rate(self) -> Decimal | None:
        return rate(self.met, self.total)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.met_on_time, self.due_so_far)

    @property
    def time_elapsed_rate(self) -> Decimal | None:
        return rate(self.days_elapsed, self.days_total)

    @property
    def phase(self) -> str:
        if self.today < self.start_date:
            return "upcoming"
        return "ended" if self.days_left < 0 else "running"


def _reached_during(campaign: Campaign, stage: str) -> Count:
    """Count of the campaign's projects now at `stage` or beyond, leaving out those whose stage
    history shows they got there before the campaign began."""
    reached = [s for s in Stage.values if Stage.rank(s) >= Stage.rank(stage)]
    before = StageChange.objects.filter(
        project=OuterRef("pk"), to_stage__in=reached, changed_on__lt=campaign.start_date
    )
    return Count("pk", filter=Q(stage__in=reached) & ~Exists(before))


def campaign_statistics(*, campaign: Campaign, today: datetime.date | None = None) -> CampaignStatistics:
    """Countdown, milestones met / due / overdue, and progress against the goals. Three queries."""
    today = today or timezone.localdate()
    counts = Milestone.objects.filter(campaign=campaign).aggregate(**_milestone_counts(today))
    projects = campaign.projects.aggregate(
        count=Count("pk"),
        started=_reached_during(campaign, Stage.STARTED),
        signed=_reached_during(campaign, Stage.SIGNED),
    )
    first_month = campaign.start_date.replace(day=1)
    investment = ProgressReport.objects.filter(
        project__campaigns=campaign, month__gte=first_month, month__lte=campaign.end_date
    ).aggregate(total=Sum("investment"))["total"] or Decimal("0")
    countdown = campaign_countdown(campaign, today)
    return CampaignStatistics(
        today=today,
        start_date=campaign.start_date,
        days_total=countdown.days_total,
        days_elapsed=countdown.days_elapsed,
        days_left=countdown.days_left,
        projects=projects["count"],
        goals={
            "projects_to_start": Goal(campaign.goal_projects_to_start, projects["started"]),
            "projects_to_sign": Goal(campaign.goal_projects_to_sign, projects["signed"]),
            "investment": Goal(campaign.goal_investment, investment),
        },
        **counts,
    )


@dataclass
class RankingRow:
    key: int | None
    name: str
    total: int
    met: int
    met_on_time: int
    due_so_far: int
    overdue: int
    position: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.met_on_time, self.due_so_far)


RANKING_GROUPS = {
    "park": ("project__park_id", "project__park__name"),
    "unit": ("project__responsible_unit_id", "project__responsible_unit__name"),
}


def campaign_ranking(*, campaign: Campaign, by: str, today: datetime.date | None = None) -> list[RankingRow]:
    """Parks (`by="park"`) or responsible units (`by="unit"`) ranked by the on-time rate, then by
    milestones met on time, then fewest overdue. Units with nothing due yet come last. One query."""
    today = today or timezone.localdate()
    key_field, name_field = RANKING_GROUPS[by]
    counts = _milestone_counts(today)
    rows = (
        Milestone.objects.filter(campaign=campaign)
        .order_by()
        .values(key_field, name_field)
        .annotate(**{k: v for k, v in counts.items() if k != "due"})
    )
    ranking = [
        RankingRow(
            key=row[key_field],
            name=row[name_field] or _("No responsible unit"),
            total=row["total"],
            met=row["met"],
            met_on_time=row["met_on_time"],
            due_so_far=row["due_so_far"],
            overdue=row["overdue"],
        )
        for row in rows
    ]
    ranking.sort(key=lambda r: (r.on_time_rate is None, -(r.on_time_rate or 0), -r.met_on_time, r.overdue, r.name))
    position = 0
    previous = None
    for index, row in enumerate(ranking, start=1):
        if row.on_time_rate is None:
            row.position = 0
            continue
        signature = (row.on_time_rate, row.met_on_time, row.overdue)
        if signature != previous:
            position = index
            previous = signature
        row.position = position
    return ranking


# --- Writes ---------------------------------------------------------------------------------------


def _require_manager(user) -> None:
    if not can_manage_campaigns(user):
        raise PermissionDenied(_("Only the supervision office may set up campaigns."))


@transaction.atomic
def campaign_create(*, by, projects: list[Project] | None = None, **data) -> Campaign:
    """Create a campaign (supervisors). Without an end date it lasts 100 days, the start day included."""
    _require_manager(by)
    values = {k: v for k, v in data.items() if k in CAMPAIGN_FIELDS}
    if values.get("start_date") and not values.get("end_date"):
        values["end_date"] = values["start_date"] + datetime.timedelta(days=DEFAULT_LENGTH_DAYS - 1)
    campaign = Campaign(**values)
    if not (campaign.name or "").strip():
        message = _("Enter a name.")
        raise ApplicationError(message, fields={"name": [message]})
    full_clean(campaign)
    campaign.save()
    if projects:
        campaign.projects.set(projects)
    audit_record(
        actor=by,
        action="campaign.create",
        obj=campaign,
        changes={**{k: getattr(campaign, k) for k in CAMPAIGN_FIELDS}, "projects": [p.pk for p in projects or []]},
    )
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, by, projects: list[Project] | None = None, **data) -> Campaign:
    """Change a campaign's fields and (when given) its projects (supervisors)."""
    _require_manager(by)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign, changes = model_update(instance=campaign, data=data, fields=CAMPAIGN_FIELDS)
    if projects is not None:
        before = set(campaign.projects.values_list("pk", flat=True))
        after = {p.pk for p in projects}
        if before != after:
            campaign.projects.set(projects)
            changes["projects"] = [sorted(before), sorted(after)]
    if changes:
        audit_record(actor=by, action="campaign.update", obj=campaign, changes=changes)
    return campaign
