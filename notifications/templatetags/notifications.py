"""Template helpers of the inbox: the header's unread badge, a notification's body."""

from django import template

from notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """Unread notifications of the current user (one indexed COUNT), 0 when logged out."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)


@register.filter
def without_link(notification) -> str:
    """The body without its "Open: <link>" line: in the inbox the title is the link."""
    return "\n".join(line for line in notification.body.splitlines() if notification.link not in line)
