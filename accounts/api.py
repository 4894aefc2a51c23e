"""API sign-in and sign-out: POST username/password (and the code, where a second factor is
needed) for a new token; POST /auth/logout/ (or DELETE /auth/token/) revokes it."""

from django.contrib.auth import authenticate, get_user_model, logout
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import otp, services
from accounts.models import ApiToken
from core.api.schema import BAD_INPUT
from core.api.serializers import ErrorSerializer
from core.roles import is_supervisor

LOCKED = OpenApiResponse(
    ErrorSerializer,
    description=_("Too many failed sign-ins for this account or address: `Retry-After` says when to try again."),
)
REVOKED = OpenApiResponse(description=_("The token no longer works."))


class SignInLocked(exceptions.APIException):
    """429 with Retry-After (DRF's handler sends it from `wait`); the message says until when."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked"

    def __init__(self, refusal):
        super().__init__(detail=refusal.message, code="locked")
        self.wait = refusal.retry_after_seconds


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        help_text=_("The current code of the user's authenticator app, for users with two-step verification."),
    )

    default_error_messages = {
        "credentials": _("The username or password is incorrect."),
        "otp_required": _("This account needs the code from its authenticator app (field otp)."),
    }

    def validate(self, attrs):
        request = self.context["request"]
        http_request = getattr(request, "_request", request)
        user = authenticate(request=http_request, username=attrs["username"], password=attrs["password"])
        if user is None:
            refusal = getattr(http_request, "login_refusal", None)
            if refusal is not None:
                raise SignInLocked(refusal)
            self.fail("credentials")
        device = otp.confirmed_device(user)
        if device is not None or otp.required_by_role(user):
            if not attrs.get("otp"):
                raise serializers.ValidationError({"otp": [self.error_messages["otp_required"]]})
            error = otp.check_code(user=user, device=device, code=attrs["otp"])
            if error:
                raise serializers.ValidationError({"otp": [error]})
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text=_("Shown once: only its digest is stored."))
    expiry = serializers.DateTimeField(read_only=True, allow_null=True)


def _revoke_current(request) -> None:
    """Revoke the token of this request; a session-authenticated caller is signed out."""
    if isinstance(request.auth, ApiToken):
        services.token_revoke(token=request.auth, by=request.user)
    else:
        logout(request._request)


class TokenView(APIView):
    """POST: exchange username and password for a new API token. DELETE: revoke it (as logout)."""

    def _is_login(self) -> bool:
        request = getattr(self, "request", None)
        return request is not None and request.method == "POST"

    def get_authenticators(self):
        # Signing in needs no prior authentication, and a stale session cookie must not make
        # it subject to the session's CSRF check.
        return [] if self._is_login() else super().get_authenticators()

    def get_permissions(self):
        return [permissions.AllowAny()] if self._is_login() else super().get_permissions()

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: BAD_INPUT, 429: LOCKED},
        auth=[],
        summary=_("Log in: get an API token"),
        description=_(
            "Send the token in the header `Authorization: Token <token>` on every later request. Each "
            "sign-in gives a new token, valid until `expiry`; log out to revoke it. Repeated failures lock "
            "the account and throttle the address (429)."
        ),
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, raw = services.token_issue(user=serializer.validated_data["user"], request=request)
        return Response(TokenSerializer({"token": raw, "expiry": token.expiry}).data)

    @extend_schema(
        operation_id="auth_token_destroy",
        request=None,
        responses={204: REVOKED},
        summary=_("Log out: revoke the API token"),
        description=_("The same as POST /api/v1/auth/logout/."),
    )
    def delete(self, request):
        _revoke_current(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutView(APIView):
    @extend_schema(
        operation_id="auth_logout",
        request=None,
        responses={204: REVOKED},
        summary=_("Log out: revoke the API token"),
        description=_("Revokes the token this request was sent with (a browser session is signed out)."),
    )
    def post(self, request):
        _revoke_current(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class IsSupervisor(permissions.BasePermission):
    """Checked in initial(), before the body is read (core.api.permissions)."""

    message = _("Only the supervision office may deactivate users.")

    def has_permission(self, request, view) -> bool:
        return is_supervisor(request.user)


class DeactivateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class DeactivatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    is_active = serializers.BooleanField()


class UserDeactivateView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsSupervisor]

    @extend_schema(
        operation_id="user_deactivate",
        request=DeactivateSerializer,
        responses={200: DeactivatedSerializer, 400: BAD_INPUT},
        summary=_("Deactivate a user who leaves"),
        description=_(
            "They can no longer sign in; their tokens and sessions end; their history keeps their name. "
            "Users are never deleted once they have acted."
        ),
    )
    def post(self, request, pk: int):
        user = get_object_or_404(get_user_model(), pk=pk)
        data = DeactivateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.user_deactivate(user=user, by=request.user, reason=data.validated_data.get("reason", ""))
        return Response(DeactivatedSerializer(user).data)
