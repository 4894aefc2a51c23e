from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")

    def ready(self):
        from core.menu import MAIN_MENU, MenuEntry
        from projects.selectors import sees_any_project

        MAIN_MENU.register(
            MenuEntry(
                key="funding",
                label=_("Funding"),
                url_name="funding:list",
                visible=sees_any_project,
                order=80,
                namespaces=("funding",),
            )
        )
        from funding import sections

        sections.register()
