from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Pre-construction approvals")

    def ready(self):
        from approvals import reminders, sections

        sections.register()
        reminders.register()
