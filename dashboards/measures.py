"""The arithmetic every figure shares: 序时进度, rates with empty denominators, periods.

One definition each (DOMAIN.md "Measures"), used by the cockpit, the briefing, the API and the
league table alike. Pure functions: no database access here.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ONE_DAY = datetime.timedelta(days=1)
HUNDRED = Decimal("100")


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


@dataclass(frozen=True)
class Rate:
    """numerator ÷ denominator; `value` is None when the denominator is empty (shown "—")."""

    numerator: Decimal | int
    denominator: Decimal | int

    @property
    def value(self) -> Decimal | None:
        if not self.denominator:
            return None
        return Decimal(self.numerator) / Decimal(self.denominator)

    @property
    def percent(self) -> Decimal | None:
        """The rate in percent, one decimal place, or None."""
        value = self.value
        if value is None:
            return None
        return (value * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def as_dict(self) -> dict:
        value = self.value
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "rate": None if value is None else float(round(value, 4)),
            "percent": None if value is None else float(self.percent),
        }


def percent(value: Decimal | None) -> Decimal | None:
    """A 0–1 share in percent, one decimal place; None stays None."""
    if value is None:
        return None
    return (Decimal(value) * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


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
