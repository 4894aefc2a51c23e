"""Demo step of the notifications app (run by `load_demo` after core.demo's steps).

The campaign gets its reminder ladder (7/3/1 days before, on the day, every 3 days overdue,
escalation after 7 days), then one sweep runs for today, so the first screen after `make run`
already shows reminders in the inbox badge and escalations on the supervision list. Both are
idempotent: the policy is looked up by campaign, the sweep's rows by their unique keys.
"""

import datetime

from django.utils import timezone

from core.demo import CAMPAIGN_NAME, DemoContext
from notifications.models import ReminderPolicy
from notifications.services import reminders_sweep


def build_reminder_policy(ctx: DemoContext) -> None:
    campaign = ctx.campaigns[CAMPAIGN_NAME]
    ctx.upsert(
        ReminderPolicy,
        {"campaign": campaign},
        {"scope": ReminderPolicy.Scope.CAMPAIGN},
        create_only={
            "days_before": [7, 3, 1],
            "on_the_day": True,
            "repeat_every_days_overdue": 3,
            "escalate_after_days_overdue": 7,
        },
    )


def sweep_today(ctx: DemoContext) -> None:
    """Record today's reminders (their e-mails go out once a worker runs)."""
    if ctx.today == timezone.localdate():
        now = timezone.now()
    else:
        now = timezone.make_aware(datetime.datetime.combine(ctx.today, datetime.time(12)))
    result = reminders_sweep(now=now)
    ctx.log(f"Reminders: {result.notifications} recorded, {result.supervision_items} supervision items opened.")


STEPS = [build_reminder_policy, sweep_today]
