"""The demo's site visit and issues: replayed through the services, in several states, once."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from issues.models import Issue, IssueEvent, Source, Status, Visit
from issues.selectors import issue_queue, issues_blocking
from projects.models import Milestone

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def loaded(settings):
    settings.DEBUG = True
    moment = datetime.datetime.combine(TODAY, datetime.time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        call_command("load_demo", stdout=io.StringIO())
        yield


def test_the_reports_visit_gives_instructions_in_several_states(loaded):
    visit = Visit.objects.get()
    assert visit.date == datetime.date(2026, 7, 4)
    assert {str(o.title) for o in visit.leaders.all()} >= {"市委书记"}
    instructions = visit.instructions.all()
    assert instructions.count() == 6
    assert {i.source for i in instructions} == {Source.SITE_VISIT}
    states = {i.title: i.status for i in instructions}
    assert states["加快二期项目建设进度"] == Status.CLOSED
    assert states["米尔化工建设工程规划许可加快办理"] == Status.IN_PROGRESS
    assert states["争取国家级研究院创新政策和资金支持"] == Status.ASSIGNED
    escalated = instructions.get(title="米尔化工建设工程规划许可加快办理")
    assert escalated.escalated
    # Events carry the replayed dates, not the date the demo was loaded.
    first_ack = escalated.events.get(action="acknowledge")
    assert first_ack.at.date() == datetime.date(2026, 7, 5)


def test_every_state_appears_and_the_handler_has_a_queue(loaded):
    statuses = set(Issue.objects.values_list("status", flat=True))
    assert statuses == {Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED}
    from django.contrib.auth import get_user_model

    handler = get_user_model().objects.get(username="demo-handler")
    titles = [i.title for i in issue_queue(user=handler)]
    assert "二期用地指标申请" in titles and "米尔化工建设工程规划许可加快办理" in titles


def test_blocking_issue_is_linked_to_the_milestone(loaded):
    milestone = Milestone.objects.get(title="建设工程规划许可证办理")
    assert [i.title for i in issues_blocking(milestone=milestone)] == ["米尔化工建设工程规划许可加快办理"]
    # A resolved issue no longer blocks (the department has done its part).
    resolved = Milestone.objects.get(title="110千伏专用变电站送电")
    assert not issues_blocking(milestone=resolved).exists()


def test_second_run_adds_no_issue_or_event(loaded):
    before = (Issue.objects.count(), IssueEvent.objects.count(), Visit.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Issue.objects.count(), IssueEvent.objects.count(), Visit.objects.count()) == before
