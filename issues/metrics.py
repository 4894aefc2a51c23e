"""Figures of the issues app at /metrics (see ops.metrics)."""

from django.db.models import Count, Q

from issues.models import Issue, Status
from issues.selectors import with_deadline_state
from ops.metrics import GaugeMetricFamily, collector


@collector("issues")
def issue_figures():
    rows = (
        with_deadline_state(Issue.objects.filter(status__in=Status.open_values()))
        .order_by()
        .values("status")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(is_overdue=True)))
    )
    by_status = {row["status"]: row for row in rows}
    open_issues = GaugeMetricFamily("tracker_issues_open", "Open issues by status.", labels=["status"])
    overdue = GaugeMetricFamily(
        "tracker_issues_open_overdue", "Open issues whose current deadline has passed, by status.", labels=["status"]
    )
    for status in Status.open_values():
        row = by_status.get(status, {"n": 0, "overdue": 0})
        open_issues.add_metric([status], row["n"])
        overdue.add_metric([status], row["overdue"])
    yield open_issues
    yield overdue
