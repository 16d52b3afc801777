"""Calling a general meeting (services/assembly/calling.py): announced at least 15 days ahead, its electorate
frozen at announcement, co-owners one voter and the developer's rooms one."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiayuan.elections import selectors
from jiayuan.elections.models import Voter
from jiayuan.elections.services import assembly
from jiayuan.elections.testing import CAMPAIGN_DAY as DAY
from jiayuan.elections.testing import at


def test_a_meeting_announced_fewer_than_15_days_ahead_is_refused(ew, db):
    w = ew.world
    clerk = w.users["community_secretary"]
    opens = DAY + dt.timedelta(days=30)
    meeting = assembly.meeting_create(
        actor=clerk,
        compound=w.compound_a,
        title="续聘物业",
        voting_opens=at(opens),
        voting_closes=at(opens + dt.timedelta(days=1)),
    )
    assembly.motion_add(actor=clerk, meeting=meeting, matter=4, title="续聘物业服务企业")
    with pytest.raises(ValidationError) as error:
        assembly.meeting_announce(actor=clerk, meeting=meeting, on=opens - dt.timedelta(days=14))
    assert "voting_opens" in error.value.message_dict
    meeting.refresh_from_db()
    assert meeting.status == "draft" and not Voter.objects.filter(meeting=meeting).exists()
    with pytest.raises(ValidationError) as error:  # nor on a day still to come
        assembly.meeting_announce(actor=clerk, meeting=meeting, on=timezone.localdate() + dt.timedelta(days=2))
    assert "on" in error.value.message_dict
    assembly.meeting_announce(actor=clerk, meeting=meeting, on=opens - dt.timedelta(days=15))
    meeting.refresh_from_db()
    assert meeting.status == "announced"


def test_the_electorate_is_frozen_at_announcement(ew, voting):
    from jiayuan.people import services as people_services

    meeting, candidates, opens = voting
    newcomer = people_services.person_create(actor=None, name="新业主")
    people_services.ownership_add(actor=None, room=ew.rooms[0], person=newcomer, start_date=DAY + dt.timedelta(days=40))
    assert assembly.frozen_electorate(meeting).total_heads == meeting.total_heads
    assert not selectors.membership(meeting, type("Viewer", (), {"person_id": newcomer.pk})())


def test_correcting_a_rooms_area_after_announcement_leaves_the_frozen_electorate_as_it_was(ew, voting):
    from decimal import Decimal

    from jiayuan.elections.models import ElectorateRoom
    from jiayuan.places import services as place_services

    meeting, candidates, opens = voting
    room = ew.rooms[0]
    frozen = ElectorateRoom.objects.get(meeting=meeting, room=room).area
    total = assembly.frozen_electorate(meeting).total_area
    place_services.room_update_area(
        actor=ew.world.users["town_clerk"],
        room=room,
        area=room.area + Decimal("30"),
        area_source="surveyed",
        reason="测绘更正",
    )
    assert ElectorateRoom.objects.get(meeting=meeting, room=room).area == frozen
    assert assembly.frozen_electorate(meeting).total_area == total


def test_a_co_owned_room_is_one_voter_and_the_developers_rooms_are_one(ew, db):
    from jiayuan.organisations.services import organisation_create
    from jiayuan.people import services as people_services
    from jiayuan.testing import START

    w = ew.world
    clerk = w.users["community_secretary"]
    spouse = people_services.person_create(actor=None, name="业主1配偶")
    people_services.ownership_add(actor=None, room=ew.rooms[0], person=spouse, start_date=START)
    developer = organisation_create(actor=None, kind="developer", name="宏远置业", established_on=START)
    unsold = [r for r in w.rooms_a if not r.ownerships.exists()]
    for room in unsold:
        people_services.ownership_add(actor=None, room=room, developer=developer, start_date=START)
    opens = DAY + dt.timedelta(days=30)
    meeting = assembly.meeting_create(
        actor=clerk,
        compound=w.compound_a,
        title="表决",
        voting_opens=at(opens),
        voting_closes=at(opens + dt.timedelta(days=1)),
    )
    assembly.motion_add(actor=clerk, meeting=meeting, matter=9, title="其他重大事项")
    assembly.meeting_announce(actor=clerk, meeting=meeting, on=DAY)
    meeting.refresh_from_db()
    assert meeting.total_heads == 1 + 12 + 1  # the resident, twelve owners (one room co-owned), the developer
    developer_voter = Voter.objects.get(meeting=meeting, is_developer=True)
    assert developer_voter.rooms.count() == len(unsold) == 3
    assembly.ballots_cast_online(actor=ew.owners[0].account, meeting=meeting, votes={1: "agree"}, at=at(opens))
    spouse_user = type(ew.owners[0].account).objects.create_user(
        username="spouse1", password="x-Long-2026", person=spouse
    )
    with pytest.raises(ValidationError, match="already been cast"):
        assembly.ballots_cast_online(actor=spouse_user, meeting=meeting, votes={1: "against"}, at=at(opens))
