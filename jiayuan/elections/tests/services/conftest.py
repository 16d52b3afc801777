"""Fixtures of the service tests: messages in English, an election-ready compound per module, and a meeting in
its voting window."""

import datetime as dt

import pytest
from django.utils import translation

from jiayuan.elections.services import assembly
from jiayuan.elections.testing import CAMPAIGN_DAY as DAY
from jiayuan.elections.testing import at, election_world, nominate_all, open_campaign, through_campaign_meeting


@pytest.fixture(autouse=True)
def english():
    """The services' messages are asserted in English (the interface's default is Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def ew(world, django_db_blocker):
    with django_db_blocker.unblock():
        return election_world(world)


@pytest.fixture
def voting(ew, db):
    """A meeting in its voting window, with the slate's five candidates."""
    w = ew.world
    clerk = w.users["community_secretary"]
    campaign = open_campaign(ew)
    candidates = nominate_all(ew, campaign, count=5)
    through_campaign_meeting(ew, campaign, candidates)
    opens = DAY + dt.timedelta(days=30)
    meeting = assembly.meeting_create(
        actor=clerk,
        compound=w.compound_a,
        title="选举",
        voting_opens=at(opens),
        voting_closes=at(opens + dt.timedelta(days=2)),
        campaign=campaign,
    )
    assembly.meeting_announce(actor=clerk, meeting=meeting, on=opens - dt.timedelta(days=15))
    meeting.refresh_from_db()
    return meeting, candidates, opens
