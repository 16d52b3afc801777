"""Role × endpoint × stage on the elections API: a reviewer, a runner or an owner doing the same thing is answered
differently as the campaign and the general meeting move on. 404: outside the viewer's scope (another body's
review, a meeting not yet announced to its owners); 403: visible, not theirs to do; 422: theirs, not at this
stage; 200 or 201: done. The persona × endpoint matrix on one stage is in api/test_matrix.py; this adds the
stages.
"""

from __future__ import annotations

import pytest

from jiayuan.elections.models import Ballot, Review
from jiayuan.elections.services import assembly
from jiayuan.elections.services import campaign as svc

from .api import conftest as api_fixtures
from .api.common import DAY, at, days, open_campaign, plain_meeting, review_all, to_interviewing

pytestmark = pytest.mark.django_db
ew, api, clock = api_fixtures.ew, api_fixtures.api, api_fixtures.clock  # the API tests' fixtures


def _nominated(ew, count=6):
    clerk = ew.world.users["community_secretary"]
    campaign = open_campaign(ew)
    for person in ew.owners[:count]:
        svc.candidate_nominate(actor=clerk, campaign=campaign, person=person, route="community", on=DAY)
    return campaign


# --- The campaign's stage moves -------------------------------------------------------------------------


def nominating(ew):
    return _nominated(ew)


def reviewing(ew):
    campaign = _nominated(ew)
    return svc.review_start(actor=ew.world.users["community_secretary"], campaign=campaign)


def interviewing(ew):
    return to_interviewing(ew, 6)[0]


def cancelled(ew):
    return svc.campaign_cancel(actor=ew.world.users["community_secretary"], campaign=_nominated(ew), reason="改期")


CAMPAIGN_STAGES = {
    "nominating": nominating,
    "reviewing": reviewing,
    "interviewing": interviewing,
    "cancelled": cancelled,
}

# (who, action, stage, status)
STEP_CASES = [
    ("community_secretary", "review_start", "nominating", 200),
    ("community_secretary", "review_start", "reviewing", 422),
    ("community_secretary", "review_start", "cancelled", 422),
    ("town_clerk", "interviews_start", "nominating", 422),
    ("town_clerk", "interviews_start", "reviewing", 422),  # reviews still pending
    ("branch_secretary", "cancel", "interviewing", 200),
    ("branch_secretary", "cancel", "cancelled", 422),
    ("property_manager", "review_start", "nominating", 403),
    ("committee_director", "cancel", "reviewing", 403),
    ("resident", "review_start", "nominating", 403),
    ("department_staff", "review_start", "nominating", 404),
]


@pytest.mark.parametrize(
    ("who", "action", "stage", "status"), STEP_CASES, ids=[f"{w}-{a}-at-{s}" for w, a, s, _ in STEP_CASES]
)
def test_a_campaign_step_answers_by_role_and_stage(ew, api, clock, who, action, stage, status):
    campaign = CAMPAIGN_STAGES[stage](ew)
    before = campaign.status
    response = api(ew.world.users[who]).post(f"/campaigns/{campaign.pk}/actions/{action}", {"reason": "改期"})
    assert response.status_code == status, response.content
    campaign.refresh_from_db()
    assert (campaign.status != before) == (status == 200)


# --- A reviewer's decision ------------------------------------------------------------------------------


def _housing_review(ew, campaign):
    """The housing bureau's review of the first candidate (its reviewer is the persona department_staff)."""
    return Review.objects.filter(candidate__campaign=campaign, body__department=ew.world.department).first()


def test_a_reviewer_has_nothing_to_decide_before_the_joint_review_opens(ew, api, clock):
    campaign = nominating(ew)
    assert not Review.objects.filter(candidate__campaign=campaign).exists()
    queue = api(ew.world.users["department_staff"]).get("/reviews", pending=True)
    assert queue.status_code == 200
    assert all(item["campaign_id"] != campaign.pk for item in queue.json()["items"])
    campaign = svc.review_start(actor=ew.world.users["community_secretary"], campaign=campaign)
    queue = api(ew.world.users["department_staff"]).get("/reviews", pending=True)
    assert sum(item["campaign_id"] == campaign.pk for item in queue.json()["items"]) == 6  # one per candidate


@pytest.mark.parametrize(
    ("who", "stage", "status"),
    [
        ("department_staff", "reviewing", 200),  # its own queue, while the review runs
        ("department_staff", "interviewing", 422),  # the review is over
        ("department_staff", "cancelled_in_review", 422),
        ("community_secretary", "reviewing", 404),  # another body's review: not in its queue
        ("resident", "reviewing", 404),
    ],
)
def test_a_review_decision_answers_by_reviewer_and_stage(ew, api, clock, who, stage, status):
    if stage == "reviewing":
        campaign = reviewing(ew)
    elif stage == "interviewing":
        campaign = interviewing(ew)
    else:
        campaign = svc.campaign_cancel(
            actor=ew.world.users["community_secretary"], campaign=reviewing(ew), reason="改期"
        )
    review = _housing_review(ew, campaign)
    response = api(ew.world.users[who]).post(f"/reviews/{review.pk}", {"outcome": "fail", "reason": "失信"})
    assert response.status_code == status, response.content
    review.refresh_from_db()
    assert (review.outcome == "fail") == (status == 200)


def test_reviewers_of_every_body_decide_only_their_own_reviews(ew, api, clock):
    campaign = reviewing(ew)
    review_all(ew, campaign)
    assert not Review.objects.filter(candidate__campaign=campaign, outcome="pending").exists()


# --- An owner's ballot ------------------------------------------------------------------------------------

# The meeting of api/common.plain_meeting votes from DAY+30 10:00 to DAY+32 10:00.
BALLOT_CASES = [
    ("owner", "draft", at(DAY + days(31)), 404),  # not announced: the owners do not see it yet
    ("owner", "announced", at(DAY + days(29)), 422),  # before the window
    ("owner", "announced", at(DAY + days(31)), 201),
    ("owner", "announced", at(DAY + days(33)), 422),  # after the window
    ("owner", "counted", at(DAY + days(33)), 422),
    ("property_manager", "announced", at(DAY + days(31)), 422),  # sees it, has no room in the electorate
    ("department_staff", "announced", at(DAY + days(31)), 404),
]


@pytest.mark.parametrize(
    ("who", "stage", "moment", "status"),
    BALLOT_CASES,
    ids=[f"{w}-{s}-day{(m.date() - DAY).days}" for w, s, m, _ in BALLOT_CASES],
)
def test_a_ballot_answers_by_voter_stage_and_time(ew, api, clock, who, stage, moment, status):
    meeting = plain_meeting(ew, announce=stage != "draft")
    if stage == "counted":
        clock.now = at(DAY + days(33))
        assembly.meeting_count(actor=ew.world.users["community_secretary"], meeting=meeting)
    clock.now = moment
    user = ew.owners[0].account if who == "owner" else ew.world.users[who]
    response = api(user).post(f"/meetings/{meeting.pk}/ballots", {"votes": {"1": "agree"}})
    assert response.status_code == status, response.content
    assert Ballot.objects.filter(motion__meeting=meeting).exists() == (status == 201)
