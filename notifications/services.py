"""Writes of the notifications app: the sweep, deliveries, and what users and supervisors change.

Guarantees (also in README, "Reminders and delivery guarantees")
-----------------------------------------------------------------
*Recording is exactly once.* `reminders_sweep` inserts notifications with INSERT … ON CONFLICT DO
NOTHING against the unique key (object, kind, due date, step, recipient); a second sweep, a second
beat, a retried task or two sweeps at the same moment insert nothing new. Each sweep tags its rows
with a batch id, so it creates deliveries (and enqueues tasks, after commit) only for rows that
it inserted itself. On PostgreSQL an advisory lock also lets only one sweep run at a time: a
cheap guard, not the guarantee.

*Delivery.* One Delivery per channel, so a broken channel never holds up another. A task
claims its delivery (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, an atomic conditional UPDATE
elsewhere), records state "sending" and the attempt number and commits, *then* calls the external
system, then records "sent" — conditional on still holding that attempt. Failures are retried with
exponential backoff (NOTIFY_RETRY_BASE_SECONDS doubling up to NOTIFY_RETRY_MAX_SECONDS) until
NOTIFY_MAX_ATTEMPTS, then "gave up", listed for supervisors.

*Per channel:*
- inbox — exactly once: the notification row is written in the sweep's own transaction.
- e-mail, webhook — at least once (the default, NOTIFY_AT_MOST_ONCE_CHANNELS empty). A delivery
  left in "sending" past NOTIFY_SENDING_TIMEOUT_SECONDS (a worker killed mid-call) is sent again by
  `deliveries_recover`: a reminder that never comes is worse than one that comes twice. The
  duplicate window is only a crash between the remote side accepting and our commit; an e-mail
  resend keeps its Message-ID. A channel listed in NOTIFY_AT_MOST_ONCE_CHANNELS is instead marked
  "gave up" with "outcome unknown", for a supervisor to check and retry by hand.

*Kinds of other apps.* The weekly briefing (dashboards) is recorded through
`notifications_record` under the same unique key and delivered by the same tasks; its text and
its e-mail attachment come from what dashboards registered in `notifications.registry`, the
attachment built by the e-mail channel after the claim committed.

*Lost messages.* Tasks carry only the delivery id and are idempotent (a second task for a
delivery already claimed or sent does nothing). `deliveries_recover`, run by beat every minute,
re-enqueues deliveries still pending NOTIFY_REQUEUE_AFTER_SECONDS after they were queued — a
message lost by the broker or by a killed worker — and resets those stuck in "sending". Retries
are scheduled with a countdown far below the Redis visibility timeout, and the recovery scan is
the safety net, so no long ETA task is ever relied on.
"""

import datetime
import hashlib
import logging
import time
import uuid
from dataclasses import dataclass, field

from celery import signature
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError, PermissionDenied
from core.models import Official, Role
from core.roles import is_supervisor, official_of
from core.services import audit_record, model_update
from issues import workflow
from issues.models import IssueEvent
from notifications.channels import channel_for
from notifications.models import (
    Channel,
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
    SupervisionItem,
    UnroutedReminder,
)
from notifications.permissions import can_manage_deliveries, can_manage_supervision
from notifications.policies import Ladders
from notifications.reminders import PLANNERS, Plan, Planned, Recipient, recipient_of
from notifications.texts import Subject, page_path, render

logger = logging.getLogger(__name__)

# Any 64-bit constant shared by every process: the advisory lock of the sweep.
SWEEP_LOCK_KEY = 0x7E11_4D05_0F5E_EE9


# --- Storing what is due ---------------------------------------------------------------------------


def _delivery_key(*parts) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def _deliveries_for(notification: Notification, planned: Planned, now: datetime.datetime) -> list[Delivery]:
    recipient: Recipient = planned.recipient
    event = (planned.content_type_id, planned.object_id, planned.kind, planned.due_date, planned.step)
    rows = [
        Delivery(
            notification=notification,
            channel=Channel.INBOX,
            key=_delivery_key(Channel.INBOX, *event, recipient.user_id),
            state=Delivery.State.SENT,
            sent_at=now,
        )
    ]
    if recipient.email_on and recipient.email:
        rows.append(
            Delivery(
                notification=notification,
                channel=Channel.EMAIL,
                target=recipient.email,
                key=_delivery_key(Channel.EMAIL, *event, recipient.user_id, recipient.email.lower()),
                enqueued_at=now,
            )
        )
    webhook = planned.webhook_url or recipient.department_webhook
    if recipient.webhook_on and webhook:
        # No recipient in the key: a group gets one post per reminder (or per topic, e.g. one
        # weekly briefing), however many members it names.
        topic = planned.webhook_topic or event
        rows.append(
            Delivery(
                notification=notification,
                channel=Channel.WEBHOOK,
                target=webhook,
                style=planned.webhook_style,
                key=_delivery_key(Channel.WEBHOOK, *topic, webhook),
                enqueued_at=now,
            )
        )
    return rows


def _store(planned: list[Planned], *, now: datetime.datetime) -> tuple[list[Notification], list[int]]:
    """Insert the planned notifications and their deliveries; return (the notifications this call
    created, ids of the external deliveries to enqueue). Constant number of queries."""
    if not planned:
        return [], []
    batch = uuid.uuid4()
    messages: dict[tuple, object] = {}
    rows = []
    for item in planned:
        # Recipients of one subject share its rendering; `extra` (not part of a subject's
        # equality) is told apart by identity, so two subjects with different extras never mix.
        message_key = (item.subject, id(item.subject.extra), item.recipient.language)
        if message_key not in messages:
            messages[message_key] = render(item.subject, item.recipient.language)
        message = messages[message_key]
        rows.append(
            Notification(
                recipient_id=item.recipient.user_id,
                content_type_id=item.content_type_id,
                object_id=item.object_id,
                kind=item.kind,
                due_date=item.due_date,
                step=item.step,
                superseded=item.superseded,
                language=item.recipient.language,
                title=message.title,
                body=message.body,
                link=message.link,
                batch=batch,
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    by_key = {item.key: item for item in planned}
    created = list(
        Notification.objects.filter(batch=batch).only(
            "id", "content_type_id", "object_id", "kind", "due_date", "step", "recipient_id", "superseded"
        )
    )
    deliveries = []
    for notification in created:
        if notification.superseded:
            continue
        key = (
            notification.content_type_id,
            notification.object_id,
            notification.kind,
            notification.due_date,
            notification.step,
            notification.recipient_id,
        )
        deliveries += _deliveries_for(notification, by_key[key], now)
    for delivery in deliveries:
        delivery.batch = batch
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    to_send = list(
        Delivery.objects.filter(batch=batch, state=Delivery.State.PENDING).order_by("id").values_list("id", flat=True)
    )
    return created, to_send


# The task that sends one delivery (notifications.tasks, which calls `delivery_send`). Enqueued by
# name so that this module never imports the tasks that import it.
DELIVER_TASK = "notifications.deliver_notification"


# time.monotonic() until which this process leaves deliveries to the recovery scan instead of
# calling a broker that just failed (BROKER_BACKOFF_SECONDS): a hung broker costs one request
# the BROKER_TIMEOUT, not every request.
_broker_down_until = 0.0


def enqueue_deliveries(delivery_ids: list[int], *, countdown: float | None = None) -> None:
    """Send one task per delivery to the broker. Call after commit; never raises and never waits
    longer than BROKER_TIMEOUT.

    A broker error is logged, not raised: the rows are committed, so the deliveries not yet
    published are marked "not queued" (enqueued_at empty) and `deliveries_recover`, run by beat
    every NOTIFY_RECOVER_SECONDS, enqueues them once the broker is back. The publish itself is
    not retried (a retry would multiply the wait of the request that called this)."""
    global _broker_down_until
    ids = list(delivery_ids)
    if not ids:
        return
    if time.monotonic() < _broker_down_until:
        _leave_for_recovery(ids)
        return
    for position, delivery_id in enumerate(ids):
        try:
            # The registered task when there is one (so CELERY_TASK_ALWAYS_EAGER holds), else by name.
            signature(DELIVER_TASK, args=(delivery_id,)).apply_async(countdown=countdown, retry=False)
        except Exception as exc:
            _broker_down_until = time.monotonic() + settings.BROKER_BACKOFF_SECONDS
            logger.warning(
                "could not enqueue %s delivery(ies) (%s: %s); the recovery scan will enqueue them",
                len(ids) - position,
                type(exc).__name__,
                exc,
            )
            _leave_for_recovery(ids[position:])
            return


def _leave_for_recovery(delivery_ids: list[int]) -> None:
    """Mark deliveries whose message was not published, so that the next recovery scan (not the
    one NOTIFY_REQUEUE_AFTER_SECONDS later) enqueues them."""
    try:
        Delivery.objects.filter(pk__in=delivery_ids, state__in=[Delivery.State.PENDING, Delivery.State.FAILED]).update(
            enqueued_at=None
        )
    except DatabaseError:
        logger.warning("could not mark deliveries %s for the recovery scan", delivery_ids[:20], exc_info=True)


def _enqueue_on_commit(delivery_ids: list[int]) -> None:
    if delivery_ids:
        ids = list(delivery_ids)
        transaction.on_commit(lambda: enqueue_deliveries(ids))


@dataclass
class SweepResult:
    skipped: bool = False
    notifications: int = 0  # recorded to be delivered
    superseded: int = 0  # recorded as skipped rungs, never delivered
    deliveries: list[int] = field(default_factory=list)
    supervision_items: int = 0


def _try_sweep_lock() -> bool:
    """Only one sweep at a time on PostgreSQL (released at commit). Elsewhere always True:
    SQLite lets one writer at a time anyway, and the unique keys are what guarantees once."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SWEEP_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def reminders_sweep(*, now: datetime.datetime | None = None, lock: bool = True) -> SweepResult:
    """Record every reminder due at `now` (default: the current time) and enqueue its deliveries
    after commit: milestone ladders and escalations (with supervision items), issue time limits,
    missing monthly reports. Idempotent; a bounded number of queries however many rows are due.

    `now` is a parameter so a test can sweep at a frozen time while the worker runs in real time.
    `lock=False` skips the advisory lock (tests of the unique keys under concurrency).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        if lock and not _try_sweep_lock():
            return SweepResult(skipped=True)
        ladders = Ladders.load()
        plan = Plan([], [])
        for planner in PLANNERS:
            plan.extend(planner(today=today, ladders=ladders))
        created, to_send = _store(plan.notifications, now=now)
        if plan.supervision:
            SupervisionItem.objects.bulk_create(plan.supervision, ignore_conflicts=True)
        if plan.unrouted:
            # Once per reminder (its unique key); the supervisors were told through `plan.notifications`.
            UnroutedReminder.objects.bulk_create(plan.unrouted, ignore_conflicts=True)
            logger.warning(
                "%s reminder(s) had nobody to receive them; sent to the supervision office", len(plan.unrouted)
            )
        _enqueue_on_commit(to_send)
    skipped = sum(n.superseded for n in created)
    return SweepResult(
        notifications=len(created) - skipped,
        superseded=skipped,
        deliveries=to_send,
        supervision_items=len(plan.supervision),
    )


def notifications_record(*, planned: list[Planned], now: datetime.datetime | None = None) -> list[Notification]:
    """Record notifications another app planned (the weekly briefing) as the sweep records its
    own: once per unique key (a repeat records nothing), their deliveries by the recipient's
    preferences, enqueued after commit. One transaction; returns the notifications it created."""
    with transaction.atomic():
        created, to_send = _store(planned, now=now or timezone.now())
        _enqueue_on_commit(to_send)
    return created


# --- Delivering ------------------------------------------------------------------------------------


def _ready_q(now: datetime.datetime) -> Q:
    return Q(state__in=[Delivery.State.PENDING, Delivery.State.FAILED]) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def _claim(delivery_id: int, now: datetime.datetime) -> Delivery | None:
    """Take the delivery for one attempt: state "sending", attempts + 1, committed before the
    external call. None if another worker holds it, it is not due yet, or it is done."""
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            delivery = (
                Delivery.objects.select_for_update(skip_locked=True).filter(_ready_q(now), pk=delivery_id).first()
            )
            if delivery is None:
                return None
            delivery.state = Delivery.State.SENDING
            delivery.attempts += 1
            delivery.claimed_at = now
            delivery.save(update_fields=["state", "attempts", "claimed_at"])
        else:
            claimed = Delivery.objects.filter(_ready_q(now), pk=delivery_id).update(
                state=Delivery.State.SENDING, attempts=F("attempts") + 1, claimed_at=now
            )
            if claimed != 1:
                return None
    return Delivery.objects.select_related("notification").get(pk=delivery_id)


def retry_delay(attempt: int) -> float:
    """Seconds before attempt `attempt + 1`: exponential, capped."""
    return min(settings.NOTIFY_RETRY_BASE_SECONDS * (2 ** max(attempt - 1, 0)), settings.NOTIFY_RETRY_MAX_SECONDS)


def _holding(delivery: Delivery):
    """The row as long as this attempt still owns it (a recovery scan may have taken it back)."""
    return Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING, attempts=delivery.attempts)


def delivery_send(*, delivery_id: int) -> str:
    """One attempt at one delivery: claim, call the channel, record the outcome.

    Returns "sent", "failed" (retry scheduled), "gave_up" or "skipped" (not ours to send).
    """
    delivery = _claim(delivery_id, timezone.now())
    if delivery is None:
        return "skipped"
    try:
        channel_for(delivery.channel).send(delivery)
    except Exception as exc:  # Any failure of the external call is recorded and retried.
        return _record_failure(delivery, exc)
    # last_error stays: it tells of an earlier failed or interrupted attempt.
    _holding(delivery).update(state=Delivery.State.SENT, sent_at=timezone.now())
    return "sent"


def _record_failure(delivery: Delivery, exc: Exception) -> str:
    now = timezone.now()
    error = f"{type(exc).__name__}: {exc}"[:2000]
    logger.warning("delivery %s (%s) attempt %s failed: %s", delivery.pk, delivery.channel, delivery.attempts, error)
    if delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        _holding(delivery).update(state=Delivery.State.GAVE_UP, last_error=error, next_attempt_at=None)
        return "gave_up"
    delay = retry_delay(delivery.attempts)
    # A short wait is a countdown on the message; a longer one is left to the recovery scan,
    # which enqueues the delivery once it is due (enqueued_at empty): no message waits in the
    # broker longer than its visibility timeout.
    soon = delay <= settings.NOTIFY_COUNTDOWN_MAX_SECONDS
    updated = _holding(delivery).update(
        state=Delivery.State.FAILED,
        last_error=error,
        next_attempt_at=now + datetime.timedelta(seconds=delay),
        enqueued_at=now if soon else None,
    )
    if updated and soon:
        enqueue_deliveries([delivery.pk], countdown=delay)
    return "failed"


@dataclass
class RecoverResult:
    requeued: list[int] = field(default_factory=list)
    interrupted: int = 0
    given_up: int = 0


def deliveries_recover(*, now: datetime.datetime | None = None, limit: int = 500) -> RecoverResult:
    """The safety net, run by beat: deliveries stuck in "sending" past the timeout (a worker died
    mid-call) are retried — or given up for at-most-once channels — and deliveries whose task went
    missing (pending or due for retry, queued longer ago than NOTIFY_REQUEUE_AFTER_SECONDS) are
    enqueued again. Rows locked by a running claim are skipped."""
    now = now or timezone.now()
    timeout = now - datetime.timedelta(seconds=settings.NOTIFY_SENDING_TIMEOUT_SECONDS)
    stale_queue = now - datetime.timedelta(seconds=settings.NOTIFY_REQUEUE_AFTER_SECONDS)
    at_most_once = set(settings.NOTIFY_AT_MOST_ONCE_CHANNELS)
    skip_locked = connection.features.has_select_for_update_skip_locked
    result = RecoverResult()
    with transaction.atomic():
        stuck = list(
            Delivery.objects.select_for_update(skip_locked=skip_locked)
            .filter(state=Delivery.State.SENDING, claimed_at__lt=timeout)
            .order_by("id")
            .only("id", "channel", "attempts")[:limit]
        )
        give_up = [d.pk for d in stuck if d.channel in at_most_once or d.attempts >= settings.NOTIFY_MAX_ATTEMPTS]
        resend = [d.pk for d in stuck if d.pk not in give_up]
        if give_up:
            Delivery.objects.filter(pk__in=give_up).update(
                state=Delivery.State.GAVE_UP,
                last_error="The attempt was interrupted (worker lost); the outcome is unknown. Not sent again.",
                next_attempt_at=None,
            )
        if resend:
            Delivery.objects.filter(pk__in=resend).update(
                state=Delivery.State.FAILED,
                last_error="The attempt was interrupted (worker lost); the outcome is unknown. Sending again.",
                next_attempt_at=now,
                enqueued_at=None,
            )
        lost_q = _ready_q(now) & (Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale_queue))
        lost = list(
            Delivery.objects.select_for_update(skip_locked=skip_locked)
            .filter(lost_q)
            .order_by("id")
            .values_list("id", flat=True)[:limit]
        )
        if lost:
            Delivery.objects.filter(pk__in=lost).update(enqueued_at=now)
        _enqueue_on_commit(lost)
    result.requeued, result.interrupted, result.given_up = lost, len(resend), len(give_up)
    if stuck or lost:
        logger.info("recovery: %s interrupted, %s given up, %s re-enqueued", len(resend), len(give_up), len(lost))
    return result


@transaction.atomic
def delivery_retry(*, delivery: Delivery, by) -> Delivery:
    """A supervisor sends a failed or given-up delivery again (attempts start over)."""
    if not can_manage_deliveries(by):
        raise PermissionDenied(_("Only the supervision office may retry deliveries."))
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.state not in {Delivery.State.FAILED, Delivery.State.GAVE_UP}:
        raise ApplicationError(_("Only a failed delivery can be retried."), code="not_failed")
    old_state = delivery.state
    delivery.state = Delivery.State.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = None
    delivery.enqueued_at = timezone.now()
    delivery.save(update_fields=["state", "attempts", "next_attempt_at", "enqueued_at"])
    audit_record(actor=by, action="delivery.retry", obj=delivery, changes={"state": [old_state, delivery.state]})
    _enqueue_on_commit([delivery.pk])
    return delivery


# --- Issue events (subscribed to issues.hooks.issue_event_committed in NotificationsConfig.ready) -----


def _audience(name: str, issue) -> list:
    """The officials an audience name of issues.workflow.AUDIENCES stands for (None: nobody)."""
    head = issue.lead_department.head if issue.lead_department else None
    if name == "owner":
        return [issue.handler or head]
    if name == "head":
        return [head]
    if name == "raiser":
        return [official_of(issue.raised_by)]
    if name == "leader":
        return [issue.project.assigned_leader if issue.project else None]
    if name == "supervisors":
        return list(
            Official.objects.filter(role=Role.SUPERVISOR).select_related("user__notification_preference", "department")
        )
    raise ValueError(f"Unknown issue event audience: {name}")


def notify_issue_event(*, event_id: int) -> int:
    """Tell the people concerned about one committed IssueEvent (never its own actor): the
    audience its action declares in issues.workflow.

    Idempotent: keyed by (event, recipient), so a repeated call records nothing new. Returns the
    number of notifications created.
    """
    event = (
        IssueEvent.objects.select_related(
            "actor__official",
            "issue__project__assigned_leader__user__notification_preference",
            "issue__project__assigned_leader__department",
            "issue__handler__user__notification_preference",
            "issue__handler__department",
            "issue__lead_department__head__user__notification_preference",
            "issue__lead_department__head__department",
            "issue__raised_by__official__department",
            "issue__raised_by__notification_preference",
        )
        .filter(pk=event_id)
        .first()
    )
    declared = workflow.event_for(event.action) if event else None
    if declared is None or not declared.audience:
        return 0
    issue = event.issue
    people = [person for name in declared.audience for person in _audience(name, issue)]
    actor = official_of(event.actor) if event.actor else None
    content_type = ContentType.objects.get_for_model(IssueEvent)
    subject = Subject(
        kind=Kind.ISSUE_EVENT,
        title=str(issue),
        due_date=timezone.localdate(issue.resolution_deadline),
        project=issue.project.name if issue.project else "",
        path=page_path("issues:detail", issue.pk, fallback=page_path("notifications:inbox")),
        extra={
            "action": event.action,  # its label is rendered in each recipient's language
            "actor": actor.name if actor else (event.actor.get_username() if event.actor else ""),
            "note": event.note[:500],
        },
    )
    planned, seen = [], set()
    for official in people:
        recipient = recipient_of(official)
        if recipient is None or recipient.user_id in seen or recipient.user_id == event.actor_id:
            continue
        seen.add(recipient.user_id)
        planned.append(
            Planned(
                content_type_id=content_type.pk,
                object_id=event.pk,
                kind=Kind.ISSUE_EVENT,
                due_date=subject.due_date,
                step=0,
                recipient=recipient,
                subject=subject,
            )
        )
    with transaction.atomic():
        created, to_send = _store(planned, now=timezone.now())
        if created:
            # A notification about an event carries the event's time, not the moment it was
            # written (after the commit; for replayed history, such as the demo, months later).
            Notification.objects.filter(pk__in=[n.pk for n in created]).update(created_at=event.at)
        _enqueue_on_commit(to_send)
    return len(created)


# --- Inbox ------------------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, by) -> Notification:
    """Mark one of the user's own notifications read (idempotent). Read receipts are not audited."""
    if notification.recipient_id != by.pk:
        raise PermissionDenied(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, by) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(recipient=by, superseded=False, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Preferences, supervision -----------------------------------------------------------------------


@transaction.atomic
def preferences_update(*, user, email: bool, webhook: bool, language: str | None = None, by) -> NotificationPreference:
    """Set the user's channels (the inbox is always on) and, with a profile, the reminder language."""
    if by.pk != user.pk and not is_supervisor(by):
        raise PermissionDenied(_("You may only change your own notification settings."))
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    _preference, changes = model_update(
        instance=preference, data={"email": bool(email), "webhook": bool(webhook)}, fields=["email", "webhook"]
    )
    official = official_of(user)
    if language is not None and official is not None:
        if language not in Official.Language.values:
            message = _("Choose one of the offered languages.")
            raise ApplicationError(message, fields={"language": [message]})
        _official, language_changes = model_update(instance=official, data={"language": language}, fields=["language"])
        changes.update(language_changes)
    if changes:
        audit_record(actor=by, action="notification_preference.update", obj=preference, changes=changes)
    return preference


@transaction.atomic
def supervision_item_close(*, item: SupervisionItem, by, note: str) -> SupervisionItem:
    """Close a supervision item (督办销号) with a note. Supervisors only."""
    if not can_manage_supervision(by):
        raise PermissionDenied(_("Only the supervision office may close supervision items."))
    note = (note or "").strip()
    if not note:
        message = _("Say how the item was settled.")
        raise ApplicationError(message, fields={"note": [message]})
    item = SupervisionItem.objects.select_for_update().get(pk=item.pk)
    if item.status == SupervisionItem.Status.CLOSED:
        raise ApplicationError(_("This supervision item is already closed."), code="already_closed")
    item.status = SupervisionItem.Status.CLOSED
    item.closed_at = timezone.now()
    item.closed_by = by
    item.note = note
    item.save(update_fields=["status", "closed_at", "closed_by", "note", "updated_at"])
    audit_record(actor=by, action="supervision_item.close", obj=item, changes={"note": note})
    return item


# --- Retention ------------------------------------------------------------------------------------

PURGE_BATCH = 5000


@dataclass
class PurgeResult:
    read_or_superseded: int = 0
    unread: int = 0

    @property
    def total(self) -> int:
        return self.read_or_superseded + self.unread


def _delete_batch(queryset) -> int:
    ids = list(queryset.order_by("created_at", "id").values_list("pk", flat=True)[:PURGE_BATCH])
    if not ids:
        return 0
    Notification.objects.filter(pk__in=ids).delete()  # deliveries go with them (CASCADE)
    return len(ids)


def notifications_purge_expired(*, now: datetime.datetime | None = None) -> PurgeResult:
    """Delete notifications older than settings.NOTIFICATION_RETENTION_DAYS, at most PURGE_BATCH
    of each kind per run (the beat runs it daily; a backlog clears over a few runs).

    Read and superseded ones go first; unread ones only once none of their deliveries is still
    on its way (pending, sending or failed-and-retrying). Idempotent. The reminder sweep never
    records a step that old again (it looks at steps due now), so a purged reminder is not re-sent.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.NOTIFICATION_RETENTION_DAYS)
    old = Notification.objects.filter(created_at__lt=cutoff)
    result = PurgeResult()
    with transaction.atomic():
        result.read_or_superseded = _delete_batch(old.filter(Q(read_at__isnull=False) | Q(superseded=True)))
    in_flight = Delivery.objects.filter(
        notification=OuterRef("pk"),
        state__in=[Delivery.State.PENDING, Delivery.State.SENDING, Delivery.State.FAILED],
    )
    with transaction.atomic():
        result.unread = _delete_batch(old.filter(read_at__isnull=True, superseded=False).exclude(Exists(in_flight)))
    if result.total:
        logger.info(
            "notifications purged", extra={"read_or_superseded": result.read_or_superseded, "unread": result.unread}
        )
    return result
