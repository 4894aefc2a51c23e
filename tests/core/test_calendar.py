"""Working-day arithmetic by the official PRC calendar (core.calendar).

The Holiday table is seeded by migration from chinesecalendar 1.11.0, which knows 2004–2026.
National Day 2026: 1–7 October off; make-up working days Sunday 20 September and Saturday
10 October. Mid-Autumn 2026: 25–27 September off.
"""

import datetime
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
import time_machine

from core.calendar import (
    WorkingCalendar,
    add_working_days,
    end_of_day,
    holidays_seed_from_library,
    is_working_day,
    library_schedule,
    working_days_between,
    years_missing_holiday_data,
)
from core.models import Holiday

pytestmark = pytest.mark.django_db

D = datetime.date


def test_migration_seeded_national_day_2026_with_makeup_days():
    assert Holiday.objects.get(date=D(2026, 10, 1)).kind == Holiday.Kind.HOLIDAY
    assert Holiday.objects.get(date=D(2026, 10, 1)).name == "国庆节"
    assert Holiday.objects.get(date=D(2026, 10, 10)).kind == Holiday.Kind.MAKEUP_WORKDAY
    assert Holiday.objects.get(date=D(2026, 9, 20)).kind == Holiday.Kind.MAKEUP_WORKDAY
    assert not Holiday.objects.filter(date__year=2027).exists()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 9, 30), True),  # Wednesday before the holiday
        (D(2026, 10, 1), False),  # National Day
        (D(2026, 10, 5), False),  # a Monday inside the holiday
        (D(2026, 10, 7), False),
        (D(2026, 10, 8), True),
        (D(2026, 10, 10), True),  # Saturday, make-up working day (调休)
        (D(2026, 10, 11), False),  # ordinary Sunday
        (D(2026, 9, 20), True),  # Sunday, make-up working day
        (D(2026, 9, 25), False),  # Friday, Mid-Autumn
        (D(2027, 1, 1), True),  # unknown year: weekdays only (provisional)
        (D(2027, 1, 2), False),
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # The day of raising does not count; the holiday is skipped.
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 9, 30), 2, D(2026, 10, 9)),
        # The make-up Saturday counts as a working day.
        (D(2026, 9, 30), 3, D(2026, 10, 10)),
        (D(2026, 9, 30), 4, D(2026, 10, 12)),
        # Raised on a holiday: counting starts after it.
        (D(2026, 10, 3), 1, D(2026, 10, 8)),
        # Friday before the make-up Sunday: the next working day is that Sunday.
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
        # Mid-Autumn (Fri 25 – Sun 27 September) and National Day in one stretch.
        (D(2026, 9, 24), 4, D(2026, 10, 8)),
        # "13710": 7 working days from an ordinary Friday.
        (D(2026, 11, 27), 7, D(2026, 12, 8)),
        (D(2026, 11, 27), 0, D(2026, 11, 27)),
    ],
)
def test_add_working_days_across_national_day(start, n, expected):
    assert add_working_days(start, n) == (expected, False)


def test_agrees_with_chinesecalendar_for_every_day_of_2026():
    cal = WorkingCalendar()
    day = D(2026, 1, 1)
    while day.year == 2026:
        assert cal.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)


def test_working_days_between_is_the_inverse_of_adding():
    cal = WorkingCalendar()
    for offset in range(0, 120, 3):
        start = D(2026, 8, 1) + datetime.timedelta(days=offset)
        for n in (1, 3, 7, 22):
            end, _provisional = cal.add_working_days(start, n)
            assert cal.working_days_between(start, end) == n


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert working_days_between(D(2026, 9, 30), D(2026, 9, 30)) == 0
    assert working_days_between(D(2026, 10, 10), D(2026, 9, 30)) == 0


def test_year_boundary_into_a_year_without_data_is_provisional_weekends_only():
    # Monday 28 December 2026 + 7: 29, 30, 31 Dec, then 2027 on weekdays only (1, 4, 5, 6 Jan).
    assert add_working_days(D(2026, 12, 28), 7) == (D(2027, 1, 6), True)
    # Staying inside 2026 is not provisional.
    assert add_working_days(D(2026, 12, 28), 3) == (D(2026, 12, 31), False)


def test_far_unknown_year_never_crashes():
    day, provisional = add_working_days(D(2030, 12, 20), 22)
    assert provisional is True
    assert day == D(2031, 1, 21)


def test_rows_for_the_new_year_make_it_known_and_move_the_deadline():
    Holiday.objects.create(date=D(2027, 1, 1), kind=Holiday.Kind.HOLIDAY, name="元旦")
    assert add_working_days(D(2026, 12, 28), 7) == (D(2027, 1, 7), False)


def test_makeup_workday_on_a_weekend_of_a_new_year_counts():
    Holiday.objects.create(date=D(2027, 1, 2), kind=Holiday.Kind.MAKEUP_WORKDAY, name="调休")
    assert add_working_days(D(2026, 12, 31), 2) == (D(2027, 1, 2), False)


def test_years_missing_holiday_data_warns_about_next_year():
    with time_machine.travel(datetime.datetime(2026, 11, 27, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        assert years_missing_holiday_data() == [2027]
        Holiday.objects.create(date=D(2027, 1, 1), kind=Holiday.Kind.HOLIDAY, name="元旦")
        assert years_missing_holiday_data() == []
    assert years_missing_holiday_data([2025, 2026, 2028]) == [2028]


def test_end_of_day_is_last_second_in_shanghai():
    moment = end_of_day(D(2026, 10, 8))
    assert moment.isoformat() == "2026-10-08T23:59:59+08:00"
    assert moment.astimezone(datetime.UTC).isoformat() == "2026-10-08T15:59:59+00:00"


def test_seed_is_idempotent_and_leaves_hand_entered_rows_alone():
    assert holidays_seed_from_library() == set()
    count = Holiday.objects.count()
    # A supervisor corrected a day by hand: the library never overwrites it.
    Holiday.objects.filter(date=D(2026, 10, 7)).update(kind=Holiday.Kind.MAKEUP_WORKDAY, source="manual")
    # A library row that drifted is put back.
    Holiday.objects.filter(date=D(2025, 10, 1)).update(kind=Holiday.Kind.MAKEUP_WORKDAY)
    assert holidays_seed_from_library() == {2025}
    assert Holiday.objects.count() == count
    assert Holiday.objects.get(date=D(2026, 10, 7)).kind == Holiday.Kind.MAKEUP_WORKDAY
    assert Holiday.objects.get(date=D(2025, 10, 1)).kind == Holiday.Kind.HOLIDAY


def test_seed_restores_deleted_year():
    Holiday.objects.filter(date__year=2026).delete()
    assert add_working_days(D(2026, 9, 30), 1) == (D(2026, 10, 1), True)
    assert holidays_seed_from_library(years=[2026]) == {2026}
    assert add_working_days(D(2026, 9, 30), 1) == (D(2026, 10, 8), False)


def test_library_schedule_names_in_chinese():
    rows = {day: (kind, name) for day, kind, name in library_schedule([2026])}
    assert rows[D(2026, 2, 17)] == ("holiday", "春节")
    assert rows[D(2026, 2, 28)] == ("makeup_workday", "春节")


def test_calendar_reads_one_year_per_query(django_assert_num_queries):
    cal = WorkingCalendar()
    with django_assert_num_queries(2):  # 2026 and 2027
        for n in range(1, 30):
            cal.add_working_days(D(2026, 12, 1), n)
