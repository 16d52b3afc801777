"""An election-ready compound on top of the persona world (jiayuan.testing), for the elections tests.

    ew = election_world(world)   # compound_a with 12 owned rooms, the nine reviewing bodies and a reviewer each
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from jiayuan.core.identity import make_id_number
from jiayuan.core.models import User
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people import services as people_services
from jiayuan.places import services as place_services
from jiayuan.testing import PASSWORD, START

from .models import ReviewBody
from .services.config import review_bodies_default


def election_world(world, *, owners: int = 12) -> SimpleNamespace:
    """Owners 业主1…业主N of new rooms in world.compound_a (building 2号楼), reviewers for the nine bodies."""
    ew = SimpleNamespace(world=world, owners=[], rooms=[], reviewers={})
    building = place_services.building_create(actor=None, compound=world.compound_a, number="2号楼", floors=6)
    unit = place_services.unit_create(actor=None, building=building, number="1单元")
    for n in range(1, owners + 1):
        room = place_services.room_create(actor=None, unit=unit, number=f"{(n + 1) // 2}0{2 - n % 2}", floor=(n + 1) // 2,
                                          area=Decimal("100.00") + n, area_source="registered")
        person = people_services.person_create(actor=None, name=f"业主{n}",
                                               id_number=make_id_number("350582", dt.date(1975, 3, 1), 500 + n),
                                               phone=f"1370000{n:04d}")
        people_services.ownership_add(actor=None, room=room, person=person, start_date=START)
        ew.rooms.append(room)
        ew.owners.append(person)
        User.objects.create_user(username=f"owner{n}", password=PASSWORD, person=person)
    ew.bodies = review_bodies_default(actor=None, city=world.city, on=START)
    for body in ew.bodies:
        if body.kind == ReviewBody.Kind.COMMUNITY:
            ew.reviewers[body.pk] = world.users["community_secretary"]
        elif body.kind == ReviewBody.Kind.BRANCH:
            ew.reviewers[body.pk] = world.users["branch_secretary"]
        elif body.department_id == world.department.pk:
            ew.reviewers[body.pk] = world.users["department_staff"]
        elif body.department.kind == Organisation.Kind.CITY_OFFICE:
            ew.reviewers[body.pk] = world.users["city_admin"]
        else:
            ew.reviewers[body.pk] = _reviewer(body.department, f"reviewer{body.pk}")
    return ew


def _reviewer(department: Organisation, username: str) -> User:
    person = people_services.person_create(actor=None, name=f"审查员{department.name[-3:]}")
    org_services.post_assign(actor=None, person=person, organisation=department, role=Post.Role.DEPARTMENT_STAFF,
                             start_date=START)
    return User.objects.create_user(username=username, password=PASSWORD, person=person)
