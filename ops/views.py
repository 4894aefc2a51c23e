"""Endpoints for operators and orchestration: /healthz, /readyz, /metrics; and the 500 handler
that turns an outage into a 503. None needs a login; none shows a secret."""

import hmac
import ipaddress
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ops import health, metrics
from ops.outage import is_outage, outage_response


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """The process is alive and serving: touches neither the database nor the broker."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def readyz(request):
    """Ready for traffic: database reachable, migrations applied, broker reachable, media
    writable. 200 when all pass, else 503; the body lists each check."""
    ready, checks = health.readiness()
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


def _metrics_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
    # No token configured: this host only. REMOTE_ADDR is the peer of the socket (X-Forwarded-For
    # is never read), so behind the proxy every request comes from the proxy and is refused.
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@login_not_required
@never_cache
@require_GET
def metrics_view(request):
    """Prometheus text format (version 0.0.4), for operators' scrapers."""
    if not _metrics_allowed(request):
        if not settings.METRICS_TOKEN:
            return HttpResponse("Forbidden\n", status=403, content_type="text/plain; charset=utf-8")
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain; charset=utf-8")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body, content_type = metrics.render()
    return HttpResponse(body, content_type=content_type)


def server_error(request, *args, **kwargs):
    """handler500: an outage (database or broker unreachable) answers 503, anything else is
    Django's 500 page."""
    if is_outage(sys.exc_info()[1]):
        return outage_response(request)
    return defaults.server_error(request, *args, **kwargs)
