"""The demo world's approvals: 水性超纤 mostly approved, its 能评 overdue and blocked by the open
issue of its energy quota; a second load changes nothing."""

import datetime
import io
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command

from approvals.models import ApprovalEvent, ApprovalItem, ItemType, Status
from approvals.selectors import item_list
from core.models import Official
from projects import demo as projects_demo

TODAY = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_demo_approvals(db, settings):
    settings.DEBUG = True
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", stdout=io.StringIO())
        items = {i.name: i for i in ApprovalItem.objects.filter(project__code=projects_demo.PROJECT_SXCX)}
        assert len(items) == 8
        done = [name for name, i in items.items() if i.status == Status.DONE]
        assert len(done) == 7
        energy = items["能评/节能审查"]
        assert energy.status == Status.IN_PROGRESS and energy.due_date < TODAY.date()
        assert energy.department.name == "发展和改革委员会" and energy.is_blocked
        assert energy.blocking_issue.title == "二期能耗指标落实"
        assert ItemType.objects.filter(department__isnull=True).count() == 0
        leader = Official.objects.get(user__username="demo-leader").user
        overdue = [i.name for i in item_list(user=leader) if i.overdue]
        assert overdue == ["能评/节能审查"]
        events = ApprovalEvent.objects.count()
        call_command("load_demo", stdout=io.StringIO())
        assert ApprovalEvent.objects.count() == events
