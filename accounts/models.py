"""Sign-in state kept in the database, so that every web process sees the same: API tokens
(stored hashed) and the failed-login counters behind lock-out and throttling."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

#: Every token starts with this, so that secret scanners and people recognise one.
TOKEN_PREFIX = "mpt_"  # noqa: S105 (a label, not a secret)
TOKEN_KEY_LENGTH = 12


class ApiTokenManager(models.Manager):
    def issue(self, *, user, ttl: datetime.timedelta | None) -> tuple["ApiToken", str]:
        """A new token for the user: returns the row and the token itself, which is not stored."""
        raw = TOKEN_PREFIX + secrets.token_hex(32)
        token = self.create(
            user=user,
            token_key=raw[:TOKEN_KEY_LENGTH],
            digest=ApiToken.digest_of(raw),
            expiry=timezone.now() + ttl if ttl is not None else None,
        )
        return token, raw


class ApiToken(models.Model):
    """An API token. Only its SHA-256 digest is stored: nobody, not even a superuser in the
    admin, can read a live token back. `token_key`, its first characters, is enough to
    recognise it in a list and far too little to use it (256 random bits follow)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    token_key = models.CharField(_("token prefix"), max_length=TOKEN_KEY_LENGTH, editable=False)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created at"), auto_now_add=True)
    expiry = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = ApiTokenManager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.token_key}… ({self.user})"

    @staticmethod
    def digest_of(raw: str) -> str:
        # The token is 256 random bits: a fast hash is enough (there is nothing to guess).
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def is_expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()


class LoginThrottle(models.Model):
    """Failed sign-ins of one account (the user name as typed) or one client address.

    Counted in a window: `failures` since `window_started_at`; reaching the limit locks the key
    until `locked_until`. Rows are updated under a row lock (accounts.lockout), so concurrent
    web processes never lose a count.
    """

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("Account")
        ADDRESS = "address", _("Address")

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("account or address"), max_length=150)
    failures = models.PositiveIntegerField(_("failures in the window"), default=0)
    window_started_at = models.DateTimeField(_("window started at"))
    last_failure_at = models.DateTimeField(_("last failure at"), null=True, blank=True, db_index=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    refused = models.PositiveIntegerField(
        _("attempts refused while locked"), default=0, help_text=_("Since the last lock-out.")
    )

    class Meta:
        ordering = ["-last_failure_at"]
        verbose_name = _("sign-in lock")
        verbose_name_plural = _("sign-in locks")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class TwoStepDevice(TOTPDevice):
    """django-otp's TOTP device under a translated name, for the admin."""

    class Meta:
        proxy = True
        verbose_name = _("two-step verification device")
        verbose_name_plural = _("two-step verification devices")
