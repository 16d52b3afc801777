"""The demo city: a seeded Jinjiang (晋江市) whose coverage figures match the source reports.

    result = build_demo(seed=2026, password="jiayuan2026")   # `jiayuan demo` calls this

The package: `data` holds the fixed names (towns, communities, the compounds and
people the reports name, name parts), `planner` plans every object in memory, and
this module writes the plan, checks the figures and lists the demo logins.

It holds the 19 real towns and subdistricts, 56 communities, 347 compounds (the
compounds the reports name among them), 1612 buildings, some 31 000 rooms and
37 000 people, and the organisations and posts from which the dashboard's own
queries (`dashboard.selectors.coverage_report`) give, as of today: party
organisation coverage 100% (288 compound branches, 59 of them joint branches of
two or three small compounds), owners'-committee formation 100%, 59 compounds with
一肩挑, 138 community two-committee members holding a compound lead post, 1612
party-member building heads and 288 party venues. The 82 city departments are each
linked (挂钩联系) to one of 82 poorly managed compounds by an `outreach.DepartmentLink` row.
Nothing is typed in: before committing, the builder runs the coverage report and
refuses to commit if any figure differs.

How it is written. Going through the services one object at a time (a transaction
and an audit row each) takes many minutes on SQLite for this many rows. So
`plan_demo` plans every object in memory first (no database access, fully
determined by the seed), keeping the rules the services keep: ID numbers and
phones pass `people.services.person_fields` (validated, encrypted, hashed), a
committee has an odd 5 to 11 seats filled exactly, a single post has one current
holder, a building one current head from the branch covering it, a grid one
worker. `build_demo` then writes each model with `bulk_create` inside one
transaction and records ONE audit entry per object type (action "imported",
actor "system", note "demo city build, seed N"), so the audit trail shows how
the data arrived without 100 000 rows of its own.

Re-running. The demo is only built into an empty database (no city, person,
organisation or login). If the demo is there already, `jiayuan demo` says so,
prints the logins and exits 0 (so `make demo` can run it every time); if anything
else is there it refuses. There is deliberately no --reset: audit entries cannot
be deleted (append-only, enforced by a trigger on PostgreSQL), so a wipe could
never be complete. To rebuild, use a fresh database (delete var/jiayuan.sqlite3,
or point JIAYUAN_VAR_DIR or DATABASE_URL elsewhere), migrate and run it again.

Dates. Events lie in 2016-2025 (current posts mostly 2023-2025) and current
committee terms end in 2027-2030. Built after 2026, every event date moves on by
whole years, so the figures as of today stay true whenever the demo is built.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jiayuan.appeals import demo as appeals_demo
from jiayuan.appeals.demo import build_demo_appeals
from jiayuan.appeals.seeds import seed_dispatch_catalogue
from jiayuan.committees.demo import build_demo_committees
from jiayuan.core.models import AuditEntry, User
from jiayuan.core.scope import scope_for
from jiayuan.elections import demo as elections_demo
from jiayuan.elections.demo import build_demo_elections
from jiayuan.organisations.models import Organisation, PartyVenue, Post, ServiceContract
from jiayuan.outreach.models import DepartmentLink
from jiayuan.people.models import Ownership, PartyMembership, Person, Residency
from jiayuan.places.models import Building, City, Community, Compound, Grid, Room, Town, Unit

from .data import DEFAULT_PASSWORD, DEFAULT_SEED, DEMO_NOTE, PERSONAS, TARGETS
from .planner import Plan, plan_demo

__all__ = [
    "DEFAULT_PASSWORD",
    "DEFAULT_SEED",
    "PERSONAS",
    "TARGETS",
    "DemoLogin",
    "DemoResult",
    "Plan",
    "build_demo",
    "coverage_figures",
    "database_empty",
    "demo_logins",
    "demo_present",
    "demo_seed",
    "plan_demo",
]

# --- writing -----------------------------------------------------------------
BATCH = 2000


def _write(plan: Plan, *, password: str) -> dict[str, int]:
    counts: dict[str, int] = {}

    def bulk(model, objects):
        model.objects.bulk_create(objects, batch_size=BATCH)
        label = model._meta.label_lower
        counts[label] = counts.get(label, 0) + len(objects)

    orgs = plan.organisations
    bulk(City, [plan.city])
    bulk(Town, plan.towns)
    bulk(Community, plan.communities)
    bulk(Organisation, [o for o in orgs if o.demo_wave == 0])
    bulk(Organisation, [o for o in orgs if o.demo_wave == 1])
    bulk(Compound, plan.compounds)
    bulk(Grid, plan.grids)
    bulk(Organisation, [o for o in orgs if o.demo_wave == 2])
    Organisation.compounds.through.objects.bulk_create(
        [Organisation.compounds.through(organisation_id=o.pk, compound_id=c.pk) for o, c in plan.org_compounds],
        batch_size=BATCH,
    )
    Grid.compounds.through.objects.bulk_create(
        [Grid.compounds.through(grid_id=g.pk, compound_id=c.pk) for g, c in plan.grid_compounds], batch_size=BATCH
    )
    for model, objects in (
        (Building, plan.buildings),
        (Unit, plan.units),
        (Room, plan.rooms),
        (Person, plan.persons),
        (Ownership, plan.ownerships),
        (Residency, plan.residencies),
        (PartyMembership, plan.memberships),
        (Post, plan.posts),
        (ServiceContract, plan.contracts),
        (PartyVenue, plan.venues),
        (DepartmentLink, plan.department_links),
    ):
        bulk(model, objects)
    users = []
    for persona in PERSONAS:
        user = User(
            username=persona.username,
            person=plan.personas[persona.username],
            is_superuser=persona.superuser,
            is_staff=persona.superuser,
        )
        user.set_password(password)
        users.append(user)
    bulk(User, users)
    note = f"{DEMO_NOTE}, seed {plan.seed}"
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=None,
                actor_name="system",
                action=AuditEntry.Action.IMPORT,
                object_type=label,
                object_id="*",
                object_repr=f"demo city: {count} rows",
                note=f"{note}: {count} rows bulk-created",
            )
            for label, count in counts.items()
        ]
    )
    return counts


@dataclass
class DemoResult:
    seed: int
    counts: dict[str, int]
    figures: dict[str, object]
    fingerprint: str


def coverage_figures(*, viewer, day: dt.date | None = None) -> dict[str, object]:
    """The report figures, as the dashboard computes them (rates as exact fractions)."""
    from jiayuan.dashboard.selectors import coverage_report

    total = coverage_report(viewer=viewer, day=day or timezone.localdate()).total
    return {
        "compounds": total.compounds,
        "party_org_coverage": total.party_org_coverage,
        "committee_formation": total.committee_formation,
        "yijiantiao_compounds": total.yijiantiao_compounds,
        "two_committee_post_holders": total.two_committee_post_holders,
        "building_heads": total.building_heads,
        "party_venues": total.party_venues,
        "red_committees": total.red_committees,
    }


def build_demo(
    *, seed: int = DEFAULT_SEED, password: str = DEFAULT_PASSWORD, today: dt.date | None = None
) -> DemoResult:
    """Plan and write the demo city in one transaction; nothing is committed unless the figures match."""
    if not password:
        raise ValueError("the demo password must not be empty")
    today = today or timezone.localdate()
    plan = plan_demo(seed=seed, today=today)
    with transaction.atomic():
        counts = _write(plan, password=password)
        admin = User.objects.get(username="admin")
        figures = coverage_figures(viewer=admin, day=today)
        wrong = {k: (figures[k], v) for k, v in TARGETS.items() if figures[k] != v}
        if wrong:
            raise RuntimeError(f"the demo city does not reproduce the report figures (got, wanted): {wrong}")
        seed_dispatch_catalogue()  # the dispatch catalogue names the 82 departments just written
        appeals = build_demo_appeals(seed=seed, today=today, password=password)  # history and the leaking-pipe story
        counts.update(appeals.counts)
        if appeals.water_login:  # the water department's login, created with the history
            counts["core.user"] = counts.get("core.user", 0) + 1
        elections = build_demo_elections(
            seed=seed, today=today, password=password
        )  # 宝龙世家 re-elected, 金利花园 voting
        counts.update(elections.counts)
        counts.update(build_demo_committees(seed=seed, today=today).counts)  # filings, self-inspections, evaluations
        counts["core.user"] = counts.get("core.user", 0) + len(elections.logins)
    return DemoResult(seed=seed, counts=counts, figures=figures, fingerprint=plan.fingerprint())


def demo_present() -> bool:
    return AuditEntry.objects.filter(note__startswith=DEMO_NOTE).exists()


def demo_seed() -> int | None:
    entry = AuditEntry.objects.filter(note__startswith=DEMO_NOTE).order_by("id").first()
    try:
        return int(entry.note.split("seed ", 1)[1].split(":", 1)[0]) if entry else None
    except (IndexError, ValueError):
        return None


def database_empty() -> bool:
    return not any(model.objects.exists() for model in (City, Organisation, Person, User))


# --- logins --------------------------------------------------------------------
@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope_role: str
    scope: str


def describe_scope(scope) -> str:
    """The places (or department, or household) a scope covers, named."""
    if scope.everything:
        return "、".join(City.objects.order_by("code").values_list("name", flat=True))
    parts = [
        *Town.objects.filter(pk__in=scope.town_ids).values_list("name", flat=True),
        *Community.objects.filter(pk__in=scope.community_ids).values_list("name", flat=True),
        *Compound.objects.filter(pk__in=scope.compound_ids).values_list("name", flat=True),
        *Organisation.objects.filter(pk__in=scope.department_ids).values_list("name", flat=True),
    ]
    if not parts:
        rooms = Room.objects.filter(pk__in=scope.room_ids).select_related("unit__building__compound")
        parts = [str(room) for room in rooms]
    return "、".join(parts)


def demo_logins() -> list[DemoLogin]:
    """The personas' logins, then those the apps' demo builders add (the water department's `shuiwu`, the
    election's runners and reviewers)."""
    wanted = (
        [(persona.username, persona.role) for persona in PERSONAS]
        + appeals_demo.demo_logins()
        + elections_demo.demo_logins()
    )
    users = {u.username: u for u in User.objects.filter(username__in=[username for username, _role in wanted])}
    logins = []
    for username, role in wanted:
        user = users.get(username)
        if user is None:
            continue
        scope = scope_for(user)
        logins.append(DemoLogin(username, role, scope.role, describe_scope(scope)))
    return logins
