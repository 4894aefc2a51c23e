"""Celery tasks: thin wrappers that take ids or dates and call one service each."""

import datetime

from celery import shared_task
from django.utils import timezone

from dashboards.services import (
    briefing_due_week,
    briefing_plan,
    project_health_refresh,
    project_health_refresh_blocked,
)


@shared_task(name="dashboards.send_weekly_briefings", ignore_result=True)
def send_weekly_briefings(week_start: str | None = None) -> int:
    """Record the weekly briefing for every leader (once per week); the notifications pipeline
    delivers it (`notifications.deliver_notification`, enqueued after commit).

    Beat runs it hourly; outside Monday morning to Tuesday it does nothing unless a week is
    given (e.g. by hand: ``send_weekly_briefings.delay("2026-11-16")``).
    """
    week = datetime.date.fromisoformat(week_start) if week_start else briefing_due_week(timezone.now())
    if week is None:
        return 0
    return briefing_plan(week_start=week)


@shared_task(name="dashboards.refresh_project_health", ignore_result=True)
def refresh_project_health() -> int:
    """Recompute every project's stored health (nightly: 序时进度 and overdue move with the date;
    and after a health rule changed)."""
    return project_health_refresh()


@shared_task(name="dashboards.refresh_blocked_project_health", ignore_result=True)
def refresh_blocked_project_health() -> int:
    """Recompute the projects with an open blocking issue (its deadline passes at any hour)."""
    return project_health_refresh_blocked()
