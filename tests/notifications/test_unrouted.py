"""No silent gaps (issue #10 item 5): a reminder with nobody to receive it — no handler and a
department without a head, no department, a deactivated account, nobody to escalate to — goes
to the supervision office, is listed once on the unrouted list (page and API) and counted on the
cockpit."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.models import Role
from issues.models import Issue
from notifications.models import Kind, Notification, UnroutedReminder
from notifications.services import reminders_sweep
from projects.models import Stage
from tests.factories import (
    DepartmentFactory,
    IssueFactory,
    MilestoneFactory,
    OfficialFactory,
    ProjectFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DUE = datetime.date(2026, 12, 15)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def sweep(day: datetime.date):
    return reminders_sweep(now=at(day))


@pytest.fixture
def office():
    return [
        OfficialFactory(name=f"督查室{n}", role=Role.SUPERVISOR, language=lang)
        for n, lang in ((1, "zh-hans"), (2, "en"))
    ]


def overdue_issue(**fields) -> Issue:
    deadline = at(datetime.date(2026, 12, 10)).replace(hour=23, minute=59)
    return IssueFactory(
        title="用电报装",
        status="in_progress",
        acknowledged_at=at(datetime.date(2026, 12, 1)),
        resolution_deadline=deadline,
        **fields,
    )


def told(kind_prefix: str) -> set[tuple]:
    return set(
        Notification.objects.filter(kind__startswith=kind_prefix, superseded=False).values_list(
            "recipient_id", "kind", "step"
        )
    )


def test_an_issue_with_no_handler_and_a_department_without_head_goes_to_the_office(office):
    unit = DepartmentFactory(name="自然资源和规划局")  # no head
    issue = overdue_issue(lead_department=unit, handler=None)

    sweep(datetime.date(2026, 12, 13))  # 3 days overdue: the overdue rung and the escalation

    supervisors = {o.user_id for o in office}
    assert told("issue_") == {
        (user_id, kind, 3) for user_id in supervisors for kind in (Kind.ISSUE_RESOLUTION_OVERDUE, Kind.ISSUE_ESCALATED)
    }
    rows = {row.kind: row for row in UnroutedReminder.objects.all()}
    assert set(rows) == {Kind.ISSUE_RESOLUTION_OVERDUE, Kind.ISSUE_ESCALATED}
    overdue = rows[Kind.ISSUE_RESOLUTION_OVERDUE]
    assert (overdue.object_id, overdue.reason, overdue.department, overdue.routed_to) == (
        issue.pk,
        UnroutedReminder.Reason.NO_HEAD,
        unit,
        2,
    )
    assert "用电报装" in overdue.title
    assert rows[Kind.ISSUE_ESCALATED].reason == UnroutedReminder.Reason.NO_ESCALATION
    zh = Notification.objects.get(recipient=office[0].user, kind=Kind.ISSUE_RESOLUTION_OVERDUE, superseded=False)
    assert "已发送督查室" in zh.body and "部门没有负责人" in zh.body
    en = Notification.objects.get(recipient=office[1].user, kind=Kind.ISSUE_RESOLUTION_OVERDUE, superseded=False)
    assert "Sent to the supervision office" in en.body

    # Once: a second sweep the same day records nothing more.
    before = Notification.objects.count()
    assert sweep(datetime.date(2026, 12, 13)).notifications == 0
    assert Notification.objects.count() == before and UnroutedReminder.objects.count() == 2


def test_a_handled_issue_is_not_on_the_list(office):
    unit = DepartmentFactory()
    unit.head = OfficialFactory(department=unit)
    unit.save()
    handler = OfficialFactory(role=Role.HANDLER, department=unit)
    overdue_issue(lead_department=unit, handler=handler)
    sweep(datetime.date(2026, 12, 13))
    assert {r for r, _k, _s in told("issue_")} == {handler.user_id, unit.head.user_id}
    assert not UnroutedReminder.objects.exists()


@pytest.mark.parametrize("case", ["no_head", "no_department", "inactive"])
def test_a_milestone_with_nobody_goes_to_the_office_with_the_reason(office, case):
    unit = None if case == "no_department" else DepartmentFactory(name="经开区管委会")
    owner = None
    if case == "inactive":
        owner = OfficialFactory(name="已离职专员", department=unit)
        owner.user.is_active = False
        owner.user.save()
    project = ProjectFactory(stage=Stage.SIGNED, responsible_unit=unit, responsible_official=owner)
    milestone = MilestoneFactory(project=project, title="主体封顶", due_date=DUE)

    sweep(datetime.date(2026, 12, 12))  # rung -3

    assert {r for r, _k, _s in told("milestone_")} == {o.user_id for o in office}
    unrouted = UnroutedReminder.objects.get()
    assert (unrouted.object_id, unrouted.kind, unrouted.step, unrouted.reason, unrouted.project) == (
        milestone.pk,
        Kind.MILESTONE_UPCOMING,
        -3,
        case,
        project,
    )


def test_a_missing_report_with_nobody_goes_to_the_office(office):
    project = ProjectFactory(stage=Stage.UNDER_CONSTRUCTION, responsible_unit=None, responsible_official=None)
    sweep(datetime.date(2026, 12, 12))
    assert {r for r, kind, _s in told("report_")} == {o.user_id for o in office}
    assert UnroutedReminder.objects.filter(object_id=project.pk, kind=Kind.REPORT_MISSING).count() == 1


def test_without_any_supervisor_the_reminder_is_still_listed():
    MilestoneFactory(project=ProjectFactory(stage=Stage.SIGNED, responsible_unit=None), due_date=DUE)
    assert sweep(datetime.date(2026, 12, 12)).notifications == 0
    assert UnroutedReminder.objects.get().routed_to == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite splits large inserts")
def test_routing_to_the_office_costs_the_same_queries_for_1_and_50_unrouted(office):
    unit = DepartmentFactory()
    sweep(datetime.date(2026, 1, 1))  # warm the content-type cache
    counts, milestones = [], 0
    for n in (1, 50):
        milestones += n
        Notification.objects.all().delete()
        UnroutedReminder.objects.all().delete()
        for _ in range(n):
            MilestoneFactory(project=ProjectFactory(stage=Stage.SIGNED, responsible_unit=unit), due_date=DUE)
        with CaptureQueriesContext(connection) as captured:
            sweep(datetime.date(2026, 12, 12))
        assert UnroutedReminder.objects.count() == milestones
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- The list: page, API, cockpit ----------------------------------------------------------------


@pytest.fixture
def listed(office):
    unit = DepartmentFactory(name="自然资源和规划局")
    overdue_issue(lead_department=unit, handler=None)
    MilestoneFactory(project=ProjectFactory(stage=Stage.SIGNED, responsible_unit=None), title="土地摘牌", due_date=DUE)
    sweep(datetime.date(2026, 12, 13))
    assert UnroutedReminder.objects.count() == 3  # the issue's overdue rung and escalation, the milestone
    return office


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.LEADER])
def test_the_office_and_leaders_see_the_list_page(client, listed, role, django_assert_max_num_queries):
    client.force_login(user_with_role(role))
    with django_assert_max_num_queries(12):
        response = client.get("/notifications/unrouted/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "用电报装" in page and "土地摘牌" in page
    assert "部门没有负责人" in page and "既无责任人也无责任单位" in page


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.HANDLER, Role.STAFF])
def test_others_may_not_see_the_list(client, listed, role):
    user = user_with_role(role)
    client.force_login(user)
    assert client.get("/notifications/unrouted/").status_code == 403
    api = APIClient()
    api.force_authenticate(user)
    assert api.get("/api/v1/unrouted-reminders/").status_code == 403


def test_the_api_lists_them_for_the_office(listed):
    api = APIClient()
    api.force_authenticate(listed[0].user)
    response = api.get("/api/v1/unrouted-reminders/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["object_type"] for row in rows} == {"issue", "milestone"}
    issue_row = next(row for row in rows if row["kind"] == Kind.ISSUE_RESOLUTION_OVERDUE)
    assert issue_row["reason"] == "no_head" and issue_row["routed_to"] == 2
    assert issue_row["reason_label"].startswith("No responsible person")
    assert api.get(f"/api/v1/unrouted-reminders/{issue_row['id']}/").json()["id"] == issue_row["id"]


def test_the_cockpit_shows_the_count_to_the_office(client, listed):
    client.force_login(listed[0].user)
    page = client.get("/dashboard/").content.decode()
    assert 'data-testid="unrouted-count"' in page and "/notifications/unrouted/" in page
    assert "近 30 天有 3 条提醒无人接收" in page


def test_operators_see_the_count_at_metrics(client, listed):
    from tests.ops.test_metrics import scrape

    assert scrape(client)[("tracker_unrouted_reminders_24h", ())] == 3


def test_an_empty_list_says_every_reminder_found_someone_and_the_inbox_links_to_it(client, office):
    client.force_login(office[0].user)
    page = client.get("/notifications/unrouted/").content.decode()
    assert "每条提醒都有人接收" in page
    assert "/notifications/unrouted/" in client.get("/notifications/").content.decode()
    client.force_login(user_with_role(Role.OFFICIAL))
    assert "/notifications/unrouted/" not in client.get("/notifications/").content.decode()
