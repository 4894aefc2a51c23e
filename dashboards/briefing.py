"""The weekly briefing (工作简报): what changed in one week (Monday to Sunday), for one reader.

Read-only, scoped to what the reader may see, a constant number of queries. The printable page,
the Excel download, the API and the Monday e-mail all render this one structure.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.calendar import end_of_day
from dashboards.filters import DashboardFilter
from dashboards.measures import week_bounds
from dashboards.selectors import Scope, dashboard_scope, health_summary, investment_summary
from issues.models import Category
from issues.models import Status as IssueStatus
from issues.selectors import issue_measures_total, with_deadline_state
from projects.models import Milestone, ProgressReport, StageChange
from projects.selectors import previous_month, report_deadline, report_missing_q, with_progress

TOP = 10


@dataclass
class Briefing:
    week_start: datetime.date
    week_end: datetime.date
    until: datetime.date  # the last day counted: the week's Sunday, or today within the week
    scope: Scope
    headline: dict
    stage_moves: list
    reports_filed: list
    reports_missing: list
    report_month: datetime.date  # the month being reported on in the briefing's week
    report_due: datetime.date  # the day its reports are due (projects.selectors.report_deadline)
    milestones_met: list
    milestones_missed: list
    issues_opened: list
    issues_closed: list
    issues_overdue: list
    issues_overdue_count: int
    top_categories: list

    @property
    def is_partial(self) -> bool:
        return self.until < self.week_end

    @property
    def reports_overdue(self) -> bool:
        """Whether the reports still missing for `report_month` are late (its due day has passed)."""
        return self.until > self.report_due

    @property
    def reports_statement(self) -> str:
        """The monthly-report sentences of the briefing, right for any date: the reports filed in
        the week, then those still missing for the month being reported on — "not yet" before its
        due day, "not reported" after it. Whole sentences (no trailing colon): the same text reads
        right above the list on the page and alone in the e-mail and the workbook."""
        filed = ngettext(
            "%(n)d monthly report filed this week.", "%(n)d monthly reports filed this week.", len(self.reports_filed)
        ) % {"n": len(self.reports_filed)}
        values = {
            "n": len(self.reports_missing),
            "month": date_format(self.report_month, "YEAR_MONTH_FORMAT"),
            # zh-hans's MONTH_DAY_FORMAT pads the month ("01月5日"): drop the pad, as people write it.
            "due": date_format(self.report_due, "MONTH_DAY_FORMAT").removeprefix("0"),
        }
        if not self.reports_missing:
            missing = _("Every project that reports has filed for %(month)s.") % values
        elif self.reports_overdue:
            missing = (
                ngettext(
                    "%(n)d project has not reported for %(month)s, due %(due)s.",
                    "%(n)d projects have not reported for %(month)s, due %(due)s.",
                    values["n"],
                )
                % values
            )
        else:
            missing = (
                ngettext(
                    "%(n)d project has not yet reported for %(month)s (due %(due)s).",
                    "%(n)d projects have not yet reported for %(month)s (due %(due)s).",
                    values["n"],
                )
                % values
            )
        return f"{filed} {missing}"


def last_full_week(today: datetime.date) -> datetime.date:
    """The Monday of the last complete week before `today`."""
    monday, _sunday = week_bounds(today)
    return monday - datetime.timedelta(days=7)


def weekly_briefing(*, user, week_start: datetime.date, today: datetime.date | None = None, now=None) -> Briefing:
    """The briefing of the week beginning on `week_start` (moved back to its Monday)."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    week_start, week_end = week_bounds(week_start)
    until = max(min(week_end, today), week_start)
    scope = dashboard_scope(user=user, filters=DashboardFilter({"year": until.year}, today=until), today=until, now=now)
    visible = scope.projects().values("pk")
    start_at = end_of_day(week_start - datetime.timedelta(days=1))
    end_at = end_of_day(until)

    stage_moves = list(
        StageChange.objects.filter(project__in=visible, changed_on__gte=week_start, changed_on__lte=until)
        .exclude(from_stage="")
        .select_related("project", "changed_by__official")
        .order_by("changed_on", "project__code")
    )
    reports_filed = list(
        ProgressReport.objects.filter(project__in=visible, created_at__gt=start_at, created_at__lte=end_at)
        .select_related("project")
        .order_by("project__code", "month")
    )
    # The month whose reports are being collected in the week (last month as of `until`), due on
    # REPORT_DUE_DAY of the month after: before that day its missing reports are "not yet" filed.
    report_month = previous_month(until)
    reports_missing = list(
        with_progress(
            scope.projects().filter(report_missing_q(report_month)).select_related("park", "responsible_unit"),
            today=until,
        ).order_by("code")
    )
    milestones = Milestone.objects.filter(project__in=visible).select_related("project", "responsible")
    milestones_met = list(
        milestones.filter(completed_on__gte=week_start, completed_on__lte=until).order_by("completed_on")
    )
    milestones_missed = list(
        # Missed: fell due in the week (and is past: due before today) without being done by then.
        milestones.filter(due_date__gte=week_start, due_date__lte=until, due_date__lt=today)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=F("due_date")))
        .order_by("due_date", "project__code")
    )
    issues = scope.issues().select_related("enterprise", "lead_department", "project")
    issues_opened = list(issues.filter(raised_at__gt=start_at, raised_at__lte=end_at).order_by("raised_at"))
    issues_closed = list(issues.filter(resolved_at__gt=start_at, resolved_at__lte=end_at).order_by("resolved_at"))
    overdue = with_deadline_state(issues.filter(status__in=IssueStatus.open_values()), now=now).filter(is_overdue=True)
    issues_overdue_count = overdue.count()
    issues_overdue = list(overdue.order_by("current_deadline")[:TOP])
    categories = (
        scope.issues()
        .filter(status__in=IssueStatus.open_values())
        .order_by()
        .values("category")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(pk__in=overdue.values("pk"))))
        .order_by("-n", "category")[:5]
    )
    top_categories = [
        {
            "category": row["category"],
            "label": str(Category(row["category"]).label),
            "open": row["n"],
            "overdue": row["overdue"],
        }
        for row in categories
    ]
    year_start = datetime.date(until.year, 1, 1)
    measures = issue_measures_total(queryset=scope.issues(), start=year_start, end=until, now=now)
    headline = {
        "investment": investment_summary(scope),
        "health": health_summary(scope),
        "issues": measures,
    }
    return Briefing(
        week_start=week_start,
        week_end=week_end,
        until=until,
        scope=scope,
        headline=headline,
        stage_moves=stage_moves,
        reports_filed=reports_filed,
        reports_missing=reports_missing,
        report_month=report_month,
        report_due=report_deadline(report_month),
        milestones_met=milestones_met,
        milestones_missed=milestones_missed,
        issues_opened=issues_opened,
        issues_closed=issues_closed,
        issues_overdue=issues_overdue,
        issues_overdue_count=issues_overdue_count,
        top_categories=top_categories,
    )
