"""Request ids, one access-log record per request, and 503 instead of 500 during an outage."""

import logging
import time

from django.core.signals import request_finished
from django.dispatch import receiver
from django.utils.functional import SimpleLazyObject

from ops import context
from ops.outage import is_outage, outage_response

access_logger = logging.getLogger("ops.access")
outage_logger = logging.getLogger("ops.outage")


class RequestIdMiddleware:
    """First in MIDDLEWARE. Takes the request id from X-Request-ID (the proxy's or the client's)
    or makes one, binds it to every log record of the request and to the tasks it enqueues,
    returns it in the X-Request-ID response header and logs one access record.

    The id stays bound until the response is closed (request_finished): Django logs 4xx/5xx
    responses ("django.request") after the middleware has returned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = context.accepted_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        context.request_id.set(request_id)
        started = time.monotonic()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        access_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
                "user_id": _user_id(request),
            },
        )
        return response


def _user_id(request) -> int | None:
    """The user's id if authentication already ran; never a query just for the log."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject) and not hasattr(request, "_cached_user"):
        return None
    return getattr(user, "pk", None)


@receiver(request_finished, dispatch_uid="ops.request_id.finished")
def _unbind_request_id(**kwargs):
    context.request_id.set(None)


class OutageMiddleware:
    """A view that fails because the database (or the broker) is unreachable answers 503 with
    Retry-After: a branded page, or JSON under /api/. Other errors pass on to Django's handling
    (errors raised in other middleware reach ops.views.server_error, which does the same)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        outage_logger.error("Outage answered with 503: %s", request.path, exc_info=exception)
        return outage_response(request)
