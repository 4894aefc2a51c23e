"""Display helpers for projects: the stage as a badge."""

from django import template
from django.utils.html import format_html

from core.rates import DASH
from projects.models import Stage

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
