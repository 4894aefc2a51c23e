"""Display helpers for issues: state and urgency badges, deadline dates, and the issues that hold
up a project's milestones (for the project page)."""

from dataclasses import dataclass, field

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.calendar import local_date
from core.templatetags.ui import zh_date
from issues import deadlines
from issues.models import Status, Urgency
from issues.selectors import issues_blocking, issues_visible_to

register = template.Library()


@register.simple_tag
def issue_status_badge(status: str):
    """The state as a coloured badge (class issue-status--<state>)."""
    try:
        label = Status(status).label
    except ValueError:
        return status or "—"
    return format_html('<span class="badge issue-status issue-status--{}">{}</span>', status, label)


@register.simple_tag
def urgency_badge(urgency: str):
    """Urgent and critical issues get a badge; normal ones none (most issues are normal)."""
    if urgency not in (Urgency.URGENT, Urgency.CRITICAL):
        return ""
    cls = "badge--danger" if urgency == Urgency.CRITICAL else "badge--warning"
    return format_html('<span class="badge {}">{}</span>', cls, Urgency(urgency).label)


@register.filter
def deadline_date(value) -> str:
    """The day a deadline (an aware datetime at 23:59:59 local time) falls on, e.g. 2026年12月2日."""
    if not value:
        return "—"
    return zh_date(local_date(value) if timezone.is_aware(value) else value)


@register.filter
def deadline_label(kind: str | None) -> str:
    """The name of a deadline by its kind (issues.deadlines), e.g. "response" → 答复期限;
    `issue.current_deadline_kind|deadline_label` names the deadline a row shows."""
    return deadlines.label_of(kind)


@register.simple_tag
def overdue_badge(issue):
    """ "Overdue" naming the deadline that has passed (e.g. 答复期限已逾期), never a bare "overdue"
    that could mean the response or the resolution deadline; nothing when not overdue."""
    if not getattr(issue, "is_overdue", False):
        return ""
    label = deadlines.label_of(getattr(issue, "current_deadline_kind", None))
    return format_html(
        '<span class="badge badge--danger" data-testid="overdue">{}</span>',
        _("%(deadline)s passed") % {"deadline": label},
    )


@dataclass
class Blocking:
    """The open (or unsolvable) issues holding up a project's milestones, as the user may read them."""

    issues: list = field(default_factory=list)
    by_milestone: dict = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.issues)


@register.simple_tag(takes_context=True)
def project_blocking_issues(context, project) -> Blocking:
    """`{% project_blocking_issues project as blocking %}`: one query for the whole page."""
    user = context["request"].user
    issues = list(issues_blocking(project=project).filter(pk__in=issues_visible_to(user).values("pk")))
    result = Blocking(issues=issues)
    for issue in issues:
        result.by_milestone.setdefault(issue.blocks_milestone_id, []).append(issue)
    return result


@register.filter
def blocked_by(blocking: Blocking, milestone_pk) -> list:
    """The issues of `blocking` that hold up one milestone."""
    if not blocking:
        return []
    return blocking.by_milestone.get(milestone_pk, [])
