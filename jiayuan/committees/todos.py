"""What is waiting in committee life for a viewer, for the workbench: filings due (30 days after the election)
for the community, town or city over the compound; open rectification tasks for those who may complete them
(the levels above, the committee's members and the compound branch's leaders); terms ending within six months
or ended without a successor, for the levels above.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiayuan.core.scope import RUNS_COMPOUND_ROLES, scope_for
from jiayuan.core.workbench import Group, Todo, group

from . import selectors
from .terms import FILING_DAYS, filing_deadline


def _committee_url(committee) -> str:
    return reverse("committees:committee_detail", args=[committee.pk])


def _filing_todo(committee) -> Todo:
    return Todo(
        title=committee.name,
        url=_committee_url(committee),
        due=filing_deadline(committee),
        note=_("file within %(days)s days of the election") % {"days": FILING_DAYS},
    )


def _task_todo(task) -> Todo:
    return Todo(
        title=task.description[:80],
        url=reverse("committees:task_list") + f"#task-{task.pk}",
        due=task.due_on,
        detail=task.committee.name,
    )


def _term_todo(committee) -> Todo:
    return Todo(
        title=committee.name,
        url=_committee_url(committee),
        due=committee.term_end,
        note=_("the next election must be organised before the term ends"),
    )


def todos(viewer, today: dt.date) -> list[Group | None]:
    scope = scope_for(viewer)
    groups: list[Group | None] = []
    runs = [pk for pk, role in scope.compound_posts if role in RUNS_COMPOUND_ROLES]
    if not scope.oversees_places and not runs:
        return groups
    tasks = selectors.task_list(viewer=viewer, open_only=True)
    if not scope.oversees_places:
        tasks = tasks.filter(committee__compounds__in=runs).distinct()
    groups.append(
        group(
            "committees.tasks",
            gettext_lazy("Rectification tasks due"),
            tasks.order_by("due_on", "pk"),
            _task_todo,
            more_url=reverse("committees:task_list"),
        )
    )
    if scope.oversees_places:
        overview = selectors.filing_overview(viewer=viewer, today=today)
        unfiled = (overview["overdue"] | overview["due"]).order_by("established_on", "pk")
        terms = selectors.term_overview(viewer=viewer, today=today)
        ending = (terms["soon"] | terms["expired"]).filter(~Q(term_end=None)).order_by("term_end", "pk")
        groups += [
            group(
                "committees.filings",
                gettext_lazy("Committee filings due"),
                unfiled,
                _filing_todo,
                more_url=reverse("committees:index"),
            ),
            group(
                "committees.terms",
                gettext_lazy("Committee terms ending"),
                ending,
                _term_todo,
                more_url=reverse("committees:index"),
            ),
        ]
    return groups
