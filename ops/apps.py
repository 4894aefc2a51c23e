from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: request ids and JSON logs, health and readiness, metrics, backups.

    Imports no domain app. Each app that has figures for operators declares them in its own
    `metrics.py` (found here by name, as the admin finds `admin.py`)."""

    name = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from ops import celery_hooks

        celery_hooks.connect()
        autodiscover_modules("metrics")
