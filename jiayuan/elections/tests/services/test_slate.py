"""The slate and its public notice (services/campaign/slate.py): an odd number of seats, and objections
answered before the campaign goes on."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from jiayuan.elections.models import Campaign, Candidate
from jiayuan.elections.services import campaign as svc
from jiayuan.elections.testing import CAMPAIGN_DAY as DAY
from jiayuan.elections.testing import nominate_all, open_campaign, review_all


def test_a_slate_of_even_size_is_refused(ew, db):
    clerk = ew.world.users["community_secretary"]
    campaign = open_campaign(ew)
    candidates = nominate_all(ew, campaign, count=6)
    svc.review_start(actor=clerk, campaign=campaign)
    review_all(ew, campaign)
    svc.interviews_start(actor=clerk, campaign=campaign)
    for candidate in candidates:
        svc.interview_record(actor=clerk, candidate=candidate, held_on=DAY, panel="社区", notes="好", passed=True)
    with pytest.raises(ValidationError) as error:
        svc.slate_publish(actor=clerk, campaign=campaign, candidates=candidates, seats=6, notice_starts=DAY)
    assert "seats" in error.value.message_dict
    campaign.refresh_from_db()
    assert campaign.status == "interviewing" and campaign.seats == 5
    assert not Candidate.objects.filter(campaign=campaign, status="on_slate").exists()
    with pytest.raises(IntegrityError):
        Campaign.objects.filter(pk=campaign.pk).update(seats=6)  # the database holds it too


def test_objections_must_be_answered_and_an_upheld_one_strikes_the_candidate(ew, db):
    w = ew.world
    clerk = w.users["community_secretary"]
    campaign = open_campaign(ew)
    candidates = nominate_all(ew, campaign, count=6)
    svc.review_start(actor=clerk, campaign=campaign)
    review_all(ew, campaign)
    svc.interviews_start(actor=clerk, campaign=campaign)
    for candidate in candidates:
        svc.interview_record(actor=clerk, candidate=candidate, held_on=DAY, panel="社区", notes="好", passed=True)
    svc.slate_publish(actor=clerk, campaign=campaign, candidates=candidates, seats=5, notice_starts=DAY)
    owner = ew.owners[8]
    objection = svc.objection_lodge(
        actor=owner.account,
        candidate=candidates[0],
        person=owner,
        text="该候选人在物业公司任职",
        on=DAY + dt.timedelta(days=2),
    )
    with pytest.raises(ValidationError, match="not answered"):
        svc.campaigning_start(actor=clerk, campaign=campaign, on=DAY + dt.timedelta(days=8))
    svc.objection_answer(actor=clerk, objection=objection, answer="经核实属实，取消候选资格", upheld=True)
    candidates[0].refresh_from_db()
    assert candidates[0].status == "struck_off"
    svc.campaigning_start(actor=clerk, campaign=campaign, on=DAY + dt.timedelta(days=8))
    campaign.refresh_from_db()
    assert campaign.status == "campaigning"
