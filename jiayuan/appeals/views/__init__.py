"""Appeal pages: intake, "my appeals", notifications, staff work lists, the detail page and its actions.

Every appeal comes through a scoped selector, so one outside the viewer's scope answers
404; an action the viewer may not take on a visible appeal answers 403 with a message.
Actions post with the version of the appeal the viewer saw: when someone else changed it
in the meantime the viewer gets 409, the current state and their own input back.
htmx requests get the live part of the page (facts, action panel, timeline) only.
"""

from ._common import MINE_PAGE_SIZE
from .detail import appeal_act, appeal_contact, appeal_detail, appeal_photo, appeal_public
from .intake import intake, intake_places
from .lists import appeal_export, appeal_list, department_work
from .mine import my_appeals, notifications, notifications_read

__all__ = [
    "MINE_PAGE_SIZE",
    "appeal_act",
    "appeal_contact",
    "appeal_detail",
    "appeal_export",
    "appeal_list",
    "appeal_photo",
    "appeal_public",
    "department_work",
    "intake",
    "intake_places",
    "my_appeals",
    "notifications",
    "notifications_read",
]
