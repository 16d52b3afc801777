"""/api/v1/elections: a re-election from nominations to the published result over the API, the bad inputs of
the issue each answered 422 naming the field with nothing changed, and the persona × endpoint matrix."""

import datetime as dt
import json
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

import pytest
from django.utils import timezone

from jiayuan.core.models import AuditEntry
from jiayuan.elections.models import Ballot, Campaign, Candidate, GeneralMeeting, Objection, Review, Voter
from jiayuan.elections.services import assembly
from jiayuan.elections.services import campaign as svc
from jiayuan.elections.testing import election_world
from jiayuan.people import services as people_services
from jiayuan.places import services as place_services
from jiayuan.testing import PERSONAS, START

API = "/api/v1/elections"
DAY = dt.date(2026, 3, 2)
RUNNERS = {"city_admin", "town_clerk", "community_secretary", "branch_secretary"}
C0001_STAFF = RUNNERS | {"committee_director", "property_manager", "building_head"}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


@pytest.fixture(scope="module")
def ew(world, django_db_blocker):
    with django_db_blocker.unblock():
        return election_world(world)


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
def clock():
    """Freeze django.utils.timezone.now; move it with `clock.now = ...`."""
    state = SimpleNamespace(now=at(DAY, 9))
    with mock.patch("django.utils.timezone.now", side_effect=lambda: state.now):
        yield state


@pytest.fixture
def api(client, db):
    """api(user).get(path) / .post(path, data): the session is renewed at each call, as the clock may jump."""
    client.cookies["django_language"] = "en"

    class Caller:
        def __init__(self, user):
            self.user = user

        def get(self, path, **params):
            client.force_login(self.user)
            return client.get(API + path, params)

        def post(self, path, data=None):
            client.force_login(self.user)
            return client.post(
                API + path, json.dumps(data if data is not None else {}), content_type="application/json"
            )

    return Caller


def errors_of(response) -> dict[str, str]:
    assert response.status_code == 422, (response.status_code, response.content)
    return {error["field"]: error["message"] for error in response.json()["detail"]}


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


# --- Set-up through the services ----------------------------------------------------------------------


def open_campaign(ew, **extra):
    w = ew.world
    return svc.campaign_open(
        actor=w.users["community_secretary"],
        compound=w.compound_a,
        kind="re_election",
        seats=5,
        opened_on=DAY,
        co_nominators_required=3,
        **extra,
    )


def review_all(ew, campaign, *, skip_users=()):
    for review in Review.objects.filter(candidate__campaign=campaign, outcome="pending").select_related("body"):
        reviewer = ew.reviewers[review.body_id]
        if reviewer not in skip_users:
            svc.review_record(actor=reviewer, review=review, outcome="pass")


def to_interviewing(ew, count):
    clerk = ew.world.users["community_secretary"]
    campaign = open_campaign(ew)
    candidates = [
        svc.candidate_nominate(actor=clerk, campaign=campaign, person=p, route="community", on=DAY)
        for p in ew.owners[:count]
    ]
    svc.review_start(actor=clerk, campaign=campaign)
    review_all(ew, campaign)
    svc.interviews_start(actor=clerk, campaign=campaign)
    for candidate in candidates:
        svc.interview_record(
            actor=clerk, candidate=candidate, held_on=DAY, panel="街道、社区", notes="表达清楚", passed=True
        )
    return campaign, candidates


def plain_meeting(ew, *, announce=True):
    """A meeting on renewing the property company: voting DAY+30 10:00 to DAY+32 10:00."""
    clerk = ew.world.users["community_secretary"]
    meeting = assembly.meeting_create(
        actor=clerk,
        compound=ew.world.compound_a,
        title="续聘物业",
        voting_opens=at(DAY + days(30)),
        voting_closes=at(DAY + days(32)),
    )
    assembly.motion_add(actor=clerk, meeting=meeting, matter=4, title="续聘物业服务企业")
    if announce:
        assembly.meeting_announce(actor=clerk, meeting=meeting, on=DAY)
    return meeting


# --- The flow ------------------------------------------------------------------------------------------


def test_a_re_election_runs_over_the_api_from_nominations_to_the_published_result(ew, api, clock):
    w = ew.world
    clerk, owners = api(w.users["community_secretary"]), ew.owners
    as_owner = [api(o.account) for o in owners]

    created = ok(
        clerk.post(
            "/campaigns",
            {"compound_id": w.compound_a.pk, "kind": "re_election", "seats": 5, "co_nominators_required": 3},
        ),
        201,
    )
    assert (created["status"], created["opened_on"], created["predecessor_id"]) == (
        "nominating",
        "2026-03-02",
        w.committee_a.pk,
    )
    cid = created["id"]
    candidates = []
    for n, owner in enumerate(owners[:5]):
        body = ok(
            clerk.post(
                f"/campaigns/{cid}/candidates", {"person_id": owner.pk, "route": "party" if n == 0 else "community"}
            ),
            201,
        )
        assert body["rooms"] == [f"2号楼 1单元 {(n + 2) // 2}0{2 - (n + 1) % 2}"]
        candidates.append(body["id"])
    joint = ok(
        clerk.post(
            f"/campaigns/{cid}/candidates",
            {"person_id": owners[5].pk, "route": "owners", "co_nominator_ids": [o.pk for o in owners[6:9]]},
        ),
        201,
    )
    assert joint["co_nominators"] == ["业主7", "业主8", "业主9"]
    assert ok(clerk.post(f"/campaigns/{cid}/actions/review_start"))["status"] == "reviewing"
    assert clerk.post(f"/campaigns/{cid}/actions/elect").status_code == 404  # not an action of the API

    # The housing bureau's reviewer works through its own queue, with the facts beside each candidate.
    housing = api(w.users["department_staff"])
    queue = ok(housing.get("/reviews", pending="true"))
    assert queue["count"] == 6 and {r["body"] for r in queue["items"]} == {"晋江市住建局"}
    assert queue["items"][0]["facts"][0]["topic"] == "Ownership" and queue["items"][0]["bars"]
    mine = {r["candidate_id"]: r["id"] for r in queue["items"]}
    assert "reason" in errors_of(housing.post(f"/reviews/{mine[joint['id']]}", {"outcome": "fail"}))
    failed = ok(housing.post(f"/reviews/{mine[joint['id']]}", {"outcome": "fail", "reason": "在物业公司任职"}))
    assert (failed["outcome"], failed["reason"]) == ("fail", "在物业公司任职")
    for candidate_id in candidates:
        assert ok(housing.post(f"/reviews/{mine[candidate_id]}", {"outcome": "pass"}))["outcome"] == "pass"
    review_all(ew, Campaign.objects.get(pk=cid))
    counts = {row["body"]: row for row in ok(api(w.users["city_admin"]).get("/review-counts"))}
    assert (counts["晋江市住建局"]["decided"], counts["晋江市住建局"]["failed"]) == (6, 1)
    assert sum(row["decided"] for row in counts.values()) == 6 * 9

    assert ok(clerk.post(f"/campaigns/{cid}/actions/interviews_start"))["status"] == "interviewing"
    for candidate_id in candidates:
        interviewed = ok(
            clerk.post(
                f"/campaigns/{cid}/candidates/{candidate_id}/interview",
                {"held_on": "2026-03-05", "panel": "青阳街道、青华社区", "notes": "表达清楚", "passed": True},
            )
        )
        assert interviewed["interview"]["passed"] is True
    slate = ok(
        clerk.post(f"/campaigns/{cid}/slate", {"candidate_ids": candidates, "seats": 5, "notice_starts": "2026-03-06"})
    )
    assert (slate["status"], slate["notice_ends"]) == ("notice", "2026-03-13")

    # Owners see the slate only, without review outcomes or rooms; staff see every candidate.
    seen = ok(as_owner[11].get(f"/campaigns/{cid}"))
    assert [c["id"] for c in seen["candidates"]] == candidates
    assert all(c["reviews"] is None and c["rooms"] is None for c in seen["candidates"])
    assert "id_number" not in json.dumps(seen) and owners[0].phone not in json.dumps(seen)
    staff_view = ok(clerk.get(f"/campaigns/{cid}"))
    assert {c["id"]: c["status"] for c in staff_view["candidates"]}[joint["id"]] == "disqualified"
    assert [r["reason"] for r in staff_view["candidates"][-1]["reviews"] if r["outcome"] == "fail"] == [
        "在物业公司任职"
    ]

    clock.now = at(DAY + days(6))
    objection = ok(
        as_owner[8].post(
            f"/campaigns/{cid}/candidates/{candidates[0]}/objections", {"text": "该候选人长期不在小区居住"}
        ),
        201,
    )
    assert (objection["lodged_by"], objection["upheld"]) == ("业主9", None)
    clock.now = at(DAY + days(11))  # the last day of the notice
    assert "runs until" in errors_of(clerk.post(f"/campaigns/{cid}/actions/campaigning_start"))["__all__"]
    clock.now = at(DAY + days(12))
    assert "not answered" in errors_of(clerk.post(f"/campaigns/{cid}/actions/campaigning_start"))["__all__"]
    answered = ok(
        clerk.post(f"/objections/{objection['id']}/answer", {"answer": "经核实，该候选人在小区居住", "upheld": False})
    )
    assert (answered["upheld"], answered["answer"]) == (False, "经核实，该候选人在小区居住")
    assert ok(clerk.post(f"/campaigns/{cid}/actions/campaigning_start"))["status"] == "campaigning"
    stage = ok(
        clerk.post(
            f"/campaigns/{cid}/campaign-meeting",
            {
                "held_at": "2026-03-17T19:30:00+08:00",
                "place": "小区广场",
                "livestream_url": "https://live.example.cn/1",
            },
        )
    )
    assert stage["held_at"] == "2026-03-17T19:30:00+08:00"
    for candidate_id in candidates:
        ok(
            clerk.post(
                f"/campaigns/{cid}/candidates/{candidate_id}/speech",
                {"summary": "加强物业监督", "pledge": "公开账目", "pledge_signed_on": "2026-03-17"},
            )
        )
    assert ok(clerk.get(f"/campaigns/{cid}"))["missing_before_vote"] == []

    clock.now = at(DAY + days(16))
    meeting = ok(
        clerk.post(
            "/meetings",
            {
                "compound_id": w.compound_a.pk,
                "title": "第二届业委会选举",
                "campaign_id": cid,
                "voting_opens": "2026-04-11T08:00",
                "voting_closes": "2026-04-18T18:00:00+08:00",
            },
        ),
        201,
    )
    mid = meeting["id"]
    assert (meeting["voting_opens"], meeting["status"]) == ("2026-04-11T08:00:00+08:00", "draft")
    assert [(m["number"], m["is_election"], [c["id"] for c in m["candidates"]]) for m in meeting["motions"]] == [
        (1, True, candidates)
    ]
    motion = ok(clerk.post(f"/meetings/{mid}/motions", {"matter": 2, "title": "修订管理规约"}), 201)
    assert (motion["number"], motion["matter"]) == (2, 2)
    clock.now = at(dt.date(2026, 3, 27))  # 15 days before voting opens
    announced = ok(clerk.post(f"/meetings/{mid}/announce"))
    assert (announced["status"], announced["total_heads"], announced["total_area"]) == ("announced", 16, "1642.00")
    assert ok(clerk.get(f"/campaigns/{cid}"))["status"] == "voting"

    clock.now = at(dt.date(2026, 4, 11), 9)
    assert ok(as_owner[0].get(f"/meetings/{mid}/my-ballot")) == {"in_electorate": True, "voter": "业主1", "ballots": []}
    for caller in as_owner:
        cast = ok(
            caller.post(
                f"/meetings/{mid}/ballots", {"votes": {"1": {str(c): "agree" for c in candidates}, "2": "agree"}}
            ),
            201,
        )
        assert [b["motion_number"] for b in cast["ballots"]] == [1, 2]
    mine = ok(as_owner[0].get(f"/meetings/{mid}/my-ballot"))
    assert mine["ballots"][0]["candidate_choices"] == {str(c): "agree" for c in candidates}
    assert mine["ballots"][0]["cast_at"] == "2026-04-11T09:00:00+08:00"
    paper = ok(
        clerk.post(
            f"/meetings/{mid}/paper-ballots",
            {
                "room": "1号楼 1单元 101",
                "paper_number": "P-001",
                "received_at": "2026-04-12T10:00:00+08:00",
                "votes": {"1": {str(candidates[0]): "agree"}, "2": "agree"},
            },
        ),
        201,
    )
    assert [(b["channel"], b["counts"]) for b in paper] == [("paper", False), ("paper", False)]
    assert "paper_number" in errors_of(clerk.post(f"/meetings/{mid}/paper-ballots/P-001/check"))
    assert ok(api(w.users["branch_secretary"]).post(f"/meetings/{mid}/paper-ballots/P-001/check"))["checked"] == 2
    assert ok(clerk.get(f"/meetings/{mid}"))["turnout"] == [
        {"number": 1, "cast": 13, "unchecked": 0},
        {"number": 2, "cast": 13, "unchecked": 0},
    ]
    assert "__all__" in errors_of(clerk.post(f"/meetings/{mid}/count"))  # voting has not closed

    clock.now = at(dt.date(2026, 4, 19))
    assert ok(clerk.post(f"/meetings/{mid}/count"))["status"] == "counted"
    assert as_owner[0].get(f"/meetings/{mid}/results").status_code == 404  # not published yet
    assert ok(clerk.get(f"/meetings/{mid}/results"))["status"] == "counted"
    assert ok(clerk.post(f"/meetings/{mid}/publish"))["status"] == "published"

    results = ok(as_owner[0].get(f"/meetings/{mid}/results"))
    election, covenant = results["motions"]
    assert [(v["candidate"], v["elected"]) for v in election["verdicts"]][0] == (candidates[0], True)
    assert {v["candidate"] for v in election["verdicts"] if v["elected"]} == set(candidates)
    first = election["verdicts"][0]
    assert (first["rank"], first["agree_heads"], first["participating_heads"], first["agree_heads_share"]) == (
        1,
        13,
        13,
        "1",
    )
    assert {v["agree_heads_share"] for v in election["verdicts"][1:]} == {"12/13"}
    verdict = covenant["verdicts"][0]
    assert (
        verdict["total_area"],
        verdict["total_heads"],
        verdict["participating_area"],
        verdict["participating_heads"],
    ) == ("1642.00", 16, "1368.50", 13)
    assert (verdict["area_turnout"], verdict["heads_turnout"], verdict["quorum_met"]) == ("2737/3284", "13/16", True)
    assert (verdict["agree_area_share"], verdict["threshold"], verdict["passed"]) == ("1", covenant_threshold(), True)
    campaign = Campaign.objects.get(pk=cid)
    assert campaign.status == "elected"
    assert set(campaign.committee.posts.values_list("person_id", flat=True)) == {o.pk for o in owners[:5]}


def covenant_threshold() -> str:
    from jiayuan.elections.tally import threshold_for

    return str(threshold_for(2))


# --- Bad input: 422 naming the field, nothing changed ---------------------------------------------------


def test_a_ballot_outside_the_voting_window_is_refused_and_nothing_is_cast(ew, api, clock):
    meeting = plain_meeting(ew)
    owner = api(ew.owners[0].account)
    for moment in (at(DAY + days(30), 9), at(DAY + days(32))):
        clock.now = moment
        errors = errors_of(owner.post(f"/meetings/{meeting.pk}/ballots", {"votes": {"1": "agree"}}))
        assert "outside the voting window" in errors["voting_window"]
    assert not Ballot.objects.filter(motion__meeting=meeting).exists()


def test_a_ballot_by_someone_outside_the_frozen_electorate_is_refused(ew, api, clock):
    meeting = plain_meeting(ew)
    clock.now = at(DAY + days(31))
    manager = api(ew.world.users["property_manager"])
    assert ok(manager.get(f"/meetings/{meeting.pk}/my-ballot"))["in_electorate"] is False
    errors = errors_of(manager.post(f"/meetings/{meeting.pk}/ballots", {"votes": {"1": "agree"}}))
    assert "not in this meeting's electorate" in errors["voter"]
    assert not Ballot.objects.filter(motion__meeting=meeting).exists()


def test_a_second_ballot_from_the_same_voter_is_refused_and_the_first_stands(ew, api, clock):
    meeting = plain_meeting(ew)
    clock.now = at(DAY + days(31))
    owner = api(ew.owners[0].account)
    ok(owner.post(f"/meetings/{meeting.pk}/ballots", {"votes": {"1": "agree"}}), 201)
    errors = errors_of(owner.post(f"/meetings/{meeting.pk}/ballots", {"votes": {"1": "against"}}))
    assert "already been cast" in errors["votes.1"]
    assert list(Ballot.objects.filter(motion__meeting=meeting).values_list("choice", flat=True)) == ["agree"]


def test_a_ballot_with_an_unknown_choice_names_the_motion(ew, api, clock):
    meeting = plain_meeting(ew)
    clock.now = at(DAY + days(31))
    errors = errors_of(api(ew.owners[0].account).post(f"/meetings/{meeting.pk}/ballots", {"votes": {"1": "maybe"}}))
    assert list(errors) == ["votes.1"]
    assert not Ballot.objects.filter(motion__meeting=meeting).exists()


def test_a_meeting_announced_fewer_than_15_days_ahead_is_refused(ew, api, clock):
    meeting = plain_meeting(ew, announce=False)
    clerk = api(ew.world.users["community_secretary"])
    clock.now = at(DAY + days(16))
    errors = errors_of(clerk.post(f"/meetings/{meeting.pk}/announce"))
    assert "at least 15 days ahead" in errors["voting_opens"]
    meeting.refresh_from_db()
    assert (meeting.status, meeting.announced_on) == ("draft", None)
    assert not Voter.objects.filter(meeting=meeting).exists()
    clock.now = at(DAY + days(15))
    assert ok(clerk.post(f"/meetings/{meeting.pk}/announce"))["status"] == "announced"


def test_a_slate_of_even_size_is_refused(ew, api, clock):
    campaign, candidates = to_interviewing(ew, 6)
    errors = errors_of(
        api(ew.world.users["community_secretary"]).post(
            f"/campaigns/{campaign.pk}/slate",
            {"candidate_ids": [c.pk for c in candidates], "seats": 6, "notice_starts": "2026-03-06"},
        )
    )
    assert "odd number" in errors["seats"]
    campaign.refresh_from_db()
    assert (campaign.status, campaign.seats, campaign.notice_starts) == ("interviewing", 5, None)
    assert not Candidate.objects.filter(campaign=campaign, status="on_slate").exists()


def test_a_reviewer_acting_on_another_bodys_queue_gets_404_and_nothing_changes(ew, api, clock):
    w = ew.world
    campaign = open_campaign(ew)
    for person in ew.owners[:5]:
        svc.candidate_nominate(
            actor=w.users["community_secretary"], campaign=campaign, person=person, route="community", on=DAY
        )
    svc.review_start(actor=w.users["community_secretary"], campaign=campaign)
    police = Review.objects.filter(candidate__campaign=campaign, body__name="晋江市公安局").first()
    housing = api(w.users["department_staff"])
    assert housing.post(f"/reviews/{police.pk}", {"outcome": "pass"}).status_code == 404
    assert police.pk not in {r["id"] for r in ok(housing.get("/reviews", limit=200))["items"]}
    police.refresh_from_db()
    assert (police.outcome, police.reviewer) == ("pending", None)
    assert not AuditEntry.objects.filter(object_type="elections.review", object_id=str(police.pk)).exists()


def test_a_candidate_who_owns_no_room_in_the_compound_is_refused(ew, api, clock):
    w = ew.world
    campaign = open_campaign(ew)
    errors = errors_of(
        api(w.users["community_secretary"]).post(
            f"/campaigns/{campaign.pk}/candidates", {"person_id": w.people["property_manager"].pk, "route": "community"}
        )
    )
    assert "owns no room" in errors["person_id"]
    assert not campaign.candidates.exists()


def test_a_joint_nomination_short_of_co_nominators_names_the_field(ew, api, clock):
    campaign = open_campaign(ew)
    errors = errors_of(
        api(ew.world.users["community_secretary"]).post(
            f"/campaigns/{campaign.pk}/candidates",
            {"person_id": ew.owners[0].pk, "route": "owners", "co_nominator_ids": [ew.owners[1].pk]},
        )
    )
    assert list(errors) == ["co_nominator_ids"]
    assert not campaign.candidates.exists()


def test_an_objection_outside_the_notice_period_is_refused(ew, api, clock):
    campaign, candidates = to_interviewing(ew, 5)
    svc.slate_publish(
        actor=ew.world.users["community_secretary"],
        campaign=campaign,
        candidates=candidates,
        seats=5,
        notice_starts=DAY + days(1),
    )
    clock.now = at(DAY + days(20))
    response = api(ew.owners[8].account).post(
        f"/campaigns/{campaign.pk}/candidates/{candidates[0].pk}/objections", {"text": "有异议"}
    )
    assert "public notice" in errors_of(response)["__all__"]
    assert not Objection.objects.exists()


def test_schema_errors_name_the_field(ew, api, clock):
    errors = errors_of(
        api(ew.world.users["community_secretary"]).post(
            "/campaigns", {"compound_id": ew.world.compound_a.pk, "kind": "first", "seats": "five"}
        )
    )
    assert list(errors) == ["seats"]
    assert not Campaign.objects.exists()


# --- The persona × endpoint matrix ----------------------------------------------------------------------


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
    "department_staff": set(),
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
    else:
        assert detail["candidates"] == []  # nobody is on the slate yet
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
