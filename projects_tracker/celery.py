"""The Celery app. Configuration comes from Django settings (CELERY_* names)."""

import logging.config
import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projects_tracker.settings")

app = Celery("projects_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect(weak=False)
def use_django_logging(loglevel=None, **kwargs):
    """Worker and beat log as the web does (settings.LOGGING: JSON lines with request and task
    ids) instead of Celery's own format, at the level of their --loglevel."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
    if loglevel:
        logging.getLogger().setLevel(loglevel)
