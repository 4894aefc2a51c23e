from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """When a periodic task (one of beat's schedule) last finished without an error.

    Written by the worker after each successful run (ops.celery_hooks); read for the sweep lag
    on the supervisors' deliveries page and at /metrics."""

    name = models.CharField(_("task"), max_length=200, unique=True)
    last_success_at = models.DateTimeField(_("last success"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return self.name
