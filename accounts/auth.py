"""DRF authentication by API token: `Authorization: Token <token>` (accounts.ApiToken)."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.backends import is_demo_account
from accounts.models import ApiToken

KEYWORD = "Token"
# "Last used" is precise to the minute: no write on every request.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    """Looks the token up by its digest (one indexed query) and refuses an expired one (deleting
    it), one of an inactive user, and the demo logins' with DEBUG off. Records when a token was
    last used."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header. No credentials provided."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        return self.authenticate_credentials(raw)

    def authenticate_credentials(self, raw: str):
        token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        if token.expiry is not None and token.expiry <= now:
            token.delete()
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = token.user
        if not user.is_active or (not settings.DEBUG and is_demo_account(user.get_username())):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return user, token

    def authenticate_header(self, request):
        return KEYWORD
