"""The demo city's appeal history, and the leaking-pipe story a visitor can finish.

    build_demo_appeals(seed=2026, months=6, count=3000)   # called at the end of jiayuan.demo.build_demo

History. About `count` appeals over the last `months` months (up to the start of today), fully
determined by the seed and the day: residents of every compound report problems (reporters are
owners, picked by household so bigger compounds report more; the category mix leans on water,
hygiene, parking, property service and lifts). About 60% are handled by the compound, 15% through
a four-party meeting, and 25% escalate to the community and are whistled to the city department
the dispatch catalogue names (`services.department_for`); a few are returned (退单) and reassigned,
a few get an extension. Each appeal walks the declared moves (`workflow.APPEAL`) with its
AppealEvent rows; deadlines are working days (`workdays.add_workdays` with the holiday table) from
intake and from each dispatch; what had not happened by the start of today stays open, so the
recent orders are open, a few stalled ones are overdue (flagged and supervised as the scheduled
job would have done), and most resolved orders were rated, mostly satisfied. With each rating the resident
answered the 12345 questions: contacted by the handling unit (about 97% yes) and problem solved (about
90% yes), the answers leaning on the rating (a dissatisfied resident often says it was not solved).

It is written the fast way, as the rest of the demo city: the rows are planned in memory and
bulk-created (appeal primary keys assigned up front so numbers follow the JY<date><pk> rule; the
PostgreSQL sequence is reset afterwards), with one "imported" audit entry per table.

The story (“Done when”). The demo resident (吴淑芬, login `resident`) of 金利花园 reports a
leaking pipe through the real services: the property manager accepts it, the compound cannot
fix it and escalates to the community, and the community secretary whistles to the water
department. It is left dispatched at department level, before its deadline, so a visitor
logged in as the water department (login `shuiwu`, created here when a password is given; or as
`admin`) can start and resolve it, the resident can rate it, and the department's rates move on
/appeals/scores/.

The parts: `history` plans the appeal history (each appeal's life is played by `life`); `story` plays
the leaking pipe through the services and adds the water department's login; this module writes them.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.appeals.models import Appeal, AppealEvent
from jiayuan.core.models import AuditEntry
from jiayuan.demo.city.data import DEMO_NOTE

from .history import HistoryPlanner, read_city
from .story import WATER_LOGIN, leaking_pipe, water_login_create

BATCH = 2000


def demo_logins() -> list[tuple[str, str]]:
    """(username, role) of the logins this module adds to the demo city's, for `jiayuan demo` to list."""
    return [(WATER_LOGIN, _("water department staff"))]


@dataclass
class DemoAppeals:
    counts: dict[str, int]
    story: Appeal | None = None
    water_login: str = ""
    skipped: list[str] = field(default_factory=list)


@contextmanager
def _given_event_times():
    """bulk_create would stamp AppealEvent.at with the current time (auto_now_add); keep the planned times."""
    at = AppealEvent._meta.get_field("at")
    saved = at.auto_now_add
    at.auto_now_add = False
    try:
        yield
    finally:
        at.auto_now_add = saved


def _reset_sequences(*models) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# --- the entry point -------------------------------------------------------------------------------


def build_demo_appeals(
    seed: int = 2026,
    months: int = 6,
    count: int = 3000,
    *,
    today: dt.date | None = None,
    password: str | None = None,
    story: bool = True,
) -> DemoAppeals:
    """Write the appeal history of the demo city and the leaking-pipe story. Call inside the demo's transaction."""
    if months < 1 or count < 0:
        raise ValueError("months must be at least 1 and count not negative")
    today = today or timezone.localdate()
    result = DemoAppeals(counts={})
    city = read_city(today)
    if not city.owners or not city.categories:
        result.skipped.append("no owners or no categories: the appeal history was not built")
        return result
    end = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    first_month = dt.date(today.year, today.month, 1)
    for _step in range(months - 1):
        first_month = (first_month - dt.timedelta(days=1)).replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(first_month, dt.time.min))
    first_pk = (Appeal.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    appeals, events = HistoryPlanner(seed, city, start, end, first_pk).plan(count)
    Appeal.objects.bulk_create(appeals, batch_size=BATCH)
    with _given_event_times():
        AppealEvent.objects.bulk_create(events, batch_size=BATCH)
    _reset_sequences(Appeal)
    result.counts = {"appeals.appeal": len(appeals), "appeals.appealevent": len(events)}
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=None,
                actor_name="system",
                action=AuditEntry.Action.IMPORT,
                object_type=label,
                object_id="*",
                object_repr=f"demo appeals: {number} rows",
                note=f"{DEMO_NOTE}, seed {seed}: {number} rows bulk-created (appeal history)",
            )
            for label, number in result.counts.items()
        ]
    )
    result.water_login = water_login_create(password)
    if story:
        result.story = leaking_pipe()
        if result.story is not None:  # written through the services, one appeal and its events
            result.counts["appeals.appeal"] += 1
            result.counts["appeals.appealevent"] += result.story.events.count()
    return result
