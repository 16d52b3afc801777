"""/api/v1/elections campaigns: the bad inputs of the issue each answered 422 naming the field, nothing
changed."""

from jiayuan.elections.models import Campaign, Candidate, Objection
from jiayuan.elections.services import campaign as svc

from .common import DAY, at, days, errors_of, open_campaign, to_interviewing


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
