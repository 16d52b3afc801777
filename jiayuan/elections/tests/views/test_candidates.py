"""A candidate's page and withdrawal (views/candidates.py): who may open it, what each reviewer sees of it,
and a withdrawal that needs a reason."""

import datetime as dt

import pytest

from jiayuan.elections.models import Candidate, Review
from jiayuan.elections.services import campaign as svc
from jiayuan.people import services as people_services
from jiayuan.testing import PERSONAS

from .common import RUNNERS, expected, nominate, open_a, review_ids, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_candidate_page_opens_for_those_who_run_the_election_and_its_reviewers(as_role, ew, reviewing, persona):
    campaign, candidates, _chidian = reviewing
    status = as_role(persona).get(url("candidate_detail", campaign.pk, candidates[0].pk)).status_code
    assert status == expected(persona, (*RUNNERS, "department_staff"))


def test_the_candidate_page_shows_the_enabled_bars_and_every_review(as_role, ew, reviewing):
    campaign, candidates, _chidian = reviewing
    html = as_role("community_secretary").get(url("candidate_detail", campaign.pk, candidates[0].pk)).content.decode()
    assert "是本小区业主" in html and "按时交纳物业服务费" not in html  # unpaid fees is off by default
    assert review_ids(html) == set(candidates[0].reviews.values_list("pk", flat=True)) and len(review_ids(html)) == 9
    assert 'data-concern="1"' not in html


def test_a_candidate_working_for_the_property_company_is_flagged_beside_the_review(as_role, ew):
    w = ew.world
    campaign = open_a(ew)
    people_services.ownership_add(
        actor=None, room=w.rooms_a[1], person=w.people["property_manager"], start_date=dt.date(2024, 1, 1)
    )
    manager = svc.candidate_nominate(
        actor=w.users["community_secretary"], campaign=campaign, person=w.people["property_manager"], route="community"
    )
    html = as_role("community_secretary").get(url("candidate_detail", campaign.pk, manager.pk)).content.decode()
    assert 'data-concern="1"' in html and "晋江城投物业" in html


def test_a_department_reviewer_sees_only_its_own_review_of_a_candidate(as_role, ew, reviewing):
    campaign, candidates, _chidian = reviewing
    html = as_role("department_staff").get(url("candidate_detail", campaign.pk, candidates[0].pk)).content.decode()
    mine = Review.objects.get(candidate=candidates[0], body__name="晋江市住建局")
    assert review_ids(html) == {mine.pk}
    assert 'data-testid="withdraw-form"' not in html and 'data-testid="status"' not in html


def test_a_withdrawal_needs_a_reason_and_is_recorded(as_role, ew):
    campaign = open_a(ew)
    candidate = nominate(ew, campaign, count=1)[0]
    client = as_role("community_secretary")
    target = url("candidate_withdraw", campaign.pk, candidate.pk)
    assert client.post(target, {"withdraw-reason": ""}).status_code == 422
    assert client.post(target, {"withdraw-reason": "本人申请退出"}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "withdrawn"
    assert as_role("resident").post(target, {"withdraw-reason": "x"}).status_code == 403


def test_a_struck_off_candidate_cannot_be_withdrawn_over_the_record(as_role, ew):
    campaign = open_a(ew)
    candidate = nominate(ew, campaign, count=1)[0]
    Candidate.objects.filter(pk=candidate.pk).update(status="struck_off")
    client = as_role("community_secretary")
    client.cookies["django_language"] = "en"
    response = client.post(url("candidate_withdraw", campaign.pk, candidate.pk), {"withdraw-reason": "本人申请退出"})
    assert response.status_code == 422 and "no longer standing" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == "struck_off"
