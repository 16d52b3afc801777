"""Ballots (services/assembly/ballots.py): cast within the window by the frozen electorate, one per voter and
motion, corrected with an audited reason, and a meeting called off."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jiayuan.elections.models import Ballot, Campaign, Candidate, Voter
from jiayuan.elections.services import assembly
from jiayuan.elections.testing import at


def test_a_ballot_outside_the_voting_window_is_refused(ew, voting):
    meeting, candidates, opens = voting
    user = ew.owners[0].account
    with pytest.raises(ValidationError, match="outside the voting window"):
        assembly.ballots_cast_online(actor=user, meeting=meeting, votes={1: {}}, at=at(opens - dt.timedelta(days=1)))
    with pytest.raises(ValidationError, match="outside the voting window"):
        assembly.ballots_cast_online(actor=user, meeting=meeting, votes={1: {}}, at=at(opens + dt.timedelta(days=2)))
    assert not Ballot.objects.filter(motion__meeting=meeting).exists()


def test_someone_outside_the_frozen_electorate_cannot_vote(ew, voting):
    meeting, candidates, opens = voting
    with pytest.raises(ValidationError) as error:
        assembly.ballots_cast_online(
            actor=ew.world.users["property_manager"],
            meeting=meeting,
            votes={1: {candidates[0].pk: "agree"}},
            at=at(opens),
        )
    assert "voter" in error.value.message_dict
    assert not Ballot.objects.filter(motion__meeting=meeting).exists()


def test_a_second_ballot_from_the_same_voter_is_refused_and_the_first_stands(ew, voting):
    meeting, candidates, opens = voting
    user = ew.owners[0].account
    assembly.ballots_cast_online(actor=user, meeting=meeting, votes={1: {candidates[0].pk: "agree"}}, at=at(opens))
    with pytest.raises(ValidationError, match="already been cast"):
        assembly.ballots_cast_online(
            actor=user, meeting=meeting, votes={1: {candidates[0].pk: "against"}}, at=at(opens, 11)
        )
    ballot = Ballot.objects.get(motion__meeting=meeting)
    assert ballot.candidate_choices.get().choice == "agree"


def test_agreeing_with_more_candidates_than_seats_is_refused(ew, voting):
    meeting, candidates, opens = voting
    extra = Candidate.objects.filter(campaign=meeting.campaign).exclude(pk__in=[c.pk for c in candidates])
    assert not extra.exists()
    with pytest.raises(ValidationError, match="not on the slate"):
        assembly.ballots_cast_online(
            actor=ew.owners[0].account, meeting=meeting, votes={1: {999999: "agree"}}, at=at(opens)
        )


def test_correcting_a_paper_ballot_is_audited_and_needs_checking_again(ew, voting):
    from jiayuan.core.models import AuditEntry

    meeting, candidates, opens = voting
    w = ew.world
    clerk = w.users["community_secretary"]
    (ballot,) = assembly.paper_ballot_enter(
        actor=clerk,
        meeting=meeting,
        room="2号楼 1单元 101",
        paper_number="7",
        votes={1: {candidates[0].pk: "agree"}},
        received_at=at(opens),
    )
    assembly.paper_ballot_check(actor=w.users["branch_secretary"], meeting=meeting, paper_number="7")
    with pytest.raises(ValidationError) as error:
        assembly.ballot_correct(actor=clerk, ballot=ballot, vote={candidates[0].pk: "against"}, reason=" ")
    assert "reason" in error.value.message_dict
    assembly.ballot_correct(
        actor=clerk, ballot=ballot, vote={candidates[0].pk: "against"}, reason="录入错误，按原票更正"
    )
    ballot.refresh_from_db()
    assert ballot.checked_by is None and ballot.candidate_choices.get().choice == "against"
    entry = AuditEntry.objects.filter(object_type__endswith="ballot", object_id=str(ballot.pk)).order_by("-id").first()
    assert entry.note == "录入错误，按原票更正"
    assert entry.before["candidate_choices"] == {str(candidates[0].pk): "agree"}
    assert entry.after["candidate_choices"] == {str(candidates[0].pk): "against"}
    with pytest.raises(ValidationError, match="not yet checked"):
        assembly.meeting_count(actor=clerk, meeting=meeting, now=at(opens + dt.timedelta(days=3)))


def test_the_database_itself_refuses_a_second_ballot_of_a_voter_on_a_motion(ew, voting):
    from django.db import IntegrityError, transaction

    meeting, candidates, opens = voting
    motion = meeting.motions.get()
    voter = Voter.objects.filter(meeting=meeting).first()
    Ballot.objects.create(motion=motion, voter=voter, channel="online", cast_at=at(opens))
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(motion=motion, voter=voter, channel="on_site", cast_at=at(opens, 11))
    assert Ballot.objects.filter(motion=motion, voter=voter).count() == 1


def test_calling_off_an_election_meeting_returns_the_campaign_to_its_campaign_stage(ew, voting):
    meeting, candidates, opens = voting
    clerk = ew.world.users["community_secretary"]
    with pytest.raises(ValidationError) as error:
        assembly.meeting_cancel(actor=clerk, meeting=meeting, reason="")
    assert "reason" in error.value.message_dict
    assembly.meeting_cancel(actor=clerk, meeting=meeting, reason="台风，改期")
    meeting.refresh_from_db()
    campaign = Campaign.objects.get(pk=meeting.campaign_id)
    assert meeting.status == "cancelled" and campaign.status == "campaigning"
    again = assembly.meeting_create(
        actor=clerk,
        compound=ew.world.compound_a,
        title="改期后的选举",
        voting_opens=at(opens + dt.timedelta(days=20)),
        voting_closes=at(opens + dt.timedelta(days=21)),
        campaign=campaign,
    )
    assert again.motions.get().is_election
