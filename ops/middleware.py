"""Request ids, one access-log record per request, and 503 instead of 500 during an outage."""

import logging
import time

from ops import context
from ops.outage import is_outage, outage_response

access_logger = logging.getLogger("ops.access")


class RequestIdMiddleware:
    """First in MIDDLEWARE. Takes the request id from X-Request-ID (the proxy's or the client's)
    or makes one, binds it to every log record of the request and to the tasks it enqueues,
    returns it in the X-Request-ID response header and logs one access record at the end."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = context.accepted_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        started = time.monotonic()
        with context.bound(request_id=request_id):
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
                    "user_id": getattr(getattr(request, "user", None), "pk", None)
                    if hasattr(request, "_cached_user")
                    else None,
                },
            )
        return response


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
        logging.getLogger("django.request").error(
            "Service unavailable: %s", request.path, exc_info=exception, extra={"status_code": 503}
        )
        return outage_response(request)
