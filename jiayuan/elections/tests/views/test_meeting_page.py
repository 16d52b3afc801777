"""The meeting page (views/meeting_page.py) and who may open what: each role's exact status on each meeting
page, draft meetings hidden from owners, and no owner seeing another owner's choices."""

import datetime as dt

import pytest
from django.urls import reverse

from jiayuan.elections.models import Ballot
from jiayuan.elections.services import assembly

from .common import OPENS, at, cast, detail, vote_plainly


def test_an_owner_never_sees_another_owners_choices(ew, voting, clock, login):
    clock(at(OPENS, 9))
    cast(voting, ew.owners[11], agree=voting.slate[:5], lift="against")  # 业主12
    client = login(ew.owners[4].account)
    page = client.get(detail(voting)).content.decode()
    assert "业主12" not in page
    assert client.get(reverse("elections:meeting_ballots", args=[voting.pk])).status_code == 404


# --- Who may open what -----------------------------------------------------------------------------------

ROLES = (
    "city_admin",
    "town_clerk",
    "community_secretary",
    "branch_secretary",
    "committee_director",
    "property_manager",
    "building_head",
    "department_staff",
    "resident",
    "owner",
)
RUNNERS = {"city_admin", "town_clerk", "community_secretary", "branch_secretary"}
READERS = RUNNERS | {"committee_director", "property_manager", "building_head", "resident", "owner"}


def user_of(ew, role):
    return ew.owners[0].account if role == "owner" else ew.world.users[role]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_exact_status_on_each_meeting_page(ew, voting, clock, login, role):
    vote_plainly(ew, voting)
    clock(at(OPENS + dt.timedelta(days=3), 9))
    assembly.meeting_count(actor=ew.world.users["community_secretary"], meeting=voting)
    ballot = Ballot.objects.filter(motion__meeting=voting).first()  # an online ballot
    client = login(user_of(ew, role))
    pages = {
        "list": (reverse("elections:meeting_list"), 200),
        "create": (reverse("elections:meeting_create"), 200 if role in RUNNERS else 404),
        "detail": (detail(voting), 200 if role in READERS else 404),
        "results": (reverse("elections:meeting_results", args=[voting.pk]), 200 if role in READERS else 404),
        "electorate": (reverse("elections:meeting_electorate", args=[voting.pk]), 200 if role in RUNNERS else 404),
        "ballots": (reverse("elections:meeting_ballots", args=[voting.pk]), 200 if role in RUNNERS else 404),
        "rooms.csv": (
            reverse("elections:meeting_tally_files", args=[voting.pk, 2, "rooms"]),
            200 if role in RUNNERS else 404,
        ),
        "online ballot correction": (reverse("elections:ballot_correct", args=[voting.pk, ballot.pk]), 404),
    }
    got = {name: client.get(url).status_code for name, (url, _expected) in pages.items()}
    assert got == {name: expected for name, (_url, expected) in pages.items()}
    listed = client.get(reverse("elections:meeting_list")).content.decode()
    assert (voting.title in listed) == (role in READERS)
    publish = client.post(reverse("elections:meeting_publish", args=[voting.pk]))
    assert publish.status_code == (302 if role in RUNNERS else 404)


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_meeting_is_hidden_from_owners_and_a_meeting_elsewhere_from_everyone_outside(ew, db, login, role):
    w = ew.world
    draft = assembly.meeting_create(
        actor=w.users["community_secretary"],
        compound=w.compound_a,
        title="草稿会议",
        voting_opens=at(OPENS),
        voting_closes=at(OPENS + dt.timedelta(days=1)),
    )
    elsewhere = assembly.meeting_create(
        actor=w.users["city_admin"],
        compound=w.compound_b,
        title="南天裕会议",
        voting_opens=at(OPENS),
        voting_closes=at(OPENS + dt.timedelta(days=1)),
    )
    client = login(user_of(ew, role))
    staff_readers = READERS - {"resident", "owner"}
    assert client.get(detail(draft)).status_code == (200 if role in staff_readers else 404)
    assert client.get(detail(elsewhere)).status_code == (200 if role == "city_admin" else 404)
    assert client.post(
        reverse("elections:motion_add", args=[draft.pk]), {"matter": 4, "title": "续聘"}
    ).status_code == (302 if role in RUNNERS else 404)
