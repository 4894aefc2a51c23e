"""Writes of the ops app."""

import datetime

from django.utils import timezone

from ops.models import Heartbeat


def heartbeat_record(*, name: str, at: datetime.datetime | None = None) -> None:
    """Note that periodic task `name` just succeeded (one upsert; never moves backwards)."""
    at = at or timezone.now()
    updated = Heartbeat.objects.filter(name=name, last_success_at__lt=at).update(last_success_at=at)
    if not updated:
        Heartbeat.objects.bulk_create([Heartbeat(name=name, last_success_at=at)], ignore_conflicts=True)
