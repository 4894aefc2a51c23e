"""Reminders end to end: a real Celery worker on the real broker, a real SMTP server, a real
webhook endpoint. The sweep runs in this process at a frozen time (`now` passed in); the worker
delivers in real time.
"""

import datetime
import threading
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from campaigns.models import ReminderPolicy
from core.models import Role
from dashboards.services import briefing_plan
from dashboards.tasks import send_weekly_briefings
from notifications.models import Channel, Delivery, Kind, Notification, SupervisionItem
from notifications.selectors import deliveries_needing_attention
from notifications.services import reminders_sweep
from notifications.tasks import recover_deliveries, sweep_due_reminders
from projects.models import Stage
from tests.factories import CampaignFactory, DepartmentFactory, MilestoneFactory, OfficialFactory, ProjectFactory
from tests.notifications.helpers import delivered_counts, wait_for

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DUE = datetime.date(2026, 12, 15)
EXTERNAL = [Channel.EMAIL, Channel.WEBHOOK]


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def sweep_at(day: datetime.date):
    """Sweep with the clock frozen at 09:00 Shanghai time on `day`."""
    with time_machine.travel(at(day), tick=False):
        return reminders_sweep(now=timezone.now())


def make_world(
    robot_url: str,
    *,
    milestones: int = 1,
    due: datetime.date = DUE,
    campaign_hook: str | None = "ok/c",
    tag: str = "",
):
    """A campaign project with its people: owner (responsible official), unit head, assigned leader.
    The unit has a group robot; the campaign has its own unless `campaign_hook` is None."""
    unit = DepartmentFactory(name=f"经开区管委会{tag}", webhook_url=f"{robot_url}/ok/unit{tag}")
    head = OfficialFactory(name=f"经开区主任{tag}", department=unit)
    unit.head = head
    unit.save()
    leader = OfficialFactory(name=f"市委书记{tag}", role=Role.LEADER, department=DepartmentFactory(name=f"市委办{tag}"))
    owner = OfficialFactory(name=f"项目专员{tag}", department=unit)
    campaign = CampaignFactory(name=f"百日攻坚行动{tag}")
    ReminderPolicy.objects.create(
        campaign=campaign,
        days_before=[7, 3, 1],
        on_the_day=True,
        repeat_every_days_overdue=3,
        escalate_after_days_overdue=7,
        webhook_url=f"{robot_url}/{campaign_hook}" if campaign_hook else "",
    )
    # Signed, not started: no monthly report is owed, so only milestone reminders are due.
    project = ProjectFactory(
        name=f"中新钢铁二期{tag}",
        stage=Stage.SIGNED,
        responsible_unit=unit,
        responsible_official=owner,
        assigned_leader=leader,
    )
    items = [
        MilestoneFactory(project=project, campaign=campaign, title=f"节点{i}", due_date=due) for i in range(milestones)
    ]
    return {"unit": unit, "head": head, "leader": leader, "owner": owner, "project": project, "milestones": items}


def external_settled() -> bool:
    """No external delivery waits, is being sent or will be retried."""
    return not Delivery.objects.filter(
        channel__in=EXTERNAL,
        state__in=[Delivery.State.PENDING, Delivery.State.SENDING, Delivery.State.FAILED],
    ).exists()


def wait_delivered(smtp, robot, mails: int, posts: int, timeout: float = 30) -> None:
    wait_for(
        lambda: len(smtp.snapshot()) >= mails and len(robot.snapshot()) >= posts and external_settled(),
        timeout=timeout,
        message=f"{mails} e-mails and {posts} webhook posts",
    )


def test_ladder_before_on_the_day_escalation_and_second_sweep(peers, celery_worker_factory):
    smtp, robot = peers
    world = make_world(robot.url)
    celery_worker_factory()
    owner_mail = world["owner"].user.email

    expected = []
    for day, text in [(8, "还剩7天"), (12, "还剩3天"), (14, "还剩1天"), (15, "今天到期")]:
        result = sweep_at(datetime.date(2026, 12, day))
        assert result.notifications == 1
        expected.append(text)
        wait_delivered(smtp, robot, mails=len(expected), posts=len(expected))
        latest = smtp.snapshot()[-1]
        assert latest["to"] == [owner_mail]
        assert text in latest["body"]
        assert "中新钢铁二期" in latest["subject"]
        assert "2026年12月15日" in latest["body"]
        assert f"/projects/{world['project'].pk}/" in latest["body"]
        assert text in robot.snapshot()[-1][1]["text"]["content"]
        # A sweep later the same day finds nothing new.
        assert sweep_at(datetime.date(2026, 12, day)).notifications == 0

    # Seven days overdue: the owner's overdue reminder, and the escalation to leader and unit head.
    result = sweep_at(datetime.date(2026, 12, 22))
    assert result.notifications == 3
    wait_delivered(smtp, robot, mails=7, posts=6)
    mails = smtp.snapshot()
    escalations = [m for m in mails if m["subject"].startswith("督办")]
    assert sorted(m["to"][0] for m in escalations) == sorted([world["leader"].user.email, world["head"].user.email])
    assert "已逾期7天" in escalations[0]["body"]
    owner_mails = [m for m in mails if m["to"] == [owner_mail]]
    assert len(owner_mails) == 5
    assert "已逾期7天" in owner_mails[-1]["body"]
    # Leader and head share the campaign's robot: one post for the escalation, not two.
    posts = [body["text"]["content"] for path, body in robot.snapshot()]
    assert sum(p.startswith("督办") for p in posts) == 1
    item = SupervisionItem.objects.get()
    assert item.status == SupervisionItem.Status.OPEN
    assert item.project == world["project"]

    # The overdue rungs +1 and +4 were never swept: recorded as superseded, never delivered.
    overdue = Notification.objects.filter(kind=Kind.MILESTONE_OVERDUE).order_by("step")
    assert [(n.step, n.superseded) for n in overdue] == [(1, True), (4, True), (7, False)]
    assert not Delivery.objects.filter(notification__superseded=True).exists()

    # Second sweep: nothing new recorded, nothing sent again.
    assert sweep_at(datetime.date(2026, 12, 22)).notifications == 0
    sweep_due_reminders.delay(now=at(datetime.date(2026, 12, 22)).isoformat())
    wait_for(lambda: external_settled(), message="settled")
    mails_before, posts_before = delivered_counts(smtp, robot)
    assert set(mails_before.values()) == {1}
    assert set(posts_before.values()) == {1}
    assert len(smtp.snapshot()) == 7
    assert len(robot.snapshot()) == 6


def test_two_concurrent_sweeps_send_each_reminder_once(peers, celery_worker_factory):
    smtp, robot = peers
    make_world(robot.url, milestones=5, due=datetime.date(2026, 12, 11))
    celery_worker_factory()
    moment = at(datetime.date(2026, 12, 8)).isoformat()

    # Two beats firing at once: two sweep tasks run in the worker's two processes in parallel.
    sweep_due_reminders.delay(now=moment)
    sweep_due_reminders.delay(now=moment)
    wait_delivered(smtp, robot, mails=5, posts=5)

    # Two more sweeps in threads of this process, without the advisory lock, for the next rung:
    # only the unique key stands between them.
    barrier = threading.Barrier(2)
    results = []

    def sweep():
        barrier.wait()
        try:
            results.append(reminders_sweep(now=at(datetime.date(2026, 12, 10)), lock=False))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(r.notifications for r in results) == [0, 5]
    wait_delivered(smtp, robot, mails=10, posts=10)

    mails, posts = delivered_counts(smtp, robot)
    assert len(mails) == 10 and set(mails.values()) == {1}
    assert len(posts) == 10 and set(posts.values()) == {1}
    assert Notification.objects.filter(superseded=False).count() == 10


def test_catch_up_after_a_week_down_sends_only_the_current_rung(peers, celery_worker_factory):
    smtp, robot = peers
    world = make_world(robot.url)
    late = MilestoneFactory(project=world["project"], title="迟到节点", due_date=datetime.date(2026, 12, 4))
    celery_worker_factory()

    # Nothing ran from 12-07 (before the 7-day rung) to 12-14: one sweep catches up.
    result = sweep_at(datetime.date(2026, 12, 14))
    # On time milestone: "1 day left"; the late one: overdue +10 (rungs 1, 4, 7, 10) and the
    # escalation (7 days) to leader and head. The rungs passed meanwhile are recorded, not sent.
    assert result.notifications == 4
    assert result.superseded == 2 + 7
    wait_delivered(smtp, robot, mails=4, posts=3)
    bodies = [m["body"] for m in smtp.snapshot() if m["to"] == [world["owner"].user.email]]
    assert len(bodies) == 2
    assert any("还剩1天" in b for b in bodies)
    assert any("已逾期10天" in b for b in bodies)
    assert not any("还剩7天" in b or "还剩3天" in b for b in bodies)

    on_time = Notification.objects.filter(object_id=world["milestones"][0].pk, kind=Kind.MILESTONE_UPCOMING)
    assert sorted((n.step, n.superseded) for n in on_time) == [(-7, True), (-3, True), (-1, False)]
    late_rows = Notification.objects.filter(object_id=late.pk, kind=Kind.MILESTONE_OVERDUE)
    assert sorted((n.step, n.superseded) for n in late_rows) == [(1, True), (4, True), (7, True), (10, False)]

    # Back to normal the next day: the day's rung only.
    assert sweep_at(datetime.date(2026, 12, 15)).notifications == 1
    wait_delivered(smtp, robot, mails=5, posts=4)
    assert "今天到期" in smtp.snapshot()[-1]["body"]


def test_failing_webhook_retries_with_backoff_and_never_blocks_email(peers, celery_worker_factory):
    smtp, robot = peers
    world = make_world(robot.url, milestones=1, campaign_hook="flaky2/c")
    make_world(robot.url, milestones=1, campaign_hook="down/c", tag="B")
    celery_worker_factory()

    sweep_at(datetime.date(2026, 12, 12))

    # Both e-mails go out at once, whatever the robots do.
    wait_for(lambda: len(smtp.snapshot()) == 2, timeout=20, message="two e-mails")
    wait_for(external_settled, timeout=30, message="retries to settle")

    flaky = Delivery.objects.get(channel=Channel.WEBHOOK, target__contains="/flaky2/")
    assert flaky.state == Delivery.State.SENT
    assert flaky.attempts == 3
    assert robot.attempts["/flaky2/c"] == 3
    assert len([p for p, _body in robot.snapshot() if p == "/flaky2/c"]) == 1

    down = Delivery.objects.get(channel=Channel.WEBHOOK, target__contains="/down/")
    assert down.state == Delivery.State.GAVE_UP
    assert down.attempts == 4
    assert "HTTP 500" in down.last_error
    assert robot.attempts["/down/c"] == 4
    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    assert sorted(d.state for d in emails) == [Delivery.State.SENT, Delivery.State.SENT]
    assert world["owner"].user.email in {m["to"][0] for m in smtp.snapshot()}


def test_worker_killed_mid_batch_delivers_every_reminder_exactly_once(peers, celery_worker_factory):
    smtp, robot = peers
    delay = 1.0
    unit = DepartmentFactory(name="经开区管委会")
    for i in range(6):
        owner = OfficialFactory(name=f"专员{i}", department=unit)
        project = ProjectFactory(stage=Stage.SIGNED, responsible_unit=unit, responsible_official=owner)
        MilestoneFactory(project=project, due_date=timezone.localdate() + datetime.timedelta(days=3))
    unit.webhook_url = f"{robot.url}/ok/unit"
    unit.save()
    timeouts = {"NOTIFY_SENDING_TIMEOUT_SECONDS": 3, "NOTIFY_SEND_TIME_LIMIT": 2.5, "NOTIFY_REQUEUE_AFTER_SECONDS": 2}
    # Fault injection: this worker's channels wait `delay` seconds between "sending" and the call.
    worker = celery_worker_factory(
        DJANGO_SETTINGS_MODULE="tests.notifications.slow_worker_settings", SLOW_CHANNEL_SECONDS=delay, **timeouts
    )

    result = reminders_sweep()
    assert len(result.deliveries) == 12  # 6 e-mails + 6 posts (each reminder is its own post)

    def mid_batch() -> bool:
        """Some sent, some in flight, and every in-flight one still before its external call."""
        rows = list(Delivery.objects.filter(channel__in=EXTERNAL).values_list("state", "claimed_at"))
        now = timezone.now()
        sending = [claimed for state, claimed in rows if state == Delivery.State.SENDING]
        sent = sum(state == Delivery.State.SENT for state, _claimed in rows)
        return sent >= 2 and sending and all((now - c).total_seconds() < delay - 0.4 for c in sending)

    wait_for(mid_batch, timeout=30, interval=0.02, message="a moment mid-batch")
    worker.kill()
    stuck = Delivery.objects.filter(state=Delivery.State.SENDING).count()
    assert stuck >= 1
    assert Delivery.objects.filter(channel__in=EXTERNAL).exclude(state=Delivery.State.SENT).count() > stuck

    celery_worker_factory(**timeouts)

    def everything_sent() -> bool:
        recover_deliveries.delay()  # what beat does every minute
        return not Delivery.objects.exclude(state=Delivery.State.SENT).exists()

    wait_for(everything_sent, timeout=40, interval=1.0, message="recovery after the kill")
    wait_for(lambda: len(smtp.snapshot()) >= 6 and len(robot.snapshot()) >= 6, timeout=10, message="arrivals")
    mails, posts = delivered_counts(smtp, robot)
    assert len(mails) == 6 and set(mails.values()) == {1}, mails
    assert len(posts) == 6 and set(posts.values()) == {1}, posts
    interrupted = Delivery.objects.filter(last_error__contains="interrupted")
    assert interrupted.count() == stuck
    assert all(d.attempts == 2 for d in interrupted)


def test_the_weekly_briefing_goes_through_the_same_pipeline(peers, celery_worker_factory):
    smtp, robot = peers
    office = DepartmentFactory(name="市委办", webhook_url=f"{robot.url}/ok/office")
    secretary = OfficialFactory(name="市委书记", role=Role.LEADER, department=office)
    mayor = OfficialFactory(name="市长", role=Role.LEADER, department=office)
    deputy = OfficialFactory(
        name="副市长", role=Role.LEADER, department=DepartmentFactory(webhook_url=f"{robot.url}/down/deputy")
    )
    supervisor = OfficialFactory(role=Role.SUPERVISOR)
    celery_worker_factory()

    # What beat's hourly task does on Monday morning, by hand for a given week, in the worker.
    send_weekly_briefings.delay("2026-11-23")
    wait_delivered(smtp, robot, mails=3, posts=1)
    mails = smtp.snapshot()
    assert sorted(m["to"][0] for m in mails) == sorted(o.user.email for o in (secretary, mayor, deputy))
    for message in mails:
        assert message["subject"] == "工作简报（2026年11月23日至2026年11月29日）"
        assert "/dashboard/briefing/?week=2026-11-23" in message["body"]
        ((name, mimetype, content),) = message["attachments"]
        assert name == "briefing-20261123.xlsx" and mimetype.endswith("spreadsheetml.sheet") and content[:2] == b"PK"
    # Secretary and mayor share the office's robot: one summary there. The deputy's robot is down:
    # retried with backoff, then listed for the supervisors with a retry button.
    ((path, payload),) = robot.snapshot()
    assert path == "/ok/office" and payload["text"]["content"].startswith("工作简报（2026年11月23日")
    (down,) = deliveries_needing_attention(supervisor.user)
    assert (down.channel, down.state, down.attempts) == (Channel.WEBHOOK, Delivery.State.GAVE_UP, 4)
    assert down.notification.recipient == deputy.user
    assert Notification.objects.filter(kind=Kind.WEEKLY_BRIEFING).count() == 3  # each leader's inbox

    # Exactly once per leader and week: planning the week again records and sends nothing.
    assert briefing_plan(week_start=datetime.date(2026, 11, 23)) == 0
    assert external_settled()
    assert len(smtp.snapshot()) == 3 and len(robot.snapshot()) == 1
    assert Notification.objects.filter(kind=Kind.WEEKLY_BRIEFING).count() == 3
