"""The joint qualification review (services/campaign/review.py): each body decides only its own queue, one
fail disqualifies, and a viewer without power over the compound is refused."""

import pytest
from django.core.exceptions import ValidationError

from jiayuan.elections import selectors
from jiayuan.elections.models import Candidate, Review
from jiayuan.elections.services import campaign as svc
from jiayuan.elections.testing import nominate_all, open_campaign, review_all


def test_a_reviewer_cannot_act_on_another_departments_queue(ew, db):
    w = ew.world
    campaign = open_campaign(ew)
    nominate_all(ew, campaign, count=5)
    svc.review_start(actor=w.users["community_secretary"], campaign=campaign)
    housing = w.department
    police = Review.objects.filter(candidate__campaign=campaign, body__department__name="晋江市公安局").first()
    with pytest.raises(ValidationError, match="queue"):
        svc.review_record(actor=w.users["department_staff"], review=police, outcome="pass")
    police.refresh_from_db()
    assert police.outcome == "pending" and police.reviewer is None
    queue = selectors.review_queue(viewer=w.users["department_staff"])
    assert queue.count() == 5 and {r.body.department_id for r in queue} == {housing.pk}


def test_one_failed_review_disqualifies_and_every_pass_qualifies(ew, db):
    campaign = open_campaign(ew)
    candidates = nominate_all(ew, campaign, count=6)
    svc.review_start(actor=ew.world.users["community_secretary"], campaign=campaign)
    review_all(ew, campaign, fail=[candidates[0].person])
    statuses = dict(Candidate.objects.filter(campaign=campaign).values_list("person_id", "status"))
    assert statuses[candidates[0].person_id] == "disqualified"
    assert [statuses[c.person_id] for c in candidates[1:]] == ["qualified"] * 5
    counts = {c.body: c for c in selectors.review_counts(viewer=ew.world.users["city_admin"])}
    assert counts["晋江市公安局"].decided == 6 and counts["晋江市公安局"].failed == 1
    assert sum(c.decided for c in counts.values()) == 6 * 9


@pytest.mark.parametrize("persona", ["resident", "property_manager", "building_head", "department_staff"])
def test_a_viewer_without_power_over_the_compound_is_refused_as_in_every_app(ew, db, persona):
    from django.core.exceptions import PermissionDenied

    campaign = open_campaign(ew)
    with pytest.raises(PermissionDenied, match="compound"):
        svc.review_start(actor=ew.world.users[persona], campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == "nominating"
