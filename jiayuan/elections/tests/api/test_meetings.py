"""/api/v1/elections general meetings: ballots and announcements refused with 422 naming the field, nothing
cast or frozen."""

from jiayuan.elections.models import Ballot, Voter

from .common import DAY, at, days, errors_of, ok, plain_meeting


def test_a_ballot_outside_the_voting_window_is_refused_and_nothing_is_cast(ew, api, clock):
    meeting = plain_meeting(ew)
    owner = api(ew.owners[0].account)
    for moment in (at(DAY + days(30), 9), at(DAY + days(32))):
        clock.now = moment
        errors = errors_of(owner.post(f"/meetings/{meeting.pk}/ballots", {"votes": {"1": "agree"}}))
        assert "outside the voting window" in errors["voting_window"]
    assert not Ballot.objects.filter(motion__meeting=meeting).exists()


def test_a_ballot_by_someone_outside_the_frozen_electorate_is_refused(ew, api, clock):
    meeting = plain_meeting(ew)
    clock.now = at(DAY + days(31))
    manager = api(ew.world.users["property_manager"])
    assert ok(manager.get(f"/meetings/{meeting.pk}/my-ballot"))["in_electorate"] is False
    errors = errors_of(manager.post(f"/meetings/{meeting.pk}/ballots", {"votes": {"1": "agree"}}))
    assert "not in this meeting's electorate" in errors["voter"]
    assert not Ballot.objects.filter(motion__meeting=meeting).exists()


def test_a_second_ballot_from_the_same_voter_is_refused_and_the_first_stands(ew, api, clock):
    meeting = plain_meeting(ew)
    clock.now = at(DAY + days(31))
    owner = api(ew.owners[0].account)
    ok(owner.post(f"/meetings/{meeting.pk}/ballots", {"votes": {"1": "agree"}}), 201)
    errors = errors_of(owner.post(f"/meetings/{meeting.pk}/ballots", {"votes": {"1": "against"}}))
    assert "already been cast" in errors["votes.1"]
    assert list(Ballot.objects.filter(motion__meeting=meeting).values_list("choice", flat=True)) == ["agree"]


def test_a_ballot_with_an_unknown_choice_names_the_motion(ew, api, clock):
    meeting = plain_meeting(ew)
    clock.now = at(DAY + days(31))
    errors = errors_of(api(ew.owners[0].account).post(f"/meetings/{meeting.pk}/ballots", {"votes": {"1": "maybe"}}))
    assert list(errors) == ["votes.1"]
    assert not Ballot.objects.filter(motion__meeting=meeting).exists()


def test_a_meeting_announced_fewer_than_15_days_ahead_is_refused(ew, api, clock):
    meeting = plain_meeting(ew, announce=False)
    clerk = api(ew.world.users["community_secretary"])
    clock.now = at(DAY + days(16))
    errors = errors_of(clerk.post(f"/meetings/{meeting.pk}/announce"))
    assert "at least 15 days ahead" in errors["voting_opens"]
    meeting.refresh_from_db()
    assert (meeting.status, meeting.announced_on) == ("draft", None)
    assert not Voter.objects.filter(meeting=meeting).exists()
    clock.now = at(DAY + days(15))
    assert ok(clerk.post(f"/meetings/{meeting.pk}/announce"))["status"] == "announced"
