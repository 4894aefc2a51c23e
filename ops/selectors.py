"""Reads for operators: how long ago each periodic task last succeeded."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from ops.models import Heartbeat


@dataclass(frozen=True)
class TaskLag:
    name: str
    last_success_at: datetime.datetime | None
    lag_seconds: float | None  # None: never succeeded (since the database was created)
    interval_seconds: float | None  # how often beat sends it, if it is in the schedule

    @property
    def late(self) -> bool:
        """Behind by more than two intervals (one missed run is tolerated), or never run."""
        if self.lag_seconds is None:
            return True
        return self.interval_seconds is not None and self.lag_seconds > 2 * self.interval_seconds


def schedule_interval(entry: dict) -> float | None:
    schedule = entry.get("schedule")
    if isinstance(schedule, int | float):
        return float(schedule)
    if isinstance(schedule, datetime.timedelta):
        return schedule.total_seconds()
    return None


def _schedule() -> dict[str, float | None]:
    return {entry["task"]: schedule_interval(entry) for entry in settings.CELERY_BEAT_SCHEDULE.values()}


def _lag(name: str, last: datetime.datetime | None, now: datetime.datetime, interval: float | None) -> TaskLag:
    return TaskLag(
        name=name,
        last_success_at=last,
        lag_seconds=max((now - last).total_seconds(), 0.0) if last else None,
        interval_seconds=interval,
    )


def periodic_task_lags(*, now: datetime.datetime | None = None) -> list[TaskLag]:
    """Every task of beat's schedule, plus any other task with a heartbeat, by name. One query."""
    now = now or timezone.now()
    schedule = _schedule()
    seen = dict(Heartbeat.objects.values_list("name", "last_success_at"))
    return [_lag(name, seen.get(name), now, schedule.get(name)) for name in sorted(schedule.keys() | seen.keys())]


def task_lag(name: str, *, now: datetime.datetime | None = None) -> TaskLag:
    """Now minus the last successful run of periodic task `name` (e.g. the reminder sweep)."""
    now = now or timezone.now()
    last = Heartbeat.objects.filter(name=name).values_list("last_success_at", flat=True).first()
    return _lag(name, last, now, _schedule().get(name))
