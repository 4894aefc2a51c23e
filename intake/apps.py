from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Project intake and dispatch list")

    def ready(self):
        from core.menu import MAIN_MENU, MenuEntry
        from intake.permissions import can_view_intake

        MAIN_MENU.register(
            MenuEntry(
                key="intake",
                label=_("Project intake"),
                url_name="intake:list",
                visible=can_view_intake,
                order=70,
                namespaces=("intake",),
            )
        )
        from intake import sections

        sections.register()
