"""{% unread_notifications %}: the viewer's number of unread appeal notifications (for the header badge)."""

from django import template

from jiayuan.appeals import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return selectors.notification_list(viewer=user, unread_only=True).count()
