from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Project intake and dispatch list")

    def ready(self):
        from intake import sections

        sections.register()
