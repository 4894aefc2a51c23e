"""The project page as the one place for a project (issue 12, item 2): the stored health with the
rules that fired and since when, the open issues (blocking first) and the visits about it, the
milestone timeline, and a parent project rolled up from its sub-items, which alone take reports.
The city is tests/dashboards/conftest.py's (P1 red: behind the year's plan and an overdue issue
blocking M3)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import ApplicationError
from dashboards.models import ProjectHealth
from issues.models import Status
from projects import services as project_services
from projects.milestones import timeline_strip
from projects.models import Milestone
from projects.selectors import is_parent, project_figures
from tests.factories import MilestoneFactory, ProjectFactory

from .conftest import make_issue

pytestmark = pytest.mark.django_db


def page(client, user, project):
    client.force_login(user)
    response = client.get(reverse("projects:detail", args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_health_colour_reasons_and_since(client, city):
    html = page(client, city.leader, city.projects["P1"])
    health = html[html.index('id="health"') : html.index("</section>", html.index('id="health"'))]
    assert 'class="health health--red"' in health
    assert "落后" in health or "behind" in health  # the investment-lag reason in words with its figures
    assert "2026-11-27" in health  # since / judged on
    stopped = page(client, city.leader, city.projects["P6"])
    assert "A stopped project has no health colour." in stopped or "已终止的项目没有红黄绿灯" in stopped


def test_open_issues_blocking_first_and_the_visit(client, city):
    p1 = city.projects["P1"]
    later = make_issue(
        enterprise=p1.enterprise,
        project=p1,
        dept=city.d2,
        raised=datetime.date(2026, 11, 25),
        status=Status.ASSIGNED,
        title="较新的问题",
    )
    html = page(client, city.leader, p1)
    section = html[html.index('id="issues"') :]
    assert section.index("I1") < section.index(later.title)  # I1 blocks M3: first, though older
    assert "中新钢铁" in section or city.visit.date.strftime("%Y") in section
    assert reverse("visits:detail", args=[city.visit.pk]) in section


def test_issues_section_lists_only_what_the_user_may_read(city):
    from issues.sections import project_issues

    assert {i.title for i in project_issues(user=city.leader, project=city.projects["P1"])} >= {"I1"}
    assert list(project_issues(user=city.official_b, project=city.projects["P1"])) == []


def test_milestone_timeline_is_server_side_svg_without_inline_style(client, city):
    html = page(client, city.leader, city.projects["P1"])
    gantt = html[html.index('class="gantt"') : html.index("</figure>", html.index('class="gantt"'))]
    assert gantt.count('<li class="gantt__row') == 2  # M2 done, M3 open
    assert "style=" not in gantt and "<script" not in gantt


def test_timeline_strip_positions():
    today = datetime.date(2026, 11, 27)
    done_late = Milestone(
        pk=1, title="a", due_date=datetime.date(2026, 11, 1), completed_on=datetime.date(2026, 11, 10)
    )
    overdue = Milestone(pk=2, title="b", due_date=datetime.date(2026, 11, 20))
    ahead = Milestone(pk=3, title="c", due_date=datetime.date(2026, 12, 20))
    strip = timeline_strip([ahead, overdue, done_late], today=today)
    assert [r.title for r in strip.rows] == ["a", "b", "c"]
    a, b, c = strip.rows
    assert a.late and a.done_x > a.planned_x and a.bar_width > 0
    assert b.late and b.state == "overdue" and b.bar_x == b.planned_x and b.done_x is None
    assert not c.late and c.bar_width == 0
    assert 0 < a.planned_x < strip.today_x < c.planned_x < 100
    assert timeline_strip([], today=today) is None


def test_the_page_costs_the_same_queries_with_more_issues_and_milestones(client, city):
    p1 = city.projects["P1"]
    client.force_login(city.leader)
    url = reverse("projects:detail", args=[p1.pk])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(8):
        m = MilestoneFactory(project=p1, title=f"节点{i}", due_date=datetime.date(2026, 12, 1 + i))
        make_issue(
            enterprise=p1.enterprise,
            project=p1,
            dept=city.d1,
            raised=datetime.date(2026, 11, 20),
            status=Status.IN_PROGRESS,
            acknowledged_at=datetime.datetime(2026, 11, 21, tzinfo=datetime.UTC),
            blocks_milestone=m,
            title=f"问题{i}",
        )
    assert count() == small


# --- Parent and sub-items: one rule -------------------------------------------------------------


@pytest.fixture
def family(city, django_capture_on_commit_callbacks):
    """A parent (no report of its own) with P3 (red) and P4 (green) as its sub-items."""
    parent = ProjectFactory(name="中新钢铁二期", park=city.park_a, total_investment=Decimal("0"))
    with django_capture_on_commit_callbacks(execute=True):
        for code in ("P3", "P4"):
            project_services.project_update(project=city.projects[code], by=city.supervisor, parent=parent)
    return parent


def test_parent_figures_are_the_sum_of_its_sub_items(city, family):
    figures = project_figures(project=family, user=city.leader, today=datetime.date(2026, 11, 27))
    assert figures["rolled_up"] and figures["sub_item_count"] == 2
    assert figures["cumulative_investment"] == Decimal("480")  # P4's 200 + 280; P3 has none
    assert figures["year_investment"] == Decimal("480") and figures["year_plan"] == Decimal("500")
    assert is_parent(family) and not is_parent(city.projects["P4"])


def test_parent_health_is_its_worst_sub_item(client, city, family):
    record = ProjectHealth.objects.get(project=family)
    assert (record.own_color, record.worst_child_color, record.color) == ("green", "red", "red")
    # Judged on its sub-items' figures: P4's plan and reports (P3 has neither).
    assert (record.year_plan, record.year_done) == (Decimal("500"), Decimal("480"))
    html = page(client, city.leader, family)
    assert (city.projects["P3"].name in html and "worst sub-item" in html) or "最差的子项目" in html
    assert 'id="rolled-up-note"' in html and 'id="report-form"' not in html


def test_a_parent_refuses_reports_with_a_clear_message(client, city, family):
    with pytest.raises(ApplicationError) as refused:
        project_services.progress_report_submit(
            project=family,
            month=datetime.date(2026, 11, 1),
            investment="10",
            physical_progress="x",
            by=city.supervisor,
        )
    assert family.name in refused.value.message and refused.value.code == "parent_project"
    client.force_login(city.supervisor)
    response = client.post(
        reverse("projects:submit_report", args=[family.pk]),
        {"month": "2026-11", "investment": "10", "physical_progress": "x"},
    )
    assert response.status_code == 400
    assert family.name in re.sub(r"\s+", " ", response.content.decode())
    assert not family.progress_reports.exists()


def test_a_project_with_its_own_reports_cannot_take_sub_items(city):
    with pytest.raises(ApplicationError) as refused:
        project_services.project_update(project=city.projects["P3"], by=city.supervisor, parent=city.projects["P1"])
    assert "parent" in refused.value.fields


def test_a_project_cannot_be_the_parent_of_its_parent(city, family):
    with pytest.raises(ApplicationError):
        project_services.project_update(project=family, by=city.supervisor, parent=city.projects["P4"])


def test_campaign_page_has_the_timeline_of_its_projects(client, city):
    client.force_login(city.leader)
    html = client.get(reverse("campaigns:detail", args=[city.campaign.pk])).content.decode()
    gantt = html[html.index('class="gantt"') : html.index("</figure>", html.index('class="gantt"'))]
    assert gantt.count('<li class="gantt__row') == 4
    assert city.projects["P5"].name in gantt and "gantt__row--overdue" in gantt  # M1 of P5
    assert "style=" not in gantt
