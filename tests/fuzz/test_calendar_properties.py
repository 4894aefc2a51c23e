"""Hypothesis: working-day arithmetic (core.calendar) over the seeded PRC holiday table.

Adding then counting is the identity; adding is monotonic in the start and in the count; every
result is a working day and never a public holiday; a year without holiday rows falls back to
Monday–Friday and says so (provisional).
"""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.calendar import WorkingCalendar
from core.models import Holiday

SETTINGS = settings(
    max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
DAYS = st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2027, 12, 31))
COUNTS = st.integers(min_value=0, max_value=60)


@pytest.fixture
def calendar(db) -> WorkingCalendar:
    return WorkingCalendar()


@SETTINGS
@given(start=DAYS, n=COUNTS)
def test_counting_inverts_adding(calendar, start, n):
    end, _provisional = calendar.add_working_days(start, n)
    assert calendar.working_days_between(start, end) == n
    assert end >= start
    if n:
        assert calendar.is_working_day(end)
        # the day before the result is fewer working days away: the result is the first such day
        assert calendar.working_days_between(start, end - datetime.timedelta(days=1)) == n - 1


@SETTINGS
@given(start=DAYS, n=COUNTS, extra=st.integers(min_value=1, max_value=20), later=st.integers(min_value=0, max_value=30))
def test_adding_is_monotonic(calendar, start, n, extra, later):
    assert calendar.add_working_days(start, n)[0] < calendar.add_working_days(start, n + extra)[0]
    other = start + datetime.timedelta(days=later)
    assert calendar.add_working_days(start, n)[0] <= calendar.add_working_days(other, n)[0]


@SETTINGS
@given(start=DAYS, n=st.integers(min_value=1, max_value=60))
def test_public_holidays_are_skipped_and_make_up_days_count(calendar, start, n):
    end, _provisional = calendar.add_working_days(start, n)
    days_off = set(Holiday.objects.filter(kind=Holiday.Kind.HOLIDAY).values_list("date", flat=True))
    makeup = set(Holiday.objects.filter(kind=Holiday.Kind.MAKEUP_WORKDAY).values_list("date", flat=True))
    assert end not in days_off
    counted = [
        start + datetime.timedelta(days=i)
        for i in range(1, (end - start).days + 1)
        if calendar.is_working_day(start + datetime.timedelta(days=i))
    ]
    assert len(counted) == n
    for day in counted:
        assert day not in days_off
        assert day.weekday() < 5 or day in makeup


def _unknown_year(calendar) -> int:
    year = datetime.date.today().year
    while calendar.is_known(year):
        year += 1
    return year


@pytest.mark.django_db
def test_the_seeded_years_are_known_and_the_next_unknown_one_is_provisional():
    calendar = WorkingCalendar()
    assert calendar.is_known(2026)
    assert _unknown_year(calendar) >= 2027


@SETTINGS
@given(day_of_year=st.integers(min_value=0, max_value=300), n=st.integers(min_value=1, max_value=40))
def test_an_unknown_year_falls_back_to_weekdays_and_is_provisional(calendar, day_of_year, n):
    year = _unknown_year(calendar)
    start = datetime.date(year, 1, 1) + datetime.timedelta(days=day_of_year)
    end, provisional = calendar.add_working_days(start, n)
    assert provisional
    weekdays, day = 0, start
    while weekdays < n:
        day += datetime.timedelta(days=1)
        weekdays += day.weekday() < 5
    assert end == day
