"""The shape of a workbench (工作台): what is waiting for a viewer, in groups of to-dos with the time left.

Each domain app reads its own to-dos in a `todos.py` (`todos(viewer, today) -> list[Group]`), with the same
scope and rules as its lists and services; the `home` app lists those providers and draws the page. A group is
counted exactly and shows its first items, nearest deadline first, with a link to the full list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Items shown per group; the count and the group's link give the rest.
SHOWN = 8


@dataclass(frozen=True)
class Todo:
    title: str
    url: str
    # The day by which it must be done (None: no deadline, such as a vote that closes at a time).
    due: dt.date | None = None
    # Where and what, in a few words: "金利花园 · 电梯故障".
    detail: str = ""
    # A rule the viewer must know beside the deadline: "may be returned until 12-07 (2 working days)".
    note: str = ""


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    count: int
    items: tuple[Todo, ...] = field(default_factory=tuple)
    more_url: str = ""
    # What the viewer does with these, in a few words: "accept or dispatch".
    hint: str = ""


def group(key: str, label, queryset, to_todo, *, more_url: str = "", hint: str = "") -> Group | None:
    """A group from an ordered queryset: its exact count and its first SHOWN rows as to-dos; None when empty."""
    count = queryset.count()
    if not count:
        return None
    items = tuple(to_todo(row) for row in queryset[:SHOWN])
    return Group(key=key, label=str(label), count=count, items=items, more_url=more_url, hint=str(hint))


def urgency(due: dt.date | None, today: dt.date) -> str:
    """'overdue', 'today', 'tomorrow' or '' (later, or no deadline): how the page highlights a to-do."""
    if due is None:
        return ""
    if due < today:
        return "overdue"
    if due == today:
        return "today"
    if due == today + dt.timedelta(days=1):
        return "tomorrow"
    return ""


def time_left(due: dt.date | None, today: dt.date) -> str:
    """The time left in words: 'overdue by 2 days', 'due today', 'due tomorrow', '5 days left'."""
    if due is None:
        return ""
    days = (due - today).days
    if days < 0:
        return ngettext("overdue by %(days)s day", "overdue by %(days)s days", -days) % {"days": -days}
    if days == 0:
        return _("due today")
    if days == 1:
        return _("due tomorrow")
    return ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}
