from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises and industry chains")

    def ready(self):
        from core.menu import MAIN_MENU, MenuEntry
        from enterprises.permissions import can_view_directory

        MAIN_MENU.register(
            MenuEntry(
                key="enterprises",
                label=_("Enterprises"),
                url_name="enterprises:list",
                visible=can_view_directory,
                order=30,
                namespaces=("enterprises",),
            )
        )
