"""The arithmetic every figure shares: 序时进度 and periods (rates are core.rates.Rate).

One definition each (DOMAIN.md "Measures"), used by the cockpit, the briefing, the API and the
league table alike. Pure functions: no database access here.
"""

import calendar
import datetime
from decimal import Decimal

ONE_DAY = datetime.timedelta(days=1)


def report_date(year: int, today: datetime.date) -> datetime.date:
    """The date a year's figures are reported at: today in the current year, 31 December of a
    past year, and the eve of 1 January for a year that has not begun (nothing elapsed)."""
    if year < today.year:
        return datetime.date(year, 12, 31)
    if year > today.year:
        return datetime.date(year, 1, 1) - ONE_DAY
    return today


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def time_elapsed_share(year: int, as_of: datetime.date) -> Decimal:
    """序时进度: days of `year` elapsed up to and including `as_of` ÷ days in the year (0 to 1)."""
    start = datetime.date(year, 1, 1)
    elapsed = (as_of - start).days + 1
    elapsed = max(0, min(elapsed, days_in_year(year)))
    return Decimal(elapsed) / Decimal(days_in_year(year))


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after the month of `day` (negative goes back)."""
    index = day.year * 12 + (day.month - 1) + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - ONE_DAY


def week_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the week containing `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def quarter_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first_month = (day.month - 1) // 3 * 3 + 1
    start = datetime.date(day.year, first_month, 1)
    return start, month_end(add_months(start, 2))
