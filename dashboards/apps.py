from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards and briefings")

    def ready(self):
        # The weekly briefing is a notification kind: tell the notifications app (which never
        # imports dashboards) how to write it and what to attach to its e-mail.
        from dashboards.notices import briefing_attachments, briefing_text
        from notifications.models import Kind
        from notifications.registry import register_kind

        register_kind(Kind.WEEKLY_BRIEFING, text=briefing_text, attachments=briefing_attachments)
