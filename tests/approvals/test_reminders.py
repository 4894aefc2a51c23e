"""Overdue approval items on the milestones' ladder (core.reminders → notifications): the
approving department's head is reminded, after N days overdue the project's leader and unit
head get an escalation and a supervision item opens; approved items and stopped projects are
left alone; the sweep's queries do not grow with the items."""

import datetime
import zoneinfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import ApprovalItem, ProjectType
from approvals.services import checklist_generate, item_transition
from core import reminders
from core.models import Role
from notifications.models import Kind, Notification, SupervisionItem
from notifications.services import reminders_sweep
from projects.models import Stage
from tests.approvals.conftest import day
from tests.factories import OfficialFactory, ProjectFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DUE = datetime.date(2026, 12, 14)  # 2026-11-02 + 30 working days


def sweep(on: datetime.date):
    moment = datetime.datetime.combine(on, datetime.time(9), tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        return reminders_sweep(now=moment)


def _start(world, project=None):
    item = (project or world.project).approval_items.get(name="环评")
    return item_transition(item=item, action="start", by=world.users["supervisor"], applied_on=day("2026-11-02"))


def test_the_source_is_registered_with_kinds_notifications_knows():
    source = reminders.SOURCES["approval"]
    assert source.model is ApprovalItem
    assert set(source.kinds) <= set(Kind.values)
    assert reminders.source_for_kind(Kind.APPROVAL_OVERDUE) is source


def test_ladder_escalation_and_supervision_item(world, checklist):
    leader = OfficialFactory(name="分管副市长", role=Role.LEADER)
    unit_head = OfficialFactory(name="经开区主任", department=world.committee)
    world.committee.head = unit_head
    world.committee.save()
    world.project.assigned_leader = leader
    world.project.save()
    item = _start(world)
    assert item.due_date == DUE
    eco_head = world.users["eco_handler"]

    sweep(datetime.date(2026, 12, 7))
    upcoming = Notification.objects.get(kind=Kind.APPROVAL_UPCOMING, superseded=False)
    assert upcoming.recipient == eco_head and upcoming.object_id == item.pk
    assert upcoming.title == "即将到期：水性超纤新材料产业园项目 · 审批 环评"
    assert "审批部门：生态环境局" in upcoming.body and f"/approvals/items/{item.pk}/" in upcoming.body

    assert sweep(datetime.date(2026, 12, 7)).notifications == 0  # idempotent
    sweep(datetime.date(2026, 12, 15))
    assert Notification.objects.filter(kind=Kind.APPROVAL_OVERDUE, recipient=eco_head).exists()
    assert not SupervisionItem.objects.exists()

    sweep(datetime.date(2026, 12, 21))
    escalated = Notification.objects.filter(kind=Kind.APPROVAL_ESCALATED)
    assert {n.recipient for n in escalated} == {leader.user, unit_head.user}
    assert escalated[0].title.startswith("升级督办")
    supervision = SupervisionItem.objects.get()
    assert (supervision.project, supervision.due_date, supervision.object_id) == (world.project, DUE, item.pk)
    assert sweep(datetime.date(2026, 12, 22)).supervision_items == 0


def test_approved_items_and_stopped_projects_are_not_reminded(world, checklist):
    item = _start(world)
    item_transition(item=item, action="approve", by=world.users["supervisor"], approved_on=day("2026-11-20"))
    other = ProjectFactory(park=world.park, stage=Stage.STOPPED)
    checklist_generate(
        project=other, project_type=ProjectType.objects.get(name="新建工业项目"), by=world.users["supervisor"]
    )
    _start(world, other)
    sweep(datetime.date(2026, 12, 21))
    assert not Notification.objects.filter(kind__startswith="approval_").exists()


def test_sweep_queries_do_not_grow_with_overdue_items(world, checklist):
    new_build = ProjectType.objects.get(name="新建工业项目")

    def add(n):
        for _ in range(n):
            project = ProjectFactory(park=world.park)
            checklist_generate(project=project, project_type=new_build, by=world.users["supervisor"])
            _start(world, project)

    add(1)
    with CaptureQueriesContext(connection) as one:
        sweep(datetime.date(2026, 12, 15))
    Notification.objects.all().delete()
    add(4)
    with CaptureQueriesContext(connection) as five:
        sweep(datetime.date(2026, 12, 15))
    planning = [q for q in five.captured_queries if "approvals_approvalitem" in q["sql"]]
    assert len(planning) == len([q for q in one.captured_queries if "approvals_approvalitem" in q["sql"]])
