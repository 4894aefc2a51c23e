from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Pre-construction approvals")

    def ready(self):
        from approvals import reminders, sections
        from approvals.selectors import sees_any_item
        from core.menu import MAIN_MENU, MenuEntry

        MAIN_MENU.register(
            MenuEntry(
                key="approvals",
                label=_("Approvals"),
                url_name="approvals:list",
                visible=sees_any_item,
                order=85,
                namespaces=("approvals",),
            )
        )

        sections.register()
        reminders.register()
