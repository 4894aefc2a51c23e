from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views import defaults
from rest_framework.exceptions import NotFound

from core.models import Role
from core.roles import role_of

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
    """Each role's first screen; an account without a role is told why it sees nothing."""
    role = role_of(request.user)
    if role is None:
        return render(request, "core/no_role.html")
    return redirect(HOME_BY_ROLE[role])


def page_not_found(request, exception=None):
    """handler404: under /api/ a URL that matches no endpoint (e.g. /api/v1/projects/0.5/) gets
    the API's JSON error shape, like every other API error; pages get the site's 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)
