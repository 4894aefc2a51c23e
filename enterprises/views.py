"""Browser pages for the enterprise directory: search, and one enterprise with the sections the apps
above add to its page (enterprises.sections: its projects, …)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from core.filters import page_of
from enterprises.filters import EnterpriseFilter
from enterprises.sections import ENTERPRISE_PAGE
from enterprises.selectors import enterprises_visible_to, service_teams_visible_to

PAGE_SIZE = 50


@login_required
def enterprise_list_view(request):
    filters = EnterpriseFilter(
        request.GET, queryset=enterprises_visible_to(request.user).order_by("-is_key", "name"), request=request
    )
    page = page_of(request, filters.qs, PAGE_SIZE, filters)
    return render(
        request,
        "enterprises/list.html",
        {"form": filters.form, "filters": filters, "page": page, "enterprises": page.object_list},
    )


@login_required
def enterprise_detail_view(request, pk):
    enterprise = get_object_or_404(enterprises_visible_to(request.user), pk=pk)
    return render(
        request,
        "enterprises/detail.html",
        {
            "enterprise": enterprise,
            "sections": ENTERPRISE_PAGE.sections_for(request, enterprise, can_edit=False),
            "teams": service_teams_visible_to(request.user).filter(enterprises=enterprise),
        },
    )
