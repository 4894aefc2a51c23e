from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScaleConfig(AppConfig):
    """Tooling above every other app: the province-scale data generator used by `bench/`."""

    name = "scale"
    verbose_name = _("Scale data")
