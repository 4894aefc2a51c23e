"""Celery tasks: thin wrappers that take ids (or an ISO time) and call one service each.

All are idempotent, so a redelivered or duplicated message does no harm (see
notifications.services for the guarantees). The dependency runs one way: tasks call services;
services enqueue `deliver_notification` by its name (services.DELIVER_TASK).
"""

from celery import shared_task
from django.conf import settings
from django.utils.dateparse import parse_datetime

from notifications import services


@shared_task(name="notifications.sweep_due_reminders", ignore_result=True)
def sweep_due_reminders(now: str | None = None) -> int:
    """Record what is due and enqueue its deliveries. `now` (ISO 8601) lets a test pick the day."""
    result = services.reminders_sweep(now=parse_datetime(now) if now else None)
    return result.notifications


# Acknowledged after the attempt, and given back to the queue when the worker process dies, so a
# killed worker's message comes back (the claim makes a second run of a sent one do nothing).
# Time limits: a hung SMTP server or robot cannot hold a worker (the soft limit is recorded as a
# failed attempt and retried).
@shared_task(
    name=services.DELIVER_TASK,
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=settings.NOTIFY_SEND_TIME_LIMIT,
    soft_time_limit=max(settings.NOTIFY_SEND_TIME_LIMIT - 5, settings.NOTIFY_SEND_TIME_LIMIT * 0.8),
)
def deliver_notification(delivery_id: int) -> str:
    return services.delivery_send(delivery_id=delivery_id)


@shared_task(name="notifications.recover_deliveries", ignore_result=True)
def recover_deliveries() -> int:
    return len(services.deliveries_recover().requeued)


@shared_task(name="notifications.purge_expired", ignore_result=True)
def purge_expired_notifications() -> int:
    return services.notifications_purge_expired().total
