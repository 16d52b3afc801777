"""/api/v1/elections: the persona × endpoint matrix over campaigns, reviews and meetings on one stage (the
stages are in test_permissions.py)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from jiayuan.elections.models import Campaign, GeneralMeeting, Review
from jiayuan.elections.services import assembly
from jiayuan.elections.services import campaign as svc
from jiayuan.people import services as people_services
from jiayuan.places import services as place_services
from jiayuan.testing import PERSONAS, START

from .common import API, DAY, at, days, errors_of, ok

RUNNERS = {"city_admin", "town_clerk", "community_secretary", "branch_secretary"}
C0001_STAFF = RUNNERS | {"committee_director", "property_manager", "building_head"}


@pytest.fixture(scope="module")
def chidian_owners(world, django_db_blocker):
    """Five owners in 南天裕 (C0003, Chidian), where only the city administrator sees anything."""
    with django_db_blocker.unblock():
        unit = world.rooms_b[0].unit
        rooms = [
            *world.rooms_b,
            place_services.room_create(
                actor=None, unit=unit, number="301", floor=3, area=Decimal("92.00"), area_source="registered"
            ),
        ]
        owners = []
        for n, room in enumerate(rooms, start=1):
            owner = people_services.person_create(actor=None, name=f"池店业主{n}")
            people_services.ownership_add(actor=None, room=room, person=owner, start_date=START)
            owners.append(owner)
        return owners


@pytest.fixture
def scene(ew, chidian_owners, db):
    """C0001: a campaign under review (five candidates) and meetings in each state; C0003: a campaign under
    review and an announced meeting, seen by the city administrator only."""
    w = ew.world
    clerk, admin = w.users["community_secretary"], w.users["city_admin"]
    campaigns = {
        "C0001": svc.campaign_open(actor=clerk, compound=w.compound_a, kind="re_election", seats=5, opened_on=DAY),
        "C0003": svc.campaign_open(actor=admin, compound=w.compound_b, kind="first", seats=5, opened_on=DAY),
    }
    for key, people, actor in (("C0001", ew.owners[:5], clerk), ("C0003", chidian_owners, admin)):
        for person in people:
            svc.candidate_nominate(actor=actor, campaign=campaigns[key], person=person, route="community", on=DAY)
        svc.review_start(actor=actor, campaign=campaigns[key])

    def meeting(actor, compound, title, *, announce=True, count=False, publish=False):
        made = assembly.meeting_create(
            actor=actor,
            compound=compound,
            title=title,
            voting_opens=at(DAY + days(30)),
            voting_closes=at(DAY + days(32)),
        )
        assembly.motion_add(actor=actor, meeting=made, matter=4, title="续聘物业服务企业")
        if announce:
            assembly.meeting_announce(actor=actor, meeting=made, on=DAY)
        if count:
            assembly.meeting_count(actor=actor, meeting=made, now=at(DAY + days(33)))
        if publish:
            assembly.meeting_publish(actor=actor, meeting=made, on=DAY + days(33))
        return made

    meetings = {
        "draft": meeting(clerk, w.compound_a, "草案", announce=False),
        "announced": meeting(clerk, w.compound_a, "已公告"),
        "counted": meeting(clerk, w.compound_a, "已计票", count=True),
        "published": meeting(clerk, w.compound_a, "已公布", count=True, publish=True),
        "C0003": meeting(admin, w.compound_b, "南天裕"),
    }
    return SimpleNamespace(campaigns=campaigns, meetings=meetings)


C0001_MEETINGS = {"draft", "announced", "counted", "published"}
SEES_CAMPAIGNS = {
    "city_admin": {"C0001", "C0003"},
    **{p: {"C0001"} for p in C0001_STAFF - {"city_admin"}},
    "department_staff": {"C0001", "C0003"},  # a reviewer reaches the campaign of every review in its queue
    "resident": {"C0001"},
}
SEES_MEETINGS = {
    "city_admin": C0001_MEETINGS | {"C0003"},
    **{p: C0001_MEETINGS for p in C0001_STAFF - {"city_admin"}},
    "department_staff": set(),
    "resident": C0001_MEETINGS - {"draft"},
}
# Whose queue holds which reviews: (reviewing body, campaigns)
QUEUES = {
    "city_admin": ("晋江市委组织部", {"C0001", "C0003"}),  # the organisation department, city-wide
    "community_secretary": ("所在社区", {"C0001"}),  # the community's own compounds only
    "branch_secretary": ("小区党支部", {"C0001"}),
    "department_staff": ("晋江市住建局", {"C0001", "C0003"}),
}


def listed(response) -> set[int]:
    body = ok(response)
    assert body["count"] == len(body["items"])
    return {item["id"] for item in body["items"]}


def queue_of(scene, persona) -> set[int]:
    if persona not in QUEUES:
        return set()
    body, keys = QUEUES[persona]
    return set(
        Review.objects.filter(body__name=body, candidate__campaign__in=[scene.campaigns[k] for k in keys]).values_list(
            "pk", flat=True
        )
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_list_holds_exactly_the_rows_in_the_personas_scope(ew, scene, api, persona):
    caller = api(ew.world.users[persona])
    assert listed(caller.get("/campaigns", limit=200)) == {scene.campaigns[k].pk for k in SEES_CAMPAIGNS[persona]}
    assert listed(caller.get("/meetings", limit=200)) == {scene.meetings[k].pk for k in SEES_MEETINGS[persona]}
    assert listed(caller.get("/reviews", limit=200)) == queue_of(scene, persona)
    assert listed(caller.get("/reviews", pending="true", limit=200)) == queue_of(scene, persona)
    pending = sum(row["pending"] for row in ok(caller.get("/review-counts")))
    assert pending == {"city_admin": 90, "department_staff": 0}.get(persona, 45)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_detail_answers_200_in_scope_and_404_outside(ew, scene, api, persona):
    caller = api(ew.world.users[persona])
    campaigns = {k: caller.get(f"/campaigns/{c.pk}").status_code for k, c in scene.campaigns.items()}
    assert campaigns == {k: 200 if k in SEES_CAMPAIGNS[persona] else 404 for k in scene.campaigns}
    for path in ("", "/my-ballot"):
        meetings = {k: caller.get(f"/meetings/{m.pk}{path}").status_code for k, m in scene.meetings.items()}
        assert meetings == {k: 200 if k in SEES_MEETINGS[persona] else 404 for k in scene.meetings}
    results = {k: caller.get(f"/meetings/{m.pk}/results").status_code for k, m in scene.meetings.items()}
    sees_results = {"published"} | ({"counted"} if persona in RUNNERS else set())
    assert results == {k: 200 if k in sees_results & SEES_MEETINGS[persona] else 404 for k in scene.meetings}


@pytest.mark.parametrize("persona", PERSONAS)
def test_those_who_run_the_election_see_every_candidate_and_others_only_the_slate(ew, scene, api, persona):
    if "C0001" not in SEES_CAMPAIGNS[persona]:
        return
    detail = ok(api(ew.world.users[persona]).get(f"/campaigns/{scene.campaigns['C0001'].pk}"))
    assert detail["runs_election"] is (persona in RUNNERS)
    if persona in RUNNERS:
        assert [c["status"] for c in detail["candidates"]] == ["under_review"] * 5
        assert all(len(c["reviews"]) == 9 for c in detail["candidates"])
    elif persona in QUEUES:  # a reviewer sees the candidates its body reviews, not the other bodies' reviews
        assert [c["status"] for c in detail["candidates"]] == ["under_review"] * 5
        assert all(c["reviews"] is None for c in detail["candidates"])
    else:
        assert detail["candidates"] == []  # nobody is on the slate yet
    if "announced" not in SEES_MEETINGS[persona]:
        return
    meeting = ok(api(ew.world.users[persona]).get(f"/meetings/{scene.meetings['announced'].pk}"))
    assert (meeting["turnout"] is not None) is (persona in RUNNERS)
    my_ballot = ok(api(ew.world.users[persona]).get(f"/meetings/{scene.meetings['announced'].pk}/my-ballot"))
    assert my_ballot["in_electorate"] is (persona == "resident")


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_those_who_run_the_election_may_move_a_campaign(ew, scene, api, persona):
    caller = api(ew.world.users[persona])
    statuses = {
        k: caller.post(f"/campaigns/{c.pk}/actions/cancel", {"reason": "业主联名要求暂缓"}).status_code
        for k, c in scene.campaigns.items()
    }
    expected = {}
    for key in scene.campaigns:
        if key not in SEES_CAMPAIGNS[persona]:
            expected[key] = 404
        else:
            expected[key] = 200 if persona in RUNNERS else 403
    assert statuses == expected
    after = dict(Campaign.objects.filter(pk__in=[c.pk for c in scene.campaigns.values()]).values_list("pk", "status"))
    assert after == {c.pk: "cancelled" if expected[k] == 200 else "reviewing" for k, c in scene.campaigns.items()}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_those_who_run_the_election_may_call_a_meeting_or_add_a_motion(ew, scene, api, persona):
    w = ew.world
    caller = api(w.users[persona])
    created = caller.post(
        "/meetings",
        {
            "compound_id": w.compound_a.pk,
            "title": "加装电梯",
            "voting_opens": "2026-05-01T08:00",
            "voting_closes": "2026-05-03T18:00",
        },
    )
    draft = scene.meetings["draft"]
    motion = caller.post(f"/meetings/{draft.pk}/motions", {"matter": 7, "title": "加装电梯"})
    if persona in RUNNERS:
        assert (created.status_code, motion.status_code) == (201, 201)
    elif persona in C0001_STAFF:
        assert (created.status_code, motion.status_code) == (403, 403)
    else:
        assert "compound_id" in errors_of(created)
        assert motion.status_code == 404
    made = GeneralMeeting.objects.filter(title="加装电梯").count()
    assert (made, draft.motions.count()) == ((1, 2) if persona in RUNNERS else (0, 1))


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_review_is_recorded_only_from_ones_own_queue(ew, scene, api, persona):
    caller = api(ew.world.users[persona])
    police = Review.objects.filter(body__name="晋江市公安局", candidate__campaign=scene.campaigns["C0001"]).first()
    assert caller.post(f"/reviews/{police.pk}", {"outcome": "pass"}).status_code == 404
    own = sorted(queue_of(scene, persona))
    if own:
        assert ok(caller.post(f"/reviews/{own[0]}", {"outcome": "pass"}))["outcome"] == "pass"
    decided = set(Review.objects.exclude(outcome="pending").values_list("pk", flat=True))
    assert decided == set(own[:1])


def test_anonymous_callers_get_401_on_every_endpoint(ew, scene, client):
    campaign, meeting = scene.campaigns["C0001"], scene.meetings["announced"]
    gets = [
        "/campaigns",
        f"/campaigns/{campaign.pk}",
        "/reviews",
        "/review-counts",
        "/meetings",
        f"/meetings/{meeting.pk}",
        f"/meetings/{meeting.pk}/my-ballot",
        f"/meetings/{meeting.pk}/results",
    ]
    assert {path: client.get(API + path).status_code for path in gets} == {path: 401 for path in gets}
    posts = [
        "/campaigns",
        f"/campaigns/{campaign.pk}/actions/cancel",
        f"/meetings/{meeting.pk}/ballots",
        f"/meetings/{meeting.pk}/count",
    ]
    statuses = {path: client.post(API + path, "{}", content_type="application/json").status_code for path in posts}
    assert statuses == {path: 401 for path in posts}


def test_the_matrix_covers_every_get_path_of_the_elections_api(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    published = {
        path.removeprefix(API) for path, operations in paths.items() if "get" in operations and path.startswith(API)
    }
    assert published == {
        "/campaigns",
        "/campaigns/{id}",
        "/reviews",
        "/review-counts",
        "/meetings",
        "/meetings/{id}",
        "/meetings/{id}/my-ballot",
        "/meetings/{id}/results",
    }
