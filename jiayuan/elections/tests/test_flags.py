"""Facts a reviewer cannot miss: a candidate the platform flags (here: his wife manages the compound for its
property company) shows the flag on the review card's header and on the campaign page, passing him needs a
reason, and the reviewer reaches the campaign of the review."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from jiayuan.elections.models import Review
from jiayuan.elections.services import campaign as svc
from jiayuan.elections.testing import election_world, nominate_all, open_campaign
from jiayuan.people import services as people_services

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def ew(world, django_db_blocker):
    with django_db_blocker.unblock():
        return election_world(world)


@pytest.fixture
def flagged(ew):
    """The campaign under review, its five candidates, and the first one's wife the property manager."""
    w = ew.world
    campaign = open_campaign(ew)
    candidates = nominate_all(ew, campaign, count=5)
    people_services.kinship_add(
        actor=None, person=candidates[0].person, relative=w.people["property_manager"], relation="spouse"
    )
    svc.review_start(actor=w.users["community_secretary"], campaign=campaign)
    return campaign, candidates


def housing_review(ew, candidate) -> Review:
    return Review.objects.get(candidate=candidate, body__department=ew.world.department)


def test_passing_a_flagged_candidate_needs_a_reason_and_an_unflagged_one_does_not(ew, flagged):
    _campaign, candidates = flagged
    reviewer = ew.world.users["department_staff"]
    review = housing_review(ew, candidates[0])
    with translation.override("en"), pytest.raises(ValidationError) as error:
        svc.review_record(actor=reviewer, review=review, outcome="pass")
    assert "say why they pass anyway" in error.value.message_dict["reason"][0]
    review.refresh_from_db()
    assert review.outcome == "pending"  # nothing recorded
    svc.review_record(actor=reviewer, review=review, outcome="pass", reason="已核实：配偶已于上月离职")
    review.refresh_from_db()
    assert review.outcome == "pass" and review.reason == "已核实：配偶已于上月离职"
    plain = housing_review(ew, candidates[1])
    svc.review_record(actor=reviewer, review=plain, outcome="pass")
    plain.refresh_from_db()
    assert plain.outcome == "pass"


def card_of(html: str, review: Review) -> str:
    return re.search(rf'id="review-{review.pk}".*?</section>', html, re.S).group(0)


def test_the_flag_is_on_the_review_cards_header_not_folded_away(ew, flagged, as_role):
    _campaign, candidates = flagged
    html = as_role("department_staff").get(reverse("elections:review_queue")).content.decode()
    card = card_of(html, housing_review(ew, candidates[0]))
    assert 'data-testid="flag-count"' in card and 'data-testid="flags"' in card
    assert card.index('data-testid="flags"') < card.index("<details")  # above the folded facts
    assert ew.world.people["property_manager"].name in card.split("<details")[0]
    assert 'data-testid="flags"' not in card_of(html, housing_review(ew, candidates[1]))


@pytest.mark.parametrize(
    "persona, sees_flag",
    [("community_secretary", True), ("department_staff", True), ("branch_secretary", True), ("resident", False)],
)
def test_the_campaign_page_shows_the_flag_to_those_who_run_or_review_the_election(
    ew, flagged, as_role, persona, sees_flag
):
    campaign, _candidates = flagged
    response = as_role(persona).get(reverse("elections:campaign_detail", args=[campaign.pk]))
    assert response.status_code == 200
    assert ('data-testid="candidate-flag"' in response.content.decode()) is sees_flag


def test_a_reviewer_reaches_the_campaign_and_the_elections_index_counts_it(ew, flagged, as_role):
    campaign, _candidates = flagged
    html = as_role("department_staff").get(reverse("elections:index")).content.decode()
    assert reverse("elections:campaign_detail", args=[campaign.pk]) in html
    other = as_role("property_manager").get(reverse("elections:campaign_detail", args=[campaign.pk]))
    assert 'data-testid="candidate-flag"' not in other.content.decode()  # sees the campaign, not the flags
