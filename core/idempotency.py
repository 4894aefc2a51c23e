"""Idempotent API writes: the `Idempotency-Key` request header (issue #10 item 2).

A client that does not know whether its write went through (a timeout, a lost answer, a 502 of
the proxy) sends it again with the same key and gets the first answer back instead of a second
reply, issue or report. Implemented once, for every state-changing call under /api/
(IdempotencyMiddleware):

- The scope of a key is (user, key, method, path). The first request with it records the key,
  runs, and stores its answer (status, body, content type, Location) for IDEMPOTENCY_TTL_HOURS.
- A repeat within that time gets the stored answer, with the same status and the header
  `Idempotent-Replayed: true`; the view does not run again.
- The same key with a different body (or query string) is refused with 422
  (`idempotency_key_reused`): a key names one request, not a slot.
- While the first request is still running, a concurrent one with its key gets 409
  (`idempotency_key_in_use`, Retry-After: 1): one wins, nothing runs twice.
- An answer of 500 or more is not stored (the key is released), so the client may retry.
- Without the header nothing changes; anonymous requests (sign-in) are not keyed.

The body's fingerprint is the SHA-256 of the raw body; for multipart uploads (whose boundary
differs between tries) it is computed from the parsed fields and each file's name, size and
content, after the view has parsed them, so upload handling is unchanged.
"""

import datetime
import hashlib
import json
import logging

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions as drf_exceptions
from rest_framework.request import Request
from rest_framework.settings import api_settings

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_KEY_LENGTH = 255
# Headers of the first answer that a replay repeats (besides the content type).
KEPT_HEADERS = ("Location", "Content-Disposition")


class IdempotencyRecord(models.Model):
    """One Idempotency-Key of one user for one method and path, with the answer it got."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(gettext_lazy("idempotency key"), max_length=MAX_KEY_LENGTH)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    # SHA-256 of method and path: the unique constraint's column (a path can be long).
    scope = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64, blank=True)
    # Empty while the first request runs.
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    body = models.BinaryField(default=b"", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "core"
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "scope"], name="idempotency_key_once_per_user_scope")
        ]
        verbose_name = gettext_lazy("idempotency key")
        verbose_name_plural = gettext_lazy("idempotency keys")

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"


def _error(status: int, message: str, code: str, **headers) -> JsonResponse:
    """The API's one error shape (core.api.exceptions)."""
    response = JsonResponse({"detail": message, "code": code}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and all(32 < ord(c) < 127 for c in key)


def _authenticated_user(request):
    """The user the API view will see (token or session), or None: authentication runs again
    in the view, which answers a failure with its usual 401/403."""
    drf_request = Request(request, authenticators=[cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES])
    try:
        user = drf_request.user
    except drf_exceptions.APIException:
        return None
    return user if user is not None and user.is_authenticated else None


def _is_multipart(request) -> bool:
    return request.content_type == "multipart/form-data"


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    digest.update(request.META.get("QUERY_STRING", "").encode())
    digest.update(b"\0")
    if _is_multipart(request):
        for name in sorted(request.POST):
            for value in request.POST.getlist(name):
                digest.update(json.dumps([name, value], ensure_ascii=False).encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                digest.update(json.dumps([name, upload.name, upload.size], ensure_ascii=False).encode())
                try:
                    for chunk in upload.chunks():
                        digest.update(chunk)
                    upload.seek(0)
                except (OSError, ValueError):
                    # Already moved or closed by the view: its name and size stand for it.
                    pass
    else:
        digest.update(request.content_type.encode())
        digest.update(b"\0")
        digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type or None)
    for name, value in record.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def _scope(method: str, path: str) -> str:
    return hashlib.sha256(f"{method} {path}".encode()).hexdigest()


def idempotency_records_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the records whose day is over (beat runs it hourly); returns how many."""
    deleted, _per_model = IdempotencyRecord.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


class IdempotencyMiddleware:
    """Place after the authentication middleware. See the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method not in UNSAFE_METHODS or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not _valid_key(key):
            return _error(
                400,
                _("The Idempotency-Key header must be 1 to 255 visible ASCII characters."),
                "invalid_idempotency_key",
            )
        user = _authenticated_user(request)
        if user is None:
            return self.get_response(request)
        return self._keyed(request, user, key)

    def _keyed(self, request, user, key: str):
        now = timezone.now()
        scope = _scope(request.method, request.path)
        # A multipart body is fingerprinted after the view parsed it (upload handlers stay the view's).
        fingerprint = "" if _is_multipart(request) else _fingerprint(request)
        for _attempt in range(2):
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        user=user,
                        key=key,
                        method=request.method,
                        path=request.path[:2000],
                        scope=scope,
                        fingerprint=fingerprint,
                        expires_at=now + datetime.timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS),
                    )
                break
            except IntegrityError:
                existing = IdempotencyRecord.objects.filter(user=user, key=key, scope=scope).first()
                if existing is None or existing.expires_at <= now:
                    # Gone or expired: a fresh start with this key.
                    IdempotencyRecord.objects.filter(user=user, key=key, scope=scope, expires_at__lte=now).delete()
                    continue
                return self._repeat(request, existing, fingerprint)
        else:
            return self._in_use()
        return self._first(request, record)

    def _repeat(self, request, existing: IdempotencyRecord, fingerprint: str):
        if _is_multipart(request) and existing.fingerprint:
            fingerprint = _fingerprint(request)
        if existing.fingerprint and fingerprint != existing.fingerprint:
            return _error(
                422,
                _("This Idempotency-Key was used for a different request. Use a new key for a new request."),
                "idempotency_key_reused",
            )
        if existing.status_code is None:
            return self._in_use()
        return _replay(existing)

    @staticmethod
    def _in_use():
        return _error(
            409,
            _("A request with this Idempotency-Key is still being processed. Try again in a moment."),
            "idempotency_key_in_use",
            Retry_After="1",
        )

    def _first(self, request, record: IdempotencyRecord):
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        if response.status_code >= 500 or response.streaming:
            # Not a result to repeat: release the key so that a retry runs again.
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            return response
        record.status_code = response.status_code
        record.content_type = response.get("Content-Type", "")
        record.headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        record.body = response.content
        if _is_multipart(request):
            record.fingerprint = _fingerprint(request)
        record.save(update_fields=["status_code", "content_type", "headers", "body", "fingerprint"])
        return response
