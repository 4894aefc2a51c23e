"""Display helpers for projects: the stage as a badge, links to a project page only for those who may open it."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from core.rates import DASH
from projects.models import Stage
from projects.selectors import can_view_project

register = template.Library()


@register.simple_tag
def stage_badge(stage: str):
    """The stage as a coloured badge; the colour class follows the life cycle."""
    if not stage:
        return DASH
    try:
        label = Stage(stage).label
    except ValueError:
        label = stage
    return format_html('<span class="badge stage stage-{}">{}</span>', stage, label)


def _may_open(context, project) -> bool:
    """can_view_project for the page's user, remembered for the rest of the page."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if request is None:
        return can_view_project(user, project)
    cache = request.__dict__.setdefault("_projects_openable", {})
    if project.pk not in cache:
        cache[project.pk] = can_view_project(user, project)
    return cache[project.pk]


@register.simple_tag(takes_context=True)
def project_link(context, project, text=None, milestone=None, css=""):
    """The project's name linked to its page when the user may open it, else the name alone
    (a handler reads the project context on the issue page; the project page would answer 404)."""
    if project is None:
        return DASH
    label = project.name if text is None else text
    if not _may_open(context, project):
        return format_html('<span class="{}">{}</span>', css, label) if css else format_html("{}", label)
    url = reverse("projects:detail", args=[project.pk]) + (f"#milestone-{milestone.pk}" if milestone else "")
    if css:
        return format_html('<a class="{}" href="{}">{}</a>', css, url, label)
    return format_html('<a href="{}">{}</a>', url, label)


@register.simple_tag(takes_context=True)
def may_open_project(context, project) -> bool:
    """For templates that build their own link: {% may_open_project p as openable %}."""
    return project is not None and _may_open(context, project)
