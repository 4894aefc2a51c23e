import posixpath

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.views import defaults
from django.views.static import serve
from rest_framework.exceptions import NotFound

from core.models import Role
from core.roles import role_of

# Uploads kept for the application's own use (e.g. imported workbooks), never served.
PRIVATE_MEDIA_PREFIX = "private/"

# Each role's first screen: leaders and supervisors read the cockpit, handlers and service
# teams work from their issue queue, project officials keep their projects current.
HOME_BY_ROLE = {
    Role.LEADER: "dashboards:cockpit",
    Role.SUPERVISOR: "dashboards:cockpit",
    Role.HANDLER: "issues:home",
    Role.STAFF: "issues:home",
    Role.OFFICIAL: "projects:list",
}


@login_required
def home(request):
    return redirect(HOME_BY_ROLE.get(role_of(request.user), "projects:list"))


@login_required
def media(request, path):
    """Uploaded photos and evidence, for logged-in users only, also in production.

    MEDIA_ROOT is read per request (not captured when the URLconf loads), so a changed setting,
    as in the test suite, is honoured.
    """
    if posixpath.normpath(path).lstrip("/").startswith(PRIVATE_MEDIA_PREFIX):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def page_not_found(request, exception=None):
    """handler404: under /api/ a URL that matches no endpoint (e.g. /api/v1/projects/0.5/) gets
    the API's JSON error shape, like every other API error; pages get the site's 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)
