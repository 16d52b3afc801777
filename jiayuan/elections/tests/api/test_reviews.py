"""/api/v1/elections joint qualification review: a reviewer acts only on its own body's queue."""

from jiayuan.core.models import AuditEntry
from jiayuan.elections.models import Review
from jiayuan.elections.services import campaign as svc

from .common import DAY, ok, open_campaign


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
