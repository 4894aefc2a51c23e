"""Template helpers of the campaign pages: rates, meters, countdowns."""

import datetime
from decimal import Decimal

from django import template

from core.text import days_line

register = template.Library()


@register.filter
def pct(value: Decimal | None) -> str:
    """12.5 → "12.5%"; None (empty denominator) → "—"."""
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
def days_until(day: datetime.date, today: datetime.date) -> int:
    return (day - today).days
