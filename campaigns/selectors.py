"""Reads of campaigns (专项行动, e.g. 招商引资和项目建设"百日攻坚"行动), so the campaign page, the
API and the dashboards show the same figures; the writes are `campaigns.services`.

Definitions (one each, used everywhere):
- a milestone's state (met / due / overdue, met on time, due so far) is defined in `projects.milestones`;
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
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import DEFAULT_POLICIES, Campaign, ReminderPolicy, default_policy
from campaigns.permissions import can_view_campaigns
from core.rates import Rate
from projects.milestones import State, state_counts, state_q
from projects.models import Milestone, ProgressReport, Project, Stage, StageChange
from projects.selectors import milestones_annotated, milestones_visible_to

#: The milestone filters of the campaign page and API: met / due / overdue.
MILESTONE_STATUSES = tuple(State.values)


def rate(numerator: int | Decimal, denominator: int | Decimal | None) -> Rate:
    """numerator ÷ denominator as the one Rate type (core.rates): "—" when the denominator is empty."""
    return Rate(numerator, denominator or 0)


# --- Reads -----------------------------------------------------------------------------------------


def campaigns_visible_to(user, *, today: datetime.date | None = None) -> QuerySet[Campaign]:
    """Campaigns, with their milestone counts annotated (`total`, `met`, `met_on_time`, `due`,
    `overdue`, `due_so_far`). Every user with a role sees every campaign; without a role, none."""
    today = today or timezone.localdate()
    qs = Campaign.objects.all() if can_view_campaigns(user) else Campaign.objects.none()
    return qs.annotate(**state_counts(today, prefix="milestones__")).order_by("-start_date", "name")


def campaign_milestones(
    *, campaign: Campaign, user, status: str | None = None, today: datetime.date | None = None
) -> QuerySet[Milestone]:
    """The campaign's milestones the user may see; `status` one of met / due / overdue."""
    today = today or timezone.localdate()
    qs = milestones_visible_to(user, today=today).filter(campaign=campaign)
    if status in MILESTONE_STATUSES:
        qs = qs.filter(state_q(status, day=today))
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
    def rate(self) -> Rate:
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
    def completion_rate(self) -> Rate:
        return rate(self.met, self.total)

    @property
    def on_time_rate(self) -> Rate:
        return rate(self.met_on_time, self.due_so_far)

    @property
    def time_elapsed_rate(self) -> Rate:
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
    counts = Milestone.objects.filter(campaign=campaign).aggregate(**state_counts(today))
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
    def on_time_rate(self) -> Rate:
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
    counts = state_counts(today)
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
    ranking.sort(
        key=lambda r: (r.on_time_rate.value is None, -(r.on_time_rate.value or 0), -r.met_on_time, r.overdue, r.name)
    )
    position = 0
    previous = None
    for index, row in enumerate(ranking, start=1):
        if row.on_time_rate.value is None:
            row.position = 0
            continue
        signature = (row.on_time_rate.value, row.met_on_time, row.overdue)
        if signature != previous:
            position = index
            previous = signature
        row.position = position
    return ranking


# --- Reminder policies ------------------------------------------------------------------------------


def policy_for_campaign(campaign: Campaign) -> ReminderPolicy | None:
    """The campaign's own ladder, or None (the default ladder of milestones applies)."""
    return ReminderPolicy.objects.filter(campaign=campaign).first()


@dataclass(frozen=True)
class PoliciesInForce:
    """The ladders in force, read with one query: the campaigns' own ladders by campaign id, and
    one policy per default scope (a saved row, else the built-in default, unsaved)."""

    by_campaign: dict[int, ReminderPolicy]
    defaults: dict[str, ReminderPolicy]

    def for_campaign(self, campaign_id: int | None) -> ReminderPolicy:
        """The ladder a campaign's milestones follow: its own, else the milestones' default
        (also for milestones outside any campaign: `campaign_id` None)."""
        own = self.by_campaign.get(campaign_id) if campaign_id else None
        return own or self.defaults[ReminderPolicy.Scope.MILESTONES]


def reminder_policies_in_force(*, campaign: Campaign | None = None) -> PoliciesInForce:
    """Every ladder in force (the sweep's read); with `campaign`, only its own and the defaults."""
    rows = ReminderPolicy.objects.all()
    if campaign is not None:
        rows = rows.filter(Q(campaign=campaign) | Q(campaign__isnull=True))
    by_campaign: dict[int, ReminderPolicy] = {}
    defaults = {scope: default_policy(scope) for scope in DEFAULT_POLICIES}
    for policy in rows:
        if policy.scope == ReminderPolicy.Scope.CAMPAIGN:
            by_campaign[policy.campaign_id] = policy
        else:
            defaults[policy.scope] = policy
    return PoliciesInForce(by_campaign=by_campaign, defaults=defaults)


def policy_in_force_for_campaign(campaign: Campaign) -> ReminderPolicy:
    """The ladder the campaign's milestones follow (one query): see `PoliciesInForce.for_campaign`."""
    return reminder_policies_in_force(campaign=campaign).for_campaign(campaign.pk)


# --- Planning ---------------------------------------------------------------------------------------

CANDIDATES_LIMIT = 50


def campaign_project_candidates(
    *, campaign: Campaign, q: str = "", park=None, chain=None, limit: int = CANDIDATES_LIMIT
) -> list:
    """Projects a supervisor may add to the campaign: by name, code or pinyin initials (`zxgt`
    finds 中新钢铁), by park or by industry chain; those already in it are left out. At most
    `limit`, one query."""
    qs = Project.objects.exclude(campaigns=campaign).select_related("park", "responsible_unit")
    q = (q or "").strip()
    if q:
        match = Q(name__icontains=q) | Q(code__icontains=q)
        if q.isascii() and q.isalpha():
            match |= Q(name_initials__contains=q.lower())
        qs = qs.filter(match)
    if park is not None:
        qs = qs.filter(park=park)
    if chain is not None:
        qs = qs.filter(segment__chain=chain)
    if not (q or park is not None or chain is not None):
        return []
    return list(qs.order_by("park__name", "code")[:limit])


def campaign_plan(*, campaign: Campaign, today: datetime.date | None = None) -> list:
    """The campaign's projects, each with `plan_milestones`: its milestones of this campaign
    (state annotated), in due-date order. Two queries."""
    today = today or timezone.localdate()
    milestones = milestones_annotated(
        Milestone.objects.filter(campaign=campaign).select_related("responsible__department"), today=today
    ).order_by("due_date", "sort_order", "id")
    return list(
        campaign.projects.select_related("park", "responsible_unit", "responsible_official")
        .prefetch_related(Prefetch("milestones", queryset=milestones, to_attr="plan_milestones"))
        .order_by("park__name", "code")
    )
