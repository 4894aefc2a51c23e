from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Reminders and notifications")

    def ready(self):
        # The tasks register with the Celery app in every process (services enqueue them by name).
        from issues.hooks import issue_event_committed
        from notifications import tasks  # noqa: F401
        from notifications.services import notify_issue_event

        # Tell the people concerned of every issue event, after its commit (issues imports nothing of ours).
        issue_event_committed.connect(notify_issue_event)
