"""Display helpers shared by every page: money in 万元, localised dates, rates, role labels.

(Badges of a domain app live in that app's library, e.g. `stage_badge` in projects_ui.)

Every helper renders a missing value (None, empty) as "—", so templates never show "None"
or a misleading 0.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.colors import health_badge_html
from core.models import Role
from core.rates import DASH, Rate, format_rate

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _amount(number: Decimal) -> str:
    # Whole amounts read better without ".00"; fractions keep two places (万元 to the hundred yuan).
    if number == number.to_integral_value():
        return f"{number:,.0f}"
    return f"{number:,.2f}"


@register.filter
def money(value, unit: bool = True) -> str:
    """12345.5 → "12,345.50 万元" (`|money:False` leaves the unit out, for columns titled in 万元)."""
    number = _decimal(value)
    if number is None:
        return DASH
    text = _amount(number)
    return f"{text} {_('10k yuan')}" if unit else text


@register.filter
def zh_date(value, fmt: str = "DATE_FORMAT") -> str:
    """A date in the active language's format: 2026年7月4日 in zh-hans, "July 4, 2026" in English."""
    if not value:
        return DASH
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(value, "DATETIME_FORMAT" if fmt == "DATE_FORMAT" else fmt)
    return date_format(value, fmt)


@register.filter
def zh_month(value) -> str:
    """A month (any day of it): 2026年11月."""
    return zh_date(value, "YEAR_MONTH_FORMAT")


@register.filter
def dash(value):
    """The value, or "—" when it is None or empty."""
    if value is None or value == "":
        return DASH
    return value


_NOTHING = object()


@register.filter
def pct(value, denominator=_NOTHING) -> str:
    """The one way a rate is shown (core.rates): "45.2%", or "—" for an empty denominator.

    `{{ rate|pct }}` for a Rate (or a 0–1 fraction); `{{ done|pct:plan }}` for done ÷ plan.
    """
    if denominator is not _NOTHING:
        value = Rate(_decimal(value), _decimal(denominator))
    return format_rate(value)


@register.filter
def ratio_width(done, plan) -> int:
    """done ÷ plan for a progress bar, as 0–100."""
    return Rate(_decimal(done), _decimal(plan)).bar_width


@register.filter
def role_label(role: str | None) -> str:
    if not role:
        return ""
    try:
        return str(Role(role).label)
    except ValueError:
        return role


@register.filter
def person(user) -> str:
    """A user as people know them: the official's name, else the login name."""
    if user is None:
        return DASH
    official = getattr(user, "official", None)
    return official.name if official is not None else user.get_username()


@register.filter
def official(person_profile) -> str:
    """An official as "name（title）", the title left out when missing or the same as the name."""
    if person_profile is None:
        return DASH
    name, title = person_profile.name, person_profile.title
    return f"{name}（{title}）" if title and title != name else name


@register.simple_tag
def health_badge(color: str):
    """A project's health colour as a shaped badge (core.colors), "—" when there is none."""
    return health_badge_html(color)
