"""Celery tasks: thin wrappers that take ids or dates and call one service each."""

import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from dashboards.services import briefing_deliver, briefing_deliveries_plan, briefing_due_week


@shared_task(name="dashboards.send_weekly_briefings", ignore_result=True)
def send_weekly_briefings(week_start: str | None = None) -> int:
    """Plan the weekly briefing for every leader (once per week) and enqueue each delivery.

    Beat runs it hourly; outside Monday morning to Tuesday it does nothing unless a week is
    given (e.g. by hand: ``send_weekly_briefings.delay("2026-11-16")``).
    """
    week = datetime.date.fromisoformat(week_start) if week_start else briefing_due_week(timezone.now())
    if week is None:
        return 0
    ids = briefing_deliveries_plan(week_start=week)
    transaction.on_commit(lambda: [deliver_briefing.delay(pk) for pk in ids])
    return len(ids)


@shared_task(
    name="dashboards.deliver_briefing",
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=60,
    retry_backoff_max=1800,
    max_retries=6,
)
def deliver_briefing(delivery_id: int) -> bool:
    return briefing_deliver(delivery_id=delivery_id)
