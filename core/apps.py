from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Organisation")

    def ready(self):
        from django.core.signals import request_finished

        from core import checks  # noqa: F401 - registers the system checks
        from core.files import discard_rolled_back_uploads

        request_finished.connect(discard_rolled_back_uploads, dispatch_uid="core.discard_rolled_back_uploads")
