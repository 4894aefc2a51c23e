"""Template helpers of intake: the menu asks intake.permissions, not a copy of its rule."""

from django import template

from intake.permissions import can_view_intake

register = template.Library()


@register.filter
def sees_intake(user) -> bool:
    return can_view_intake(user)
