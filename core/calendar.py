"""Working days by the official PRC calendar (国务院办公厅 holiday schedule).

A day is a working day when it is a make-up working day (调休上班), or when it is Monday to
Friday and not a public holiday. The exceptions live in the `core.Holiday` table, seeded from the
pinned `chinesecalendar` library (`holidays_seed_from_library`) and extended by supervisors in
the admin when the State Council announces a new year's schedule.

A year with no Holiday rows is *unknown*: it falls back to weekends only, and every result that
counts a day of such a year is flagged provisional. Nothing here raises for a missing year.

Counting rules (used for every deadline and every "working days taken" figure):
- the start day never counts: `add_working_days(d, 1)` is the first working day after `d`;
- `working_days_between(a, b)` counts the working days `x` with a < x <= b, so
  `working_days_between(d, add_working_days(d, n)[0]) == n`;
- a deadline is due at the end of its day: `end_of_day(day)` is 23:59:59 Asia/Shanghai, and that
  aware datetime is what issues store.
"""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

ONE_DAY = datetime.timedelta(days=1)


class WorkingCalendar:
    """The calendar over the Holiday table, loading one year per query on first use.

    One instance may serve many computations (e.g. recomputing the deadlines of every open
    issue) so the table is read once per year, not once per issue.
    """

    def __init__(self, model=None):
        if model is None:
            from core.models import Holiday

            model = Holiday
        self._model = model
        self._days_off: set[datetime.date] = set()
        self._makeup_days: set[datetime.date] = set()
        self._loaded: set[int] = set()
        self._known: set[int] = set()

    def _load(self, year: int) -> None:
        if year in self._loaded:
            return
        rows = self._model.objects.filter(date__year=year).values_list("date", "kind")
        for day, kind in rows:
            self._known.add(year)
            (self._makeup_days if kind == "makeup_workday" else self._days_off).add(day)
        self._loaded.add(year)

    def is_known(self, year: int) -> bool:
        self._load(year)
        return year in self._known

    def is_working_day(self, day: datetime.date) -> bool:
        self._load(day.year)
        if day in self._makeup_days:
            return True
        if day in self._days_off:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: datetime.date, n: int) -> tuple[datetime.date, bool]:
        """The Nth working day after `start`, and whether an unknown year was counted."""
        if n < 0:
            raise ValueError("n must not be negative")
        day, provisional = start, False
        counted = 0
        while counted < n:
            day += ONE_DAY
            if self.is_working_day(day):
                counted += 1
            if not self.is_known(day.year):
                provisional = True
        return day, provisional

    def working_days_between(self, a: datetime.date, b: datetime.date) -> int:
        """Working days x with a < x <= b (0 when b <= a)."""
        count, day = 0, a
        while day < b:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def add_working_days(start: datetime.date, n: int) -> tuple[datetime.date, bool]:
    """The Nth working day after `start` and a provisional flag (see the module docstring)."""
    return WorkingCalendar().add_working_days(start, n)


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """Number of working days after `a` up to and including `b`."""
    return WorkingCalendar().working_days_between(a, b)


def is_working_day(day: datetime.date) -> bool:
    return WorkingCalendar().is_working_day(day)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The aware datetime at which a deadline falling on `day` expires: 23:59:59 Asia/Shanghai."""
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))


def local_date(moment: datetime.datetime) -> datetime.date:
    """The calendar day (Asia/Shanghai) of an aware datetime."""
    return timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE)).date()


def years_missing_holiday_data(upcoming: Iterable[int] | None = None) -> list[int]:
    """Which of `upcoming` (default: this year and next) have no holiday rows yet.

    Supervisors are warned about these: deadlines in them are computed on weekends only.
    """
    from core.models import Holiday

    today = timezone.localdate()
    years = sorted(set(upcoming if upcoming is not None else (today.year, today.year + 1)))
    known = {d.year for d in Holiday.objects.filter(date__year__in=years).dates("date", "year")}
    return [year for year in years if year not in known]


def library_schedule(years: Iterable[int] | None = None) -> list[tuple[datetime.date, str, str]]:
    """(date, kind, Chinese name) for every exception the chinesecalendar library knows.

    `years` limits the result; None means every year the library covers.
    """
    import chinese_calendar
    from chinese_calendar.constants import Holiday as LibraryHoliday

    wanted = set(years) if years is not None else None
    names = {h.value: h.chinese for h in LibraryHoliday}
    rows = []
    for day, name in chinese_calendar.holidays.items():
        if wanted is None or day.year in wanted:
            rows.append((day, "holiday", names.get(name, name or "")))
    for day, name in chinese_calendar.workdays.items():
        # The library lists make-up working days only (weekend days that are worked).
        if day.weekday() >= 5 and (wanted is None or day.year in wanted):
            rows.append((day, "makeup_workday", names.get(name, name or "")))
    return sorted(rows)


def holidays_seed_from_library(*, model=None, years: Iterable[int] | None = None) -> set[int]:
    """Insert or correct library rows; never touch rows entered by hand. Idempotent.

    Returns the years whose rows changed, so callers can recompute the deadlines over them.
    `model` lets a data migration pass its historical model.
    """
    if model is None:
        from core.models import Holiday

        model = Holiday
    schedule = library_schedule(years)
    existing = {h.date: h for h in model.objects.filter(date__in=[day for day, _kind, _name in schedule])}
    changed: set[int] = set()
    to_create = []
    for day, kind, name in schedule:
        row = existing.get(day)
        if row is None:
            to_create.append(model(date=day, kind=kind, name=name, source="chinesecalendar"))
            changed.add(day.year)
        elif row.source == "chinesecalendar" and (row.kind != kind or row.name != name):
            row.kind, row.name = kind, name
            row.save(update_fields=["kind", "name"])
            changed.add(day.year)
    model.objects.bulk_create(to_create, batch_size=500)
    return changed


# --- Listeners to a change of the holiday calendar ------------------------------------------------

# Apps whose stored dates count working days (issues' deadlines are recomputed by issues itself;
# approvals' due dates …) register `listener(*, year, by) -> int` (how many rows changed) in their
# AppConfig.ready(); whoever changes Holiday rows (the holiday admin, seed_holidays) calls
# `holidays_changed` for the years it changed, inside its transaction.
HOLIDAY_LISTENERS: dict[str, object] = {}


def on_holidays_changed(key: str, listener) -> None:
    HOLIDAY_LISTENERS[key] = listener


def holidays_changed(*, years, by=None) -> int:
    """Tell every listener which years' holiday rows changed; the number of rows they changed."""
    return sum(listener(year=year, by=by) for year in sorted(set(years)) for listener in HOLIDAY_LISTENERS.values())
