"""Building the demo: the city, then the appeals, elections and committee life on top of it, in one
transaction that commits only if the dashboard's queries give the report figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jiayuan.appeals.seeds import seed_dispatch_catalogue
from jiayuan.core.models import AuditEntry, User
from jiayuan.dashboard.selectors import coverage_report
from jiayuan.organisations.models import Organisation
from jiayuan.people.models import Person
from jiayuan.places.models import City

from .appeals import build_demo_appeals
from .city import plan_demo, write_plan
from .city.data import DEFAULT_PASSWORD, DEFAULT_SEED, DEMO_NOTE, TARGETS
from .committees import build_demo_committees
from .elections import build_demo_elections
from .phones import publish_public_phones


@dataclass
class DemoResult:
    seed: int
    counts: dict[str, int]
    figures: dict[str, object]
    fingerprint: str


def coverage_figures(*, viewer, day: dt.date | None = None) -> dict[str, object]:
    """The report figures, as the dashboard computes them (rates as exact fractions)."""
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
        counts = write_plan(plan, password=password)
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
        publish_public_phones()  # after the elections: the committees they elected get their office lines too
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
