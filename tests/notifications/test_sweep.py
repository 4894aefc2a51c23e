"""The sweep without a worker: what is due on which day, for whom, in which words, over which
channels, idempotently and with a bounded number of queries."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import ReminderPolicy
from core.models import Official, Role
from notifications.models import (
    Channel,
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
    SupervisionItem,
    UnroutedReminder,
)
from notifications.policies import DEFAULT_LADDERS, Ladder
from notifications.services import notify_issue_event, reminders_sweep
from projects.models import Milestone, Stage
from projects.selectors import report_deadline
from tests.factories import (
    CampaignFactory,
    DepartmentFactory,
    IssueFactory,
    MilestoneFactory,
    OfficialFactory,
    ProgressReportFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DUE = datetime.date(2026, 12, 15)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def sweep(day: datetime.date, hour: int = 9):
    return reminders_sweep(now=at(day, hour))


@pytest.fixture
def world():
    unit = DepartmentFactory(name="经开区管委会", webhook_url="https://robot.example/unit")
    head = OfficialFactory(name="经开区主任", department=unit)
    unit.head = head
    unit.save()
    leader = OfficialFactory(name="市委书记", role=Role.LEADER, department=DepartmentFactory(name="市委办"))
    owner = OfficialFactory(name="项目专员", department=unit)
    project = ProjectFactory(
        name="中新钢铁二期",
        stage=Stage.SIGNED,
        responsible_unit=unit,
        responsible_official=owner,
        assigned_leader=leader,
    )
    milestone = MilestoneFactory(project=project, title="主体封顶", due_date=DUE)
    return {"unit": unit, "head": head, "leader": leader, "owner": owner, "project": project, "milestone": milestone}


class TestLadder:
    def test_rungs(self):
        ladder = Ladder(days_before=(7, 3, 1), on_the_day=True, repeat_every=3, escalate_after=7)
        assert ladder.current_rung(-8) == (None, [])
        assert ladder.current_rung(-7) == (-7, [])
        assert ladder.current_rung(-5) == (-7, [])
        assert ladder.current_rung(-1) == (-1, [-7, -3])
        assert ladder.current_rung(0) == (0, [-7, -3, -1])
        assert ladder.current_rung(1)[0] == 1
        assert ladder.current_rung(6)[0] == 4
        assert ladder.current_rung(10) == (10, [-7, -3, -1, 0, 1, 4, 7])
        assert not ladder.escalation_due(6)
        assert ladder.escalation_due(7)

    def test_no_repeats_and_no_escalation(self):
        ladder = Ladder(days_before=(), on_the_day=False, repeat_every=0, escalate_after=None)
        assert ladder.current_rung(0) == (None, [])
        assert ladder.current_rung(30) == (1, [])
        assert not ladder.escalation_due(300)

    def test_defaults(self):
        assert DEFAULT_LADDERS[ReminderPolicy.Scope.MILESTONES].days_before == (7, 3, 1)


class TestMilestoneSweep:
    def test_each_rung_once_to_the_responsible_official(self, world):
        owner_user = world["owner"].user
        days = {8: -7, 9: None, 12: -3, 13: None, 14: -1, 15: 0, 16: 1, 17: None, 19: 4}
        for day, step in days.items():
            result = sweep(datetime.date(2026, 12, day))
            again = sweep(datetime.date(2026, 12, day), hour=18)
            assert again.notifications == 0
            if step is None:
                assert result.notifications == 0
                continue
            assert result.notifications == 1
            notification = Notification.objects.get(step=step)
            assert notification.recipient == owner_user
            assert not notification.superseded
        kinds = list(Notification.objects.order_by("step").values_list("kind", flat=True))
        assert kinds == [Kind.MILESTONE_UPCOMING] * 3 + [Kind.MILESTONE_DUE_TODAY] + [Kind.MILESTONE_OVERDUE] * 2

    def test_text_in_chinese_with_date_days_and_absolute_link(self, world, settings):
        settings.SITE_URL = "https://xm.example.gov.cn"
        sweep(datetime.date(2026, 12, 12))
        notification = Notification.objects.get(superseded=False)
        assert notification.title == "节点临近：中新钢铁二期 · 主体封顶"
        assert "项目：中新钢铁二期" in notification.body
        assert "节点：主体封顶" in notification.body
        assert "到期日：2026年12月15日" in notification.body
        assert "还剩3天" in notification.body
        assert notification.link == f"https://xm.example.gov.cn/projects/{world['project'].pk}/"
        assert notification.link in notification.body

    def test_text_in_english_when_the_recipient_chose_it(self, world):
        Official.objects.filter(pk=world["owner"].pk).update(language="en")
        sweep(datetime.date(2026, 12, 17))
        notification = Notification.objects.get(superseded=False)
        assert notification.language == "en"
        assert notification.title == "Overdue: 中新钢铁二期 · 主体封顶"
        assert "Due date: Dec. 15, 2026" in notification.body
        assert "2 days overdue" in notification.body

    def test_escalation_after_n_days_to_leader_and_unit_head_with_supervision_item(self, world):
        sweep(datetime.date(2026, 12, 21))
        assert not SupervisionItem.objects.exists()
        result = sweep(datetime.date(2026, 12, 22))
        escalated = Notification.objects.filter(kind=Kind.MILESTONE_ESCALATED)
        assert {n.recipient for n in escalated} == {world["leader"].user, world["head"].user}
        assert all(n.step == 7 for n in escalated)
        assert escalated[0].title.startswith("督办")
        assert "已逾期7天" in escalated[0].body
        item = SupervisionItem.objects.get()
        assert (item.project, item.due_date, item.opened_on) == (world["project"], DUE, datetime.date(2026, 12, 22))
        assert item.status == SupervisionItem.Status.OPEN
        assert result.supervision_items == 1
        assert sweep(datetime.date(2026, 12, 23)).supervision_items == 0
        assert SupervisionItem.objects.count() == 1
        assert Notification.objects.filter(kind=Kind.MILESTONE_ESCALATED).count() == 2

    def test_campaign_policy_sets_the_ladder(self, world):
        campaign = CampaignFactory()
        ReminderPolicy.objects.create(
            campaign=campaign,
            days_before=[10],
            on_the_day=False,
            repeat_every_days_overdue=0,
            escalate_after_days_overdue=None,
        )
        world["milestone"].campaign = campaign
        world["milestone"].save()
        assert sweep(datetime.date(2026, 12, 5)).notifications == 1
        assert sweep(datetime.date(2026, 12, 14)).notifications == 0
        assert sweep(datetime.date(2026, 12, 15)).notifications == 0  # no reminder on the day
        assert sweep(datetime.date(2026, 12, 16)).notifications == 1  # first day overdue
        assert sweep(datetime.date(2026, 12, 30)).notifications == 0  # no repeats, no escalation
        assert not SupervisionItem.objects.exists()

    def test_default_policy_row_overrides_the_built_in_ladder(self, world):
        ReminderPolicy.objects.create(scope=ReminderPolicy.Scope.MILESTONES, days_before=[2], on_the_day=False)
        assert sweep(datetime.date(2026, 12, 8)).notifications == 0
        assert sweep(datetime.date(2026, 12, 13)).notifications == 1

    def test_done_and_stopped_are_left_alone(self, world):
        world["milestone"].completed_on = datetime.date(2026, 12, 1)
        world["milestone"].save()
        stopped = ProjectFactory(stage=Stage.STOPPED, responsible_official=world["owner"])
        MilestoneFactory(project=stopped, due_date=DUE)
        assert sweep(datetime.date(2026, 12, 14)).notifications == 0

    def test_milestone_official_before_project_official_before_unit_head(self, world):
        other = OfficialFactory(name="节点负责人")
        world["milestone"].responsible = other
        world["milestone"].save()
        project = ProjectFactory(stage=Stage.SIGNED, responsible_unit=world["unit"])
        MilestoneFactory(project=project, due_date=DUE)
        sweep(datetime.date(2026, 12, 8))
        assert set(Notification.objects.values_list("recipient", flat=True)) == {
            other.user_id,
            world["head"].user_id,
        }

    def test_nobody_to_tell_is_recorded_on_the_unrouted_list(self, world):
        # No supervisor in this world either: nobody is notified, but the gap is on the list
        # (tests/notifications/test_unrouted.py: with supervisors, they are told).
        project = ProjectFactory(stage=Stage.SIGNED)
        MilestoneFactory(project=project, due_date=DUE)
        world["milestone"].delete()
        assert sweep(datetime.date(2026, 12, 8)).notifications == 0
        assert UnroutedReminder.objects.get().project == project


class TestCatchUp:
    def test_after_a_week_down_only_the_current_rung_is_sent(self, world):
        result = sweep(datetime.date(2026, 12, 14))
        rows = Notification.objects.order_by("step")
        assert [(n.step, n.superseded) for n in rows] == [(-7, True), (-3, True), (-1, False)]
        assert (result.notifications, result.superseded) == (1, 2)
        assert Delivery.objects.filter(notification__superseded=True).count() == 0
        assert Delivery.objects.filter(notification__step=-1).count() == 3  # inbox, e-mail, webhook

    def test_superseded_rungs_never_reach_the_inbox(self, world):
        sweep(datetime.date(2026, 12, 14))
        visible = Notification.objects.filter(recipient=world["owner"].user, superseded=False)
        assert visible.count() == 1

    def test_an_earlier_rung_already_sent_is_not_superseded_twice(self, world):
        sweep(datetime.date(2026, 12, 8))
        sweep(datetime.date(2026, 12, 14))
        assert [(n.step, n.superseded) for n in Notification.objects.order_by("step")] == [
            (-7, False),
            (-3, True),
            (-1, False),
        ]


class TestChannels:
    def test_inbox_is_delivered_in_the_sweep_and_external_channels_wait_for_the_worker(self, world):
        result = sweep(datetime.date(2026, 12, 8))
        states = dict(Delivery.objects.values_list("channel", "state"))
        assert states == {
            Channel.INBOX: Delivery.State.SENT,
            Channel.EMAIL: Delivery.State.PENDING,
            Channel.WEBHOOK: Delivery.State.PENDING,
        }
        assert sorted(result.deliveries) == sorted(
            Delivery.objects.filter(channel__in=[Channel.EMAIL, Channel.WEBHOOK]).values_list("id", flat=True)
        )
        email = Delivery.objects.get(channel=Channel.EMAIL)
        assert email.target == world["owner"].user.email
        assert Delivery.objects.get(channel=Channel.WEBHOOK).target == "https://robot.example/unit"

    def test_preferences_switch_channels_off_but_never_the_inbox(self, world):
        NotificationPreference.objects.create(user=world["owner"].user, email=False, webhook=False)
        sweep(datetime.date(2026, 12, 8))
        assert list(Delivery.objects.values_list("channel", flat=True)) == [Channel.INBOX]

    def test_no_email_address_no_email(self, world):
        world["owner"].user.email = ""
        world["owner"].user.save()
        sweep(datetime.date(2026, 12, 8))
        assert not Delivery.objects.filter(channel=Channel.EMAIL).exists()

    def test_campaign_webhook_wins_and_a_group_gets_one_post_per_reminder(self, world):
        campaign = CampaignFactory()
        ReminderPolicy.objects.create(
            campaign=campaign, webhook_url="https://robot.example/campaign", webhook_style="wecom_markdown"
        )
        world["milestone"].campaign = campaign
        world["milestone"].save()
        # Leader and unit head both receive the escalation; the campaign's group gets it once.
        sweep(datetime.date(2026, 12, 22))
        hooks = Delivery.objects.filter(channel=Channel.WEBHOOK)
        assert {d.target for d in hooks} == {"https://robot.example/campaign"}
        assert {d.style for d in hooks} == {"wecom_markdown"}
        escalation_posts = hooks.filter(notification__kind=Kind.MILESTONE_ESCALATED)
        assert escalation_posts.count() == 1
        assert Delivery.objects.filter(channel=Channel.EMAIL, notification__kind=Kind.MILESTONE_ESCALATED).count() == 2


class TestReportsAndIssues:
    def test_missing_monthly_report_once_per_project_and_month(self, world):
        world["project"].stage = Stage.UNDER_CONSTRUCTION
        world["project"].save()
        done = ProjectFactory(stage=Stage.UNDER_CONSTRUCTION, responsible_official=world["owner"])
        ProgressReportFactory(project=world["project"], month=datetime.date(2026, 10, 1))
        ProgressReportFactory(project=done, month=datetime.date(2026, 10, 1))
        ProgressReportFactory(project=done, month=datetime.date(2026, 11, 1))
        world["milestone"].delete()
        assert sweep(datetime.date(2026, 12, 5)).notifications == 0  # October's was due 11-05: all in
        assert sweep(datetime.date(2026, 12, 6)).notifications == 1  # November's, due 12-05, is missing
        notification = Notification.objects.get(kind=Kind.REPORT_MISSING)
        assert notification.object_id == world["project"].pk
        assert notification.due_date == datetime.date(2026, 12, 5) == report_deadline(datetime.date(2026, 11, 1))
        assert "2026年11月" in notification.title
        assert "已逾期1天" in notification.body
        assert sweep(datetime.date(2026, 12, 20)).notifications == 0

    def test_issue_deadlines_remind_the_handler_and_escalate_to_the_department_head(self, world):
        handler = OfficialFactory(role=Role.HANDLER, department=world["unit"])
        deadline = at(datetime.date(2026, 12, 10)).replace(hour=23, minute=59)
        IssueFactory(
            title="用电报装",
            status="in_progress",
            lead_department=world["unit"],
            handler=handler,
            acknowledged_at=at(datetime.date(2026, 12, 1)),
            resolution_deadline=deadline,
        )
        world["milestone"].delete()
        assert sweep(datetime.date(2026, 12, 8)).notifications == 0
        sweep(datetime.date(2026, 12, 9))
        sweep(datetime.date(2026, 12, 10))
        sweep(datetime.date(2026, 12, 13))
        rows = Notification.objects.filter(kind__startswith="issue_")
        assert {(n.kind, n.step, n.superseded, n.recipient_id) for n in rows} == {
            (Kind.ISSUE_RESOLUTION_UPCOMING, -1, False, handler.user_id),
            (Kind.ISSUE_RESOLUTION_DUE_TODAY, 0, False, handler.user_id),
            (Kind.ISSUE_RESOLUTION_OVERDUE, 1, True, handler.user_id),
            (Kind.ISSUE_RESOLUTION_OVERDUE, 2, True, handler.user_id),
            (Kind.ISSUE_RESOLUTION_OVERDUE, 3, False, handler.user_id),
            (Kind.ISSUE_ESCALATED, 3, False, world["head"].user_id),
        }
        assert "用电报装" in rows.get(kind=Kind.ISSUE_ESCALATED).title

    def test_an_issue_is_reminded_of_the_deadline_its_page_shows_as_current(self, world):
        """Not yet answered: the response deadline runs (issues.deadlines), so the resolution
        deadline falling due the next day is not reminded until the first response."""
        handler = OfficialFactory(role=Role.HANDLER, department=world["unit"])
        issue = IssueFactory(
            title="用地报批",
            status="assigned",
            lead_department=world["unit"],
            handler=handler,
            response_deadline=at(datetime.date(2026, 12, 10), 23),
            resolution_deadline=at(datetime.date(2026, 12, 11), 23),
        )
        world["milestone"].delete()
        sweep(datetime.date(2026, 12, 10))
        rows = Notification.objects.filter(kind__startswith="issue_")
        assert {(n.kind, n.due_date, n.superseded) for n in rows} == {
            (Kind.ISSUE_RESPONSE_UPCOMING, datetime.date(2026, 12, 10), True),
            (Kind.ISSUE_RESPONSE_DUE_TODAY, datetime.date(2026, 12, 10), False),
        }
        rows = rows.filter(superseded=False)
        assert "答复期限：2026年12月10日" in rows.get().body

        issue.status, issue.acknowledged_at = "in_progress", at(datetime.date(2026, 12, 10), 17)
        issue.save()
        sweep(datetime.date(2026, 12, 11))
        latest = Notification.objects.filter(kind__startswith="issue_", superseded=False).order_by("-id").first()
        assert (latest.kind, latest.due_date) == (Kind.ISSUE_RESOLUTION_DUE_TODAY, datetime.date(2026, 12, 11))
        assert "办结期限：2026年12月11日" in latest.body

    def test_issue_event_notifies_the_handler_not_the_actor(self, world):
        from issues.models import IssueEvent

        handler = OfficialFactory(role=Role.HANDLER, department=world["unit"])
        supervisor = OfficialFactory(role=Role.SUPERVISOR)
        issue = IssueFactory(status="assigned", lead_department=world["unit"], handler=handler)
        event = IssueEvent.objects.create(issue=issue, actor=supervisor.user, action="assign", to_status="assigned")
        assert notify_issue_event(event_id=event.pk) == 1
        assert notify_issue_event(event_id=event.pk) == 0
        notification = Notification.objects.get(kind=Kind.ISSUE_EVENT)
        assert notification.recipient == handler.user
        assert supervisor.name in notification.body


class TestBoundedQueries:
    @pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite caps parameters per statement, so Django splits inserts"
    )
    def test_same_number_of_queries_for_10_and_1000_milestones(self, world):
        due = datetime.date(2027, 3, 10)
        sweep(datetime.date(2026, 1, 1))  # warm the content-type cache
        counts = []
        for n in (10, 1000):
            Notification.objects.all().delete()
            SupervisionItem.objects.all().delete()
            Milestone.objects.all().delete()
            MilestoneFactory.create_batch(n, project=world["project"], due_date=due)
            # One overdue milestone too, so escalations and supervision items are in both runs.
            MilestoneFactory(project=world["project"], due_date=due - datetime.timedelta(days=20))
            with CaptureQueriesContext(connection) as captured:
                result = sweep(due - datetime.timedelta(days=3))
            assert result.notifications == n + 3  # rung -3 of each; the overdue one's and its 2 escalations
            assert result.superseded > n  # rung -7 of each, and the overdue one's early rungs
            assert len(result.deliveries) > 2 * n  # an e-mail and a post each, and the overdue one's
            counts.append(len(captured))
        assert counts[0] == counts[1]
        assert counts[0] <= 20


def test_now_defaults_to_the_current_time(world):
    result = reminders_sweep()
    assert result.skipped is False
    assert timezone.localdate() < DUE
