"""{% unread_notifications %}: the viewer's number of unread appeal notifications (for the header badge)."""

from django import template

from jiayuan.appeals import selectors
from jiayuan.core.identity import mask_free_text

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return selectors.notification_list(viewer=user, unread_only=True).count()


@register.filter
def numbers_masked_unless(text: str, shown: bool) -> str:
    """{{ appeal.description|numbers_masked_unless:shows_contact }}: personal numbers typed into free text,
    in clear only for those who see the contact in clear."""
    return text if shown else mask_free_text(text)
