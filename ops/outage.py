"""Answers during an outage: 503 with Retry-After, never a 500 page.

A database that cannot be reached (or a connection that broke) raises Django's
OperationalError/InterfaceError; a broker that cannot be reached raises kombu's
OperationalError. Pages get a branded page (templates/503.html, rendered without the database:
no context processors, no user), the API its usual error shape as JSON.
"""

from django.conf import settings
from django.db import InterfaceError as DatabaseInterfaceError
from django.db import OperationalError as DatabaseOperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerOperationalError

OUTAGE_ERRORS = (DatabaseOperationalError, DatabaseInterfaceError, BrokerOperationalError)


def is_outage(exc: BaseException | None) -> bool:
    """True if `exc`, or an exception it was raised from, is a database or broker outage."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OUTAGE_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path.startswith("/api/") or ("application/json" in accept and "text/html" not in accept)


def outage_response(request) -> HttpResponse:
    retry_after = str(settings.OUTAGE_RETRY_AFTER)
    message = _("The service is temporarily unavailable. Please try again in a minute.")
    if wants_json(request):
        response = JsonResponse({"detail": message, "code": "service_unavailable"}, status=503)
    else:
        body = loader.render_to_string("503.html", {"retry_after": retry_after, "message": message})
        response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = retry_after
    response["Cache-Control"] = "no-store"
    return response
