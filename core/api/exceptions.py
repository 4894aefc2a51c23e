"""Turn every error into one response shape.

{"detail": "<first message>", "code": "<code>", "<field>": ["<message>", ...], ...}: field
errors stay at the top level as DRF clients expect, and `detail` always carries a readable
message in the user's language.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = ApplicationError.from_validation_error(exc)
    if isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        # DRF's own "Not found." (translated), not "No Project matches the given query.".
        exc = drf_exceptions.NotFound()
    if isinstance(exc, ApplicationError):
        body = {**exc.fields, "detail": exc.message, "code": exc.code}
        return Response(body, status=exc.status_code)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf_exceptions.ValidationError) and not isinstance(response.data, dict):
        response.data = {"non_field_errors": response.data}
    if isinstance(exc, drf_exceptions.ValidationError):
        fields = dict(response.data)
        first = next(iter(fields.values()), [""])
        detail = first[0] if isinstance(first, list) and first else str(first)
        response.data = {**fields, "detail": str(detail), "code": "invalid"}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data["code"] = getattr(exc.detail, "code", None) or exc.default_code
    return response
