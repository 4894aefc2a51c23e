"""Display helpers of the dashboard pages: the counts behind a rate, percentage points, health
badges. (A rate itself is shown by `pct` of core.templatetags.ui, the one format.)

A missing value (an empty denominator) is always "—", never 0% or 100%.
"""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.colors import health_badge_html
from core.rates import DASH, Rate

register = template.Library()


@register.filter
def fraction(rate: Rate) -> str:
    """The counts behind a rate: "12 / 20"."""
    if not isinstance(rate, Rate):
        return DASH
    return f"{rate.numerator} / {rate.denominator}"


@register.filter
def points(value) -> str:
    """Percentage points with a sign: "+3.2", "−12.5"; "—" for None."""
    if value is None:
        return DASH
    value = Decimal(value)
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{abs(value)}"


@register.simple_tag
def health_badge(color: str):
    """The colour in words inside a shaped badge (core.colors)."""
    return health_badge_html(color)


@register.filter
def days_left(days: int) -> str:
    if days is None:
        return DASH
    if days < 0:
        return _("ended")
    return ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}
