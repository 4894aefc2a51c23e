"""Template helpers of the campaign pages: countdowns (rates use core's `pct`)."""

import datetime

from django import template

from core.text import days_line

register = template.Library()


@register.filter
def days_left_label(due: datetime.date, today: datetime.date) -> str:
    return days_line((today - due).days)


@register.filter
def days_until(day: datetime.date, today: datetime.date) -> int:
    return (day - today).days
