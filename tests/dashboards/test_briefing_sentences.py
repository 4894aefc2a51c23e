"""The weekly briefing's sentences are right for any date (frozen across month and year
boundaries): the month being reported on, "not yet" before its due day, no dangling colon; and a
project is late to start only once its planned start day has passed."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from core.models import Role
from dashboards.briefing import weekly_briefing
from dashboards.health import active_rules, health_reasons, with_health
from projects.models import Project, Stage
from tests.factories import ProgressReportFactory, ProjectFactory, user_with_role

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def travel(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def leader():
    return user_with_role(Role.LEADER)


@pytest.mark.parametrize(
    ("today", "week_start", "expected"),
    [
        # Wednesday 2 December: November's reports are due on 5 December — "not yet", not "missing".
        (datetime.date(2026, 12, 2), datetime.date(2026, 11, 30), "1个项目尚未填报2026年11月月报（12月5日截止）。"),
        # After the due day the same project has not reported.
        (datetime.date(2026, 12, 9), datetime.date(2026, 12, 7), "1个项目未填报2026年11月月报（12月5日截止）。"),
        # The last full week of November read on 2 December: October's reports, due 5 November.
        (datetime.date(2026, 12, 2), datetime.date(2026, 11, 23), "1个项目未填报2026年10月月报（11月5日截止）。"),
        # Across the year: on 3 January 2027 the month is December 2026, due 5 January.
        (datetime.date(2027, 1, 3), datetime.date(2026, 12, 28), "1个项目尚未填报2026年12月月报（1月5日截止）。"),
        (datetime.date(2027, 1, 8), datetime.date(2027, 1, 4), "1个项目未填报2026年12月月报（1月5日截止）。"),
    ],
)
def test_the_report_statement_names_the_month_being_reported_on(leader, today, week_start, expected):
    with travel(today):
        ProjectFactory(stage=Stage.UNDER_CONSTRUCTION, code="LATE-1")
        b = weekly_briefing(user=leader, week_start=week_start)
        statement = b.reports_statement
    assert expected in statement
    assert not statement.rstrip().endswith((":", "："))
    assert [p.code for p in b.reports_missing] == ["LATE-1"]


def test_with_every_report_in_the_sentence_has_no_list_and_no_colon(leader):
    with travel(datetime.date(2026, 12, 9)):
        project = ProjectFactory(stage=Stage.UNDER_CONSTRUCTION)
        ProgressReportFactory(project=project, month=datetime.date(2026, 11, 1))
        b = weekly_briefing(user=leader, week_start=datetime.date(2026, 12, 7))
        statement = b.reports_statement
    assert b.reports_missing == []
    assert "2026年11月" in statement and "：" not in statement and ":" not in statement
    assert "本周填报月报1份。" in statement or "本周填报月报 1 份。" in statement


def test_the_briefing_page_and_mail_text_carry_the_statement(client, leader):
    from django.template.loader import render_to_string

    with travel(datetime.date(2026, 12, 2)):
        ProjectFactory(stage=Stage.UNDER_CONSTRUCTION)
        client.force_login(leader)
        page = client.get("/dashboard/briefing/", {"week": "2026-11-30"}).content.decode()
        b = weekly_briefing(user=leader, week_start=datetime.date(2026, 11, 30))
        text = render_to_string("dashboards/briefing_summary.txt", {"briefing": b, "colors": {}})
    assert "尚未填报2026年11月月报（12月5日截止）" in page
    assert "尚未填报2026年11月月报（12月5日截止）" in text
    assert "月报:" not in page and "月报：" not in page


@pytest.mark.parametrize(
    ("today", "late"),
    [
        (datetime.date(2026, 12, 2), False),  # due on the 20th: not late on the 2nd
        (datetime.date(2026, 12, 20), False),  # nor on the day itself
        (datetime.date(2026, 12, 21), True),
        (datetime.date(2027, 1, 4), True),
    ],
)
def test_late_to_start_only_once_the_planned_start_day_has_passed(today, late):
    with travel(today):
        ProjectFactory(stage=Stage.SIGNED, planned_start=datetime.date(2026, 12, 20), code="START-1")
        rules = active_rules()
        row = with_health(Project.objects.all(), rules=rules, year=today.year, as_of=today, now=timezone.now()).get()
        kinds = [r.kind for r in health_reasons(row, rules, year=today.year, as_of=today)]
    assert ("start_late" in kinds) is late
