from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

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
