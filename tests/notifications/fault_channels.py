"""Channels for fault injection, swapped in through settings.NOTIFY_CHANNELS (never in production).

`Slow*` wait SLOW_CHANNEL_SECONDS after the delivery was claimed ("sending", committed) and before
the real call (and SLOW_CHANNEL_AFTER_SECONDS after it, before "sent" is recorded), so a test can kill the worker in between (tests.notifications.slow_worker_settings).
"""

import time

from django.conf import settings

from notifications.channels import EmailChannel, WebhookChannel


class SlowMixin:
    def send(self, delivery) -> None:
        time.sleep(settings.SLOW_CHANNEL_SECONDS)
        super().send(delivery)
        # A kill in this window finds the message sent but not yet recorded: a duplicate follows.
        time.sleep(settings.SLOW_CHANNEL_AFTER_SECONDS)


class SlowEmailChannel(SlowMixin, EmailChannel):
    pass


class SlowWebhookChannel(SlowMixin, WebhookChannel):
    pass
