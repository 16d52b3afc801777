"""The demo city: a seeded Jinjiang (晋江市) whose coverage figures match the source reports.

    result = build_demo(seed=2026, password="jiayuan2026")   # `jiayuan demo` calls this

The package, one module per domain: `city` plans and writes the places, people and
organisations (`city.data` holds the fixed names: towns, communities, the compounds and
people the reports name, name parts); `appeals`, `elections` and `committees` add each
domain's story on top of the city through the domain's services; `build` writes it all
in one transaction and checks the figures; `logins` lists the demo logins. The `jiayuan
demo` command (this package is the Django app "demo" that holds it) calls `build_demo`.
No product app imports this package.

It holds the 19 real towns and subdistricts, 56 communities, 347 compounds (the
compounds the reports name among them), 1612 buildings, some 31 000 rooms and
37 000 people, and the organisations and posts from which the dashboard's own
queries (`dashboard.selectors.coverage_report`) give, as of today: party
organisation coverage 100% (288 compound branches, 59 of them joint branches of
two or three small compounds), owners'-committee formation 100%, 59 compounds with
一肩挑, 138 community two-committee members holding a compound lead post, 1612
party-member building heads and 288 party venues. The 82 city departments are each
linked (挂钩联系) to one of 82 poorly managed compounds by an `organisations.DepartmentLink` row.
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

import importlib

# This package is also the Django app "demo", imported while the app registry is still loading, before any
# model can be: so the public names are looked up in their modules on first use instead of imported here.
_EXPORTS = {
    "DEFAULT_PASSWORD": "jiayuan.demo.city.data",
    "DEFAULT_SEED": "jiayuan.demo.city.data",
    "DEMO_NOTE": "jiayuan.demo.city.data",
    "PERSONAS": "jiayuan.demo.city.data",
    "TARGETS": "jiayuan.demo.city.data",
    "Plan": "jiayuan.demo.city",
    "plan_demo": "jiayuan.demo.city",
    "DemoResult": "jiayuan.demo.build",
    "build_demo": "jiayuan.demo.build",
    "coverage_figures": "jiayuan.demo.build",
    "database_empty": "jiayuan.demo.build",
    "demo_present": "jiayuan.demo.build",
    "demo_seed": "jiayuan.demo.build",
    "DemoLogin": "jiayuan.demo.logins",
    "demo_logins": "jiayuan.demo.logins",
    "describe_scope": "jiayuan.demo.logins",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
