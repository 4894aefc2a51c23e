"""Figures of the notifications app at /metrics (see ops.metrics)."""

import datetime

from django.utils import timezone

from notifications.models import SupervisionItem, UnroutedReminder
from notifications.selectors import UNFINISHED_DELIVERY_STATES, delivery_backlog, delivery_state_counts
from ops.metrics import GaugeMetricFamily, collector


@collector("notifications")
def notification_figures():
    deliveries = GaugeMetricFamily(
        "tracker_deliveries",
        "E-mail and group-robot deliveries not done, by state (pending = queued, sending, "
        "failed = will retry, gave_up) and channel.",
        labels=["state", "channel"],
    )
    counts = delivery_state_counts()
    for state in UNFINISHED_DELIVERY_STATES:
        for channel in sorted({c for (s, c) in counts if s == state}):
            deliveries.add_metric([state, channel], counts[(state, channel)])
    yield deliveries

    backlog = delivery_backlog()
    oldest = GaugeMetricFamily(
        "tracker_delivery_oldest_waiting_seconds",
        "Age of the oldest delivery still queued, sending or waiting to retry (0 if none).",
        value=(timezone.now() - backlog.oldest_waiting_at).total_seconds() if backlog.oldest_waiting_at else 0,
    )
    yield oldest
    yield GaugeMetricFamily(
        "tracker_supervision_items_open",
        "Open supervision items (督办).",
        value=SupervisionItem.objects.filter(status=SupervisionItem.Status.OPEN).count(),
    )
    yield GaugeMetricFamily(
        "tracker_unrouted_reminders_24h",
        "Reminders in the last 24 hours that had nobody to receive them (sent to the supervision office).",
        value=UnroutedReminder.objects.filter(recorded_at__gte=timezone.now() - datetime.timedelta(hours=24)).count(),
    )
