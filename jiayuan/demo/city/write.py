"""Writing the planned city: every model bulk-created, one "imported" audit entry per object type."""

from __future__ import annotations

from jiayuan.core.models import AuditEntry, User
from jiayuan.organisations.models import DepartmentLink, Organisation, PartyVenue, Post, ServiceContract
from jiayuan.people.models import Ownership, PartyMembership, Person, Residency
from jiayuan.places.models import Building, City, Community, Compound, Grid, Room, Town, Unit

from .data import DEMO_NOTE, PERSONAS
from .planner import Plan

BATCH = 2000


def write_plan(plan: Plan, *, password: str) -> dict[str, int]:
    """Write every object of `plan` with bulk_create, the personas' logins with `password`, and one audit
    entry per object type; the rows written per model label. Call inside a transaction."""
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
