"""Token login/logout and the API documentation page.

The organisation directory (parks, departments, officials) is served by enterprises.api.views,
which owns the directory's read rule.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularRedocView
from rest_framework import permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import BAD_INPUT
from core.api.serializers import TokenRequestSerializer, TokenSerializer


class TokenView(APIView):
    """POST: exchange username and password for an API token. DELETE: revoke the caller's token."""

    def _is_login(self) -> bool:
        request = getattr(self, "request", None)
        return request is not None and request.method == "POST"

    def get_authenticators(self):
        # Logging in needs no prior authentication, and a stale session cookie must not make
        # the login subject to the session's CSRF check.
        return [] if self._is_login() else super().get_authenticators()

    def get_permissions(self):
        return [permissions.AllowAny()] if self._is_login() else super().get_permissions()

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: BAD_INPUT},
        auth=[],
        summary=_("Log in: get an API token"),
        description=_("Send the token in the header `Authorization: Token <token>` on every later request."),
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})

    @extend_schema(
        operation_id="auth_token_destroy",
        request=None,
        responses={204: OpenApiResponse(description=_("The token no longer works."))},
        summary=_("Log out: revoke the API token"),
    )
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class RedocView(SpectacularRedocView):
    """Redoc served with local assets only.

    The stock template pulls fonts from Google (our template drops them), and Redoc's bundle
    shows a logo from cdn.redoc.ly: the Content-Security-Policy keeps the browser from asking
    for it (Redoc then hides the image), so the page makes no request outside the server.
    """

    template_name = "api/redoc.html"
    content_security_policy = (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self' blob:; worker-src 'self' blob:; connect-src 'self'"
    )

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Content-Security-Policy"] = self.content_security_policy
        return response
