"""The workbench (工作台) every login lands on: its posts, named one by one, and what is waiting for it in every
app, counted and listed with the time left. A domain app adds its to-dos by adding its `todos` here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from jiayuan.appeals import todos as appeal_todos
from jiayuan.committees import todos as committee_todos
from jiayuan.core.workbench import Group, Todo, time_left, urgency
from jiayuan.elections import todos as election_todos
from jiayuan.organisations.models import Post

PROVIDERS = (appeal_todos.todos, election_todos.todos, committee_todos.todos)


@dataclass(frozen=True)
class Shown:
    """A to-do as the page draws it: highlighted by urgency, with the time left in words."""

    todo: Todo
    urgency: str
    time_left: str


@dataclass(frozen=True)
class ShownGroup:
    group: Group
    items: tuple[Shown, ...]
    overdue: int


def waiting(viewer, today: dt.date | None = None) -> list[ShownGroup]:
    """Every provider's non-empty groups, in the providers' order, each to-do with its urgency."""
    today = today or timezone.localdate()
    shown = []
    for provider in PROVIDERS:
        for group in provider(viewer, today):
            if group is None:
                continue
            items = tuple(Shown(todo, urgency(todo.due, today), time_left(todo.due, today)) for todo in group.items)
            shown.append(ShownGroup(group, items, sum(1 for item in items if item.urgency == "overdue")))
    return shown


def posts_held(viewer, today: dt.date | None = None) -> list[Post]:
    """The viewer's current posts, each with its organisation: the labels the workbench is headed with."""
    person_id = getattr(viewer, "person_id", None)
    if person_id is None:
        return []
    today = today or timezone.localdate()
    return list(
        Post.objects.filter(person_id=person_id)
        .current_on(today)
        .select_related("organisation", "building")
        .order_by("organisation__kind", "organisation__name", "role")
    )
