"""The review queue and a review's decision (views/reviews.py): each reviewer sees and decides only its own
body's reviews; a fail needs a reason, and a decision after the review closed is refused."""

import re

import pytest

from jiayuan.elections.models import Review
from jiayuan.testing import PERSONAS

from .common import HTMX, expected, review_ids, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_review_queue_opens_for_staff_and_department_staff(as_role, ew, reviewing, persona):
    allowed = tuple(p for p in PERSONAS if p != "resident")
    assert as_role(persona).get(url("review_queue")).status_code == expected(persona, allowed)


def test_each_reviewer_sees_only_its_own_bodys_queue(as_role, ew, reviewing):
    campaign, candidates, _chidian = reviewing
    for persona, body in (
        ("department_staff", "晋江市住建局"),
        ("community_secretary", "所在社区"),
        ("branch_secretary", "小区党支部"),
        ("city_admin", "晋江市委组织部"),
    ):
        html = as_role(persona).get(url("review_queue")).content.decode()
        wanted = set(Review.objects.filter(candidate__campaign=campaign, body__name=body).values_list("pk", flat=True))
        assert len(wanted) == 5 and review_ids(html) == wanted, persona
    assert review_ids(as_role("committee_director").get(url("review_queue")).content.decode()) == set()


def test_a_reviewer_posting_to_another_bodys_review_gets_404_and_nothing_changes(as_role, ew, reviewing):
    campaign, candidates, _chidian = reviewing
    police = Review.objects.get(candidate=candidates[0], body__name="晋江市公安局")
    client = as_role("department_staff")
    assert client.get(url("review_record", police.pk)).status_code == 404
    response = client.post(url("review_record", police.pk), {f"review-{police.pk}-outcome": "pass"})
    assert response.status_code == 404
    police.refresh_from_db()
    assert police.outcome == "pending" and police.reviewer is None and police.reviewed_at is None


def test_a_fail_without_a_reason_is_refused_beside_the_reason(as_role, ew, reviewing):
    campaign, candidates, _chidian = reviewing
    review = Review.objects.get(candidate=candidates[0], body__name="晋江市住建局")
    client = as_role("department_staff")
    client.cookies["django_language"] = "en"
    data = {f"review-{review.pk}-outcome": "fail", f"review-{review.pk}-reason": " "}
    response = client.post(url("review_record", review.pk), data)
    assert response.status_code == 422
    errors = rf'id="id_review-{review.pk}-reason_errors"[^>]*><li>A fail needs a reason'
    assert re.search(errors, response.content.decode())
    response = client.post(url("review_record", review.pk), data, **HTMX)  # htmx swaps only 2xx answers
    assert response.status_code == 200 and f'id="id_review-{review.pk}-reason_errors"' in response.content.decode()
    review.refresh_from_db()
    assert review.outcome == "pending"
    response = client.post(
        url("review_record", review.pk), {**data, f"review-{review.pk}-reason": "与物业公司存在利害关系"}
    )
    assert response.status_code == 302
    candidates[0].refresh_from_db()
    assert candidates[0].status == "disqualified"


def test_a_review_posted_from_the_candidate_page_returns_there(as_role, ew, reviewing):
    campaign, candidates, _chidian = reviewing
    review = Review.objects.get(candidate=candidates[1], body__name="所在社区")
    back = url("candidate_detail", campaign.pk, candidates[1].pk)
    response = as_role("community_secretary").post(
        url("review_record", review.pk), {f"review-{review.pk}-outcome": "pass", "next": back}
    )
    assert response.status_code == 302 and response.url == back
    response = as_role("community_secretary").post(
        url("review_record", review.pk), {f"review-{review.pk}-outcome": "pass", "next": "https://evil.example.com/"}
    )
    assert response.url == url("review_queue")


def test_a_review_after_the_review_closed_is_refused_with_the_reason(as_role, ew, interviewing):
    campaign, candidates = interviewing
    review = Review.objects.get(candidate=candidates[0], body__name="晋江市住建局")
    client = as_role("department_staff")
    client.cookies["django_language"] = "en"
    assert 'data-testid="review-form"' not in client.get(url("review_record", review.pk)).content.decode()
    response = client.post(
        url("review_record", review.pk),
        {f"review-{review.pk}-outcome": "fail", f"review-{review.pk}-reason": "补充意见"},
    )
    assert response.status_code == 422 and "this step is not possible now" in response.content.decode()
    review.refresh_from_db()
    assert review.outcome == "pass"
