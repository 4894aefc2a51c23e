from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards and briefings")

    def ready(self):
        from core.menu import MAIN_MENU, MenuEntry
        from projects.selectors import sees_any_project

        # Figures over the projects the user may read: offered only to those who read some.
        MAIN_MENU.register(
            MenuEntry(
                key="cockpit",
                label=_("Cockpit"),
                url_name="dashboards:cockpit",
                visible=sees_any_project,
                order=10,
                namespaces=("dashboards",),
                except_url_names=("dashboards:map",),
            )
        )
        MAIN_MENU.register(
            MenuEntry(
                key="map",
                label=_("Battle map"),
                url_name="dashboards:map",
                visible=sees_any_project,
                order=90,
                url_names=("dashboards:map",),
            )
        )

        # The weekly briefing is a notification kind: tell the notifications app (which never
        # imports dashboards) how to write it and what to attach to its e-mail.
        from dashboards.notices import briefing_attachments, briefing_text
        from notifications.models import Kind
        from notifications.registry import register_kind

        register_kind(Kind.WEEKLY_BRIEFING, text=briefing_text, attachments=briefing_attachments)
