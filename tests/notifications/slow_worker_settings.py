"""Settings of a Celery worker that a test kills mid-delivery: the production settings with the
external channels slowed down between "sending" and the call (tests.notifications.fault_channels).
The test starts the worker with DJANGO_SETTINGS_MODULE pointing here."""

import os

from projects_tracker.settings import *  # noqa: F403
from projects_tracker.settings import NOTIFY_CHANNELS

NOTIFY_CHANNELS = {
    **NOTIFY_CHANNELS,
    "email": "tests.notifications.fault_channels.SlowEmailChannel",
    "webhook": "tests.notifications.fault_channels.SlowWebhookChannel",
}
SLOW_CHANNEL_SECONDS = float(os.environ.get("SLOW_CHANNEL_SECONDS", "1"))
SLOW_CHANNEL_AFTER_SECONDS = float(os.environ.get("SLOW_CHANNEL_AFTER_SECONDS", "0"))
