"""The elections' to-dos on the workbench: each reviewing body's queue, objections and paper ballots for those who
run the election, and the votes open to an owner with the quorum the vote needs."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from jiayuan.core.models import User
from jiayuan.elections import todos
from jiayuan.elections.services import assembly
from jiayuan.elections.services import campaign as svc
from jiayuan.elections.testing import CAMPAIGN_DAY, election_world, nominate_all, open_campaign, review_all
from jiayuan.testing import PERSONAS


@pytest.fixture(scope="module")
def ew(world, django_db_blocker):
    with django_db_blocker.unblock():
        return election_world(world)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def waiting(user) -> dict:
    return {g.key: g for g in todos.todos(user, timezone.localdate()) if g is not None}


def test_each_body_sees_its_own_pending_reviews_and_nobody_else_does(ew, db):
    w = ew.world
    campaign = open_campaign(ew)
    nominate_all(ew, campaign, count=5)
    assert all("elections.reviews" not in waiting(w.users[name]) for name in PERSONAS)  # before the review opens
    svc.review_start(actor=w.users["community_secretary"], campaign=campaign)
    counts = {name: waiting(w.users[name]).get("elections.reviews") for name in PERSONAS}
    # Housing (the department), the community and the compound's branch each review the five; the city
    # administrator reviews for the organisation department in this world.
    for name in ("department_staff", "community_secretary", "branch_secretary", "city_admin"):
        assert counts[name].count == 5, name
        assert {item.title.split(" · ")[0] for item in counts[name].items} == {p.name for p in ew.owners[:5]}
    for name in ("town_clerk", "committee_director", "property_manager", "building_head", "resident"):
        assert counts[name] is None, name
    review_all(ew, campaign)
    assert all("elections.reviews" not in waiting(w.users[name]) for name in PERSONAS)  # all decided


def test_an_objection_waits_for_its_answer_with_those_who_run_the_election(ew, db):
    w = ew.world
    clerk = w.users["community_secretary"]
    campaign = open_campaign(ew)
    candidates = nominate_all(ew, campaign, count=5)
    svc.review_start(actor=clerk, campaign=campaign)
    review_all(ew, campaign)
    svc.interviews_start(actor=clerk, campaign=campaign)
    for candidate in candidates:
        svc.interview_record(
            actor=clerk, candidate=candidate, held_on=CAMPAIGN_DAY, panel="社区", notes="好", passed=True
        )
    svc.slate_publish(actor=clerk, campaign=campaign, candidates=candidates, seats=5, notice_starts=CAMPAIGN_DAY)
    objection = svc.objection_lodge(
        actor=w.users["city_admin"],
        candidate=candidates[0],
        person=ew.owners[6],
        text="候选人长期不在小区居住",
        on=CAMPAIGN_DAY,
    )
    campaign.refresh_from_db()
    for name in ("community_secretary", "town_clerk", "city_admin", "branch_secretary"):
        (item,) = waiting(w.users[name])["elections.objections"].items
        assert item.due == campaign.notice_ends and str(objection.pk) in item.url, name
    for name in ("committee_director", "property_manager", "resident", "department_staff"):
        assert "elections.objections" not in waiting(w.users[name]), name
    svc.objection_answer(actor=clerk, objection=objection, answer="经核实居住在小区", upheld=False)
    assert "elections.objections" not in waiting(clerk)


def _meeting_open_now(ew, clerk):
    from jiayuan.elections.testing import campaign_ready_to_vote

    campaign, _ = campaign_ready_to_vote(ew, count=5)
    opens = timezone.now() - dt.timedelta(hours=1)
    meeting = assembly.meeting_create(
        actor=clerk,
        compound=ew.world.compound_a,
        title="选举业委会",
        voting_opens=opens,
        voting_closes=opens + dt.timedelta(days=3),
        campaign=campaign,
    )
    assembly.meeting_announce(actor=clerk, meeting=meeting, on=timezone.localdate(opens) - dt.timedelta(days=15))
    meeting.refresh_from_db()
    return meeting


def test_an_owner_sees_the_open_vote_with_its_quorum_until_they_have_voted(ew, db):
    w = ew.world
    clerk = w.users["community_secretary"]
    meeting = _meeting_open_now(ew, clerk)
    owner = User.objects.get(username="owner1")
    (item,) = waiting(owner)["elections.votes"].items
    assert item.title == "选举业委会" and item.due == timezone.localdate(meeting.voting_closes)
    assert "2/3 of the area" in item.note and "2/3 of the owners" in item.note
    assert "0 of 1 motions" in item.detail
    assert "elections.votes" in waiting(w.users["resident"])  # an owner in 金利花园 too
    assert "elections.votes" not in waiting(w.users["department_staff"])  # owns nothing there
    candidate = meeting.motions.get().meeting.campaign.candidates.filter(status="on_slate").first()
    assembly.ballots_cast_online(actor=owner, meeting=meeting, votes={1: {candidate.pk: "agree"}})
    (item,) = waiting(owner)["elections.votes"].items
    assert "1 of 1 motions" in item.detail


def test_a_paper_ballot_waits_for_a_second_person_not_for_the_one_who_entered_it(ew, db):
    w = ew.world
    clerk = w.users["community_secretary"]
    meeting = _meeting_open_now(ew, clerk)
    candidate = meeting.campaign.candidates.filter(status="on_slate").first()
    assembly.paper_ballot_enter(
        actor=clerk,
        meeting=meeting,
        room="2号楼 1单元 102",
        paper_number="12",
        votes={1: {candidate.pk: "agree"}},
        received_at=timezone.now(),
    )
    assert "elections.ballots" not in waiting(clerk)  # entered it: may not check it
    for name in ("branch_secretary", "town_clerk"):
        (item,) = waiting(w.users[name])["elections.ballots"].items
        assert item.title.startswith("1 paper ballots"), name
    assert "elections.ballots" not in waiting(w.users["committee_director"])
    assembly.paper_ballot_check(actor=w.users["branch_secretary"], meeting=meeting, paper_number="12")
    assert "elections.ballots" not in waiting(w.users["town_clerk"])
