"""Nominations (services/campaign/nominations.py): only an owner of the compound, and a joint nomination with
the configured number of co-nominating owners."""

import pytest
from django.core.exceptions import ValidationError

from jiayuan.elections.services import campaign as svc
from jiayuan.elections.testing import CAMPAIGN_DAY as DAY
from jiayuan.elections.testing import open_campaign


def test_a_candidate_who_owns_no_room_in_the_compound_is_refused(ew, db):
    w = ew.world
    campaign = open_campaign(ew)
    with pytest.raises(ValidationError) as error:
        svc.candidate_nominate(
            actor=w.users["community_secretary"],
            campaign=campaign,
            person=w.people["town_clerk"],
            route="community",
            on=DAY,
        )
    assert "owns no room" in error.value.message_dict["person"][0]
    assert not campaign.candidates.exists()


def test_a_joint_nomination_needs_the_configured_number_of_co_nominating_owners(ew, db):
    w = ew.world
    campaign = open_campaign(ew)
    clerk = w.users["community_secretary"]
    with pytest.raises(ValidationError) as error:
        svc.candidate_nominate(
            actor=clerk, campaign=campaign, person=ew.owners[0], route="owners", co_nominators=ew.owners[1:3], on=DAY
        )
    assert "co_nominators" in error.value.message_dict
    candidate = svc.candidate_nominate(
        actor=clerk, campaign=campaign, person=ew.owners[0], route="owners", co_nominators=ew.owners[1:4], on=DAY
    )
    assert candidate.co_nominations.count() == 3
