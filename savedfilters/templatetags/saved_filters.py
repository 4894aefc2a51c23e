"""`{% saved_filters_bar "projects:list" %}`: the user's saved filters of a list as links, each
deletable, and a form to save the current filters under a name (shown when some are set)."""

from django import template
from django.urls import reverse

from savedfilters.selectors import saved_filters_for
from savedfilters.services import clean_query

register = template.Library()


@register.inclusion_tag("savedfilters/bar.html", takes_context=True)
def saved_filters_bar(context, page: str, show_save: bool = True):
    request = context["request"]
    current = clean_query(request.GET.urlencode())
    saved = list(saved_filters_for(user=request.user, page=page))
    base = reverse(page)
    return {
        "page": page,
        "base": base,
        "saved": [{"obj": s, "url": f"{base}?{s.query}", "active": s.query == current} for s in saved],
        "current": current,
        "show_save": show_save and bool(current),
        "csrf_token": context.get("csrf_token"),
    }
