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


def _first_message(value) -> str:
    """The first readable message in DRF's nested errors ({0: [ErrorDetail…]} for a list item)."""
    while isinstance(value, (list, tuple, dict)):
        if not value:
            return ""
        value = next(iter(value.values())) if isinstance(value, dict) else value[0]
    return str(value)


def _plain(value):
    """Field errors as plain JSON: lists of strings, nested lists/dicts kept, no reprs."""
    if isinstance(value, dict):
        if value and all(str(k).isdigit() for k in value):
            # A list field's errors by item ({0: [...]}): one flat list of messages.
            return [m for v in value.values() for m in (_plain(v) if isinstance(v, (list, dict)) else [str(v)])]
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


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
        fields = {str(k): _plain(v) for k, v in dict(response.data).items()}
        response.data = {**fields, "detail": _first_message(fields), "code": "invalid"}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data["code"] = getattr(exc.detail, "code", None) or exc.default_code
    return response
