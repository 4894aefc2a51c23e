from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and sign-in")

    def ready(self):
        # Signal receivers (login, logout, failed login), system checks and the OpenAPI
        # description of the token authentication register themselves on import.
        from accounts import checks, receivers, schema  # noqa: F401
