"""Demo step of the notifications app (run by `load_demo` after the other apps' steps, the
campaign's reminder ladder included): one sweep for today, so the first screen after `make run`
already shows reminders in the inbox badge and escalations on the supervision list. Idempotent:
the sweep's rows are keyed by their unique keys.
"""

import datetime

from django.utils import timezone

from core.demo import DemoContext
from notifications.services import reminders_sweep


def sweep_today(ctx: DemoContext) -> None:
    """Record today's reminders (their e-mails go out once a worker runs)."""
    if ctx.today == timezone.localdate():
        now = timezone.now()
    else:
        now = timezone.make_aware(datetime.datetime.combine(ctx.today, datetime.time(12)))
    result = reminders_sweep(now=now)
    ctx.log(f"Reminders: {result.notifications} recorded, {result.supervision_items} supervision items opened.")


STEPS = [sweep_today]
