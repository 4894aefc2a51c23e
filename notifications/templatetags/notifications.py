"""Template helpers for reminders and campaigns: the header's unread badge, rates, countdowns."""

import datetime
from decimal import Decimal

from django import template

from notifications.selectors import unread_count
from notifications.texts import days_line

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """Unread notifications of the current user (one indexed COUNT), 0 when logged out."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)


@register.filter
def pct(value: Decimal | None) -> str:
    """12.5 → "12.5%"; None (empty denominator) → "—".

    Only for the campaign pages, whose figures (projects.campaigns.rate) are still percentages:
    once they are core.rates.Rate values, this filter and `bar_width` go, and core's `pct` (in the
    `ui` library, loaded before this one) shows them."""
    if value is None:
        return "—"
    if value == value.to_integral_value():
        return f"{int(value)}%"
    return f"{value:.1f}%"


@register.filter
def bar_width(value: Decimal | None) -> int:
    """A percentage clamped to 0–100 for a meter's width."""
    if value is None:
        return 0
    return max(0, min(100, int(value)))


@register.filter
def days_left_label(due: datetime.date, today: datetime.date) -> str:
    return days_line((today - due).days)


@register.filter
def without_link(notification) -> str:
    """The body without its "Open: <link>" line: in the inbox the title is the link."""
    return "\n".join(line for line in notification.body.splitlines() if notification.link not in line)


@register.filter
def days_until(day: datetime.date, today: datetime.date) -> int:
    return (day - today).days
