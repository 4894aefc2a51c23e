"""Column specs of the .xlsx exports: one list of columns per kind of row.

Headers are lazy translations, evaluated when the sheet is written, in the user's language.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from issues.deadlines import label_of as deadline_label
from projects.milestones import State as MilestoneState


@dataclass(frozen=True)
class XColumn:
    header: object  # a (lazy) translated string
    value: Callable
    kind: str = "text"  # text, money, date, datetime, percent, int
    width: int = 14


def _name(obj) -> str:
    return "" if obj is None else str(getattr(obj, "short_name", "") or obj)


def _person(official) -> str:
    return "" if official is None else official.name


PROJECT_COLUMNS = [
    XColumn(_("Project code"), lambda p: p.code, width=16),
    XColumn(_("Project"), lambda p: p.name, width=30),
    XColumn(_("Owner enterprise"), lambda p: p.enterprise.name, width=28),
    XColumn(_("Park"), lambda p: _name(p.park), width=16),
    XColumn(_("Industry chain"), lambda p: p.segment.chain.name if p.segment else "", width=12),
    XColumn(_("Chain segment"), lambda p: p.segment.name if p.segment else "", width=12),
    XColumn(_("Level"), lambda p: p.get_level_display(), width=14),
    XColumn(_("Stage"), lambda p: p.get_stage_display(), width=12),
    XColumn(_("Total investment (10k yuan)"), lambda p: p.total_investment, "money"),
    XColumn(_("Cumulative investment (10k yuan)"), lambda p: getattr(p, "cumulative_investment", None), "money"),
    XColumn(_("Year's plan (10k yuan)"), lambda p: getattr(p, "year_plan", None), "money"),
    XColumn(_("Invested this year (10k yuan)"), lambda p: getattr(p, "year_investment", None), "money"),
    XColumn(_("Funds planned this year (10k yuan)"), lambda p: getattr(p, "funding_planned", None), "money"),
    XColumn(_("Funds in place this year (10k yuan)"), lambda p: getattr(p, "funding_received", None), "money"),
    XColumn(_("Planned start"), lambda p: p.planned_start, "date", 12),
    XColumn(_("Planned completion"), lambda p: p.planned_completion, "date", 12),
    XColumn(_("Assigned leader"), lambda p: _person(p.assigned_leader), width=12),
    XColumn(_("Responsible unit"), lambda p: _name(p.responsible_unit), width=16),
    XColumn(_("Responsible official"), lambda p: _person(p.responsible_official), width=12),
    XColumn(_("Key project"), lambda p: p.is_key, width=8),
    XColumn(_("Report missing"), lambda p: getattr(p, "report_missing", None), width=8),
    XColumn(_("Overdue milestones"), lambda p: getattr(p, "overdue_milestones", None), "int", 8),
]


def _reasons(row) -> str:
    return "；".join(r.text for r in row["reasons"])


DRILL_COLUMNS = [
    XColumn(_("Project code"), lambda r: r["project"].code, width=16),
    XColumn(_("Project"), lambda r: r["project"].name, width=30),
    XColumn(_("Park"), lambda r: _name(r["project"].park), width=16),
    XColumn(_("Stage"), lambda r: r["project"].get_stage_display(), width=12),
    XColumn(_("Assigned leader"), lambda r: _person(r["project"].assigned_leader), width=12),
    XColumn(_("Health"), lambda r: r["health_label"], width=8),
    XColumn(_("Why"), _reasons, width=50),
    XColumn(_("Due to start"), lambda r: r["project"].start_due, "date", 12),
    XColumn(_("Year's plan (10k yuan)"), lambda r: r["project"].year_plan, "money"),
    XColumn(_("Invested this year (10k yuan)"), lambda r: r["project"].year_done, "money"),
    XColumn(_("Share of the year's plan"), lambda r: r["completion"], "percent", 10),
]


def _milestone_state(m) -> str:
    """From the `state` annotation of projects.selectors (the rule of projects.milestones)."""
    if m.state == MilestoneState.MET:
        return str(_("Met on time") if m.completed_on <= m.due_date else _("Met late"))
    return str(_("Overdue") if m.state == MilestoneState.OVERDUE else _("Upcoming"))


MILESTONE_COLUMNS = [
    XColumn(_("Project code"), lambda m: m.project.code, width=16),
    XColumn(_("Project"), lambda m: m.project.name, width=28),
    XColumn(_("Park"), lambda m: _name(m.project.park), width=16),
    XColumn(_("Milestone"), lambda m: m.title, width=30),
    XColumn(_("Campaign"), lambda m: m.campaign.name if m.campaign else "", width=20),
    XColumn(_("Due date"), lambda m: m.due_date, "date", 12),
    XColumn(_("Completed on"), lambda m: m.completed_on, "date", 12),
    XColumn(_("State"), _milestone_state, width=10),
    XColumn(_("Responsible official"), lambda m: _person(m.responsible), width=12),
]

ISSUE_COLUMNS = [
    XColumn(_("No."), lambda i: i.pk, "int", 8),
    XColumn(_("Issue"), lambda i: i.title, width=30),
    XColumn(_("Enterprise"), lambda i: i.enterprise.name, width=26),
    XColumn(_("Project"), lambda i: i.project.name if i.project else "", width=24),
    XColumn(_("Category"), lambda i: i.get_category_display(), width=12),
    XColumn(_("Urgency"), lambda i: i.get_urgency_display(), width=8),
    XColumn(_("Status"), lambda i: i.get_status_display(), width=10),
    XColumn(_("Lead department"), lambda i: _name(i.lead_department), width=16),
    XColumn(_("Raised at"), lambda i: i.raised_at, "datetime", 16),
    XColumn(_("Current deadline"), lambda i: getattr(i, "current_deadline", None), "datetime", 16),
    XColumn(_("Which deadline"), lambda i: str(deadline_label(getattr(i, "current_deadline_kind", None))), width=10),
    XColumn(_("Overdue"), lambda i: getattr(i, "is_overdue", None), width=8),
    XColumn(_("Resolved at"), lambda i: i.resolved_at, "datetime", 16),
    XColumn(_("Satisfaction"), lambda i: i.get_satisfaction_display(), width=10),
]

LEAGUE_COLUMNS = [
    XColumn(_("Rank"), lambda r: r.rank, "int", 6),
    XColumn(_("Name"), lambda r: r.name, width=18),
    XColumn(_("Score"), lambda r: r.score, "money", 8),
    XColumn(_("List"), lambda r: r.get_band_display() if r.band else "", width=8),
    XColumn(_("Milestones met on time"), lambda r: (r.rates or {}).get("milestones"), "percent", 10),
    XColumn(_("Investment against the time-elapsed share"), lambda r: (r.rates or {}).get("investment"), "percent", 12),
    XColumn(_("Answered in time"), lambda r: (r.rates or {}).get("response"), "percent", 10),
    XColumn(_("Resolved on time"), lambda r: (r.rates or {}).get("resolution"), "percent", 10),
    XColumn(_("Satisfaction"), lambda r: (r.rates or {}).get("satisfaction"), "percent", 10),
    XColumn(_("Milestones due"), lambda r: r.milestones_due, "int", 8),
    XColumn(_("Met on time"), lambda r: r.milestones_on_time, "int", 8),
    XColumn(_("Year's plan (10k yuan)"), lambda r: r.year_plan, "money"),
    XColumn(_("Completed (10k yuan)"), lambda r: r.year_done, "money"),
]


MILESTONE_COLUMNS_BRIEF = [
    XColumn(_("Project"), lambda m: m.project.name, width=28),
    XColumn(_("Milestone"), lambda m: m.title, width=30),
    XColumn(_("Due date"), lambda m: m.due_date, "date", 12),
    XColumn(_("Completed on"), lambda m: m.completed_on, "date", 12),
    XColumn(_("Responsible official"), lambda m: _person(m.responsible), width=12),
]
ISSUE_COLUMNS_BRIEF = [
    XColumn(_("No."), lambda i: i.pk, "int", 8),
    XColumn(_("Issue"), lambda i: i.title, width=30),
    XColumn(_("Enterprise"), lambda i: i.enterprise.name, width=26),
    XColumn(_("Lead department"), lambda i: _name(i.lead_department), width=16),
    XColumn(_("Status"), lambda i: i.get_status_display(), width=10),
    XColumn(_("Raised at"), lambda i: i.raised_at, "datetime", 16),
]


# Approval items (approvals app): the approvals list's rows, annotated with `overdue`.
APPROVAL_COLUMNS = [
    XColumn(_("Project code"), lambda i: i.project.code, width=16),
    XColumn(_("Project"), lambda i: i.project.name, width=30),
    XColumn(_("Park"), lambda i: _name(i.project.park), width=16),
    XColumn(_("Approval item"), lambda i: i.name, width=16),
    XColumn(_("Approving department"), lambda i: _name(i.department), width=18),
    XColumn(_("Status"), lambda i: i.get_status_display(), width=10),
    XColumn(_("Overdue"), lambda i: bool(getattr(i, "overdue", False)), width=8),
    XColumn(_("Time limit (working days)"), lambda i: i.time_limit_days, "int"),
    XColumn(_("Applied on"), lambda i: i.applied_on, "date"),
    XColumn(_("Due date"), lambda i: i.due_date, "date"),
    XColumn(_("Approved on"), lambda i: i.approved_on, "date"),
    XColumn(_("Working days taken"), lambda i: i.working_days_taken, "int"),
    XColumn(_("Approval document number"), lambda i: i.approval_number, width=20),
    XColumn(_("Blocked by issue"), lambda i: i.blocking_issue.title if i.blocking_issue_id else "", width=24),
    XColumn(_("Note"), lambda i: i.note, width=30),
]
