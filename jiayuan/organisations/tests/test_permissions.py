"""Role × endpoint × stage on appointments: the branch secretary's seat of 金利花园 is filled by the community
party committee (or a level above it), and only once the sitting secretary's post has ended. 404: outside the viewer's scope; 403: not
theirs to appoint; 422: theirs, but the seat is taken on that day; 201: appointed. Who may appoint whom on one
stage is in test_appointments.py; this adds the stage.
"""

from __future__ import annotations

import datetime as dt

import pytest

from jiayuan.organisations import services
from jiayuan.organisations.models import Post

from .test_appointments import assign

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 1)  # test_appointments.DAY: the day the new secretary starts

# (who, seat, status)
CASES = [
    ("community_secretary", "taken", 422),  # one secretary at a time
    ("community_secretary", "vacant", 201),
    ("town_clerk", "taken", 422),  # the levels above may appoint too: theirs, but the seat is taken
    ("town_clerk", "vacant", 201),
    ("branch_secretary", "taken", 403),  # the sitting secretary does not appoint a successor
    ("branch_secretary", "vacant", 404),  # and once the post has ended, sees nothing of the compound
    ("property_manager", "vacant", 403),
    ("department_staff", "vacant", 404),
    ("resident", "vacant", 404),
]


@pytest.mark.parametrize(("who", "seat", "status"), CASES, ids=[f"{w}-{s}" for w, s, _ in CASES])
def test_the_branch_secretary_is_appointed_by_the_community_only_to_a_vacant_seat(world, as_role, who, seat, status):
    if seat == "vacant":
        sitting = Post.objects.get(organisation=world.branch_a, role=Post.Role.BRANCH_SECRETARY, end_date=None)
        services.post_end(actor=None, post=sitting, end_date=DAY - dt.timedelta(days=1))
    successor = world.people["resident"]  # an owner of the compound, whom every appointer here may see
    response = assign(as_role(who), world.branch_a, successor, Post.Role.BRANCH_SECRETARY)
    assert response.status_code == status, response.content
    appointed = Post.objects.filter(organisation=world.branch_a, person=successor).exists()
    assert appointed == (status == 201)
