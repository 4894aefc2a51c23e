from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        from campaigns.permissions import can_view_campaigns
        from core.menu import MAIN_MENU, MenuEntry

        MAIN_MENU.register(
            MenuEntry(
                key="campaigns",
                label=_("Campaigns"),
                url_name="campaigns:list",
                visible=can_view_campaigns,
                order=60,
                namespaces=("campaigns",),
            )
        )
