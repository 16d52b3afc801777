"""Fixtures of the page tests: an election-ready compound per module, a campaign under review or interviewing
(for the campaign pages), a campaign past its campaign meeting and its announced meeting, the pages' clock and an
English login (for the meeting pages)."""

import datetime as dt

import pytest
from django.utils import timezone

from jiayuan.elections.services import assembly
from jiayuan.elections.services import campaign as svc
from jiayuan.elections.testing import election_world, nominate_all, open_campaign, through_campaign_meeting

from .common import OPENS, at, nominate, open_a, pass_all, today


@pytest.fixture(scope="module")
def ew(world, django_db_blocker):
    with django_db_blocker.unblock():
        return election_world(world)


# --- The campaign pages --------------------------------------------------------------------------------


@pytest.fixture
def reviewing(ew):
    """A campaign in 金利花园 under review (five candidates), and one in 南天裕 (Chidian) taking nominations."""
    campaign = open_a(ew)
    candidates = nominate(ew, campaign)
    svc.review_start(actor=ew.world.users["community_secretary"], campaign=campaign)
    chidian = svc.campaign_open(
        actor=ew.world.users["city_admin"], compound=ew.world.compound_b, kind="first", seats=5, opened_on=today()
    )
    return campaign, candidates, chidian


@pytest.fixture
def interviewing(ew):
    campaign = open_a(ew)
    candidates = nominate(ew, campaign, count=6)
    svc.review_start(actor=ew.world.users["community_secretary"], campaign=campaign)
    pass_all(ew, campaign)
    svc.interviews_start(actor=ew.world.users["community_secretary"], campaign=campaign)
    for candidate in candidates:
        svc.interview_record(
            actor=ew.world.users["community_secretary"],
            candidate=candidate,
            held_on=today(),
            panel="街道、社区",
            notes="表达清楚",
            passed=True,
        )
    return campaign, candidates


# --- The meeting pages: the campaign state, through the services (jiayuan.elections.testing) ----------


@pytest.fixture
def campaign(ew, db):
    """A campaign past its campaign meeting, with a slate of six candidates for five seats."""
    campaign = open_campaign(ew)
    candidates = nominate_all(ew, campaign, count=6)
    through_campaign_meeting(ew, campaign, candidates)
    campaign.slate = candidates
    return campaign


@pytest.fixture
def voting(ew, campaign):
    """An announced election meeting (motion 1 the election, motion 2 a matter-7 lift), voting 2 days from OPENS."""
    clerk = ew.world.users["community_secretary"]
    meeting = assembly.meeting_create(
        actor=clerk,
        compound=ew.world.compound_a,
        title="第二届业委会选举大会",
        voting_opens=at(OPENS, 8),
        voting_closes=at(OPENS + dt.timedelta(days=2), 18),
        place="物业服务中心",
        campaign=campaign,
    )
    assembly.motion_add(actor=clerk, meeting=meeting, matter=7, title="加装电梯", text="在2号楼加装电梯一部。")
    assembly.meeting_announce(actor=clerk, meeting=meeting, on=OPENS - dt.timedelta(days=15))
    meeting.refresh_from_db()
    meeting.slate = campaign.slate
    return meeting


@pytest.fixture
def clock(monkeypatch):
    """clock(moment): the pages and the services now run at `moment`."""

    def set_to(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def login(client):
    """login(user) -> the test client, logged in, in English."""

    def as_user(user):
        client.logout()
        client.force_login(user)
        client.cookies["django_language"] = "en"
        return client

    return as_user
