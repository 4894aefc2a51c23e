"""The red/yellow/green health colours (红黄绿灯), most severe first.

Defined here, below every app, so that the project list and page (projects) can filter and show
the health that dashboards computes and stores (dashboards.health, dashboards.models.ProjectHealth)
without importing dashboards.
"""

from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

DASH = "—"


class Color(models.TextChoices):
    """Health colours, most severe first."""

    RED = "red", _("Red")
    YELLOW = "yellow", _("Yellow")
    GREEN = "green", _("Green")


# Sorting key: red first, then yellow, green, and "" (a stopped project, or not computed yet).
SEVERITY = {Color.RED.value: 0, Color.YELLOW.value: 1, Color.GREEN.value: 2, "": 3}
SHAPES = {Color.RED: "■", Color.YELLOW: "▲", Color.GREEN: "●"}


def health_badge_html(color: str):
    """The colour in words inside a shaped badge (■▲●), so it reads without colour too."""
    if not color or color not in Color.values:
        return DASH
    return format_html(
        '<span class="health health--{}"><span aria-hidden="true">{}</span> {}</span>',
        color,
        SHAPES[color],
        Color(color).label,
    )
