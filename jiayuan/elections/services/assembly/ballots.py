"""Ballots online, on paper (entered, then checked by a second person) and on site; corrections; calling a meeting off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.audit import audit_record, snapshot
from jiayuan.core.models import AuditEntry
from jiayuan.core.services import update_audited

from ... import rules, workflow
from ...models import (
    Ballot,
    Candidate,
    CandidateChoice,
    ElectorateRoom,
    GeneralMeeting,
    Motion,
    Voter,
    VoterMember,
)
from ..campaign import move
from ..campaign._common import _locked as _locked_campaign
from ..campaign._common import _refuse_unless
from ._common import Channel, Choice, _expect, _locked

# --- Ballots --------------------------------------------------------------------------------------


def _check_window(meeting: GeneralMeeting, at: dt.datetime) -> None:
    if not (meeting.voting_opens <= at < meeting.voting_closes):

        def local(moment):
            return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"

        raise ValidationError(
            {
                "voting_window": _(
                    "Voting is open from %(opens)s to %(closes)s; a ballot at %(at)s is outside the voting window."
                )
                % {"opens": local(meeting.voting_opens), "closes": local(meeting.voting_closes), "at": local(at)}
            }
        )


def slate(motion: Motion) -> list[Candidate]:
    if not motion.is_election or motion.meeting.campaign_id is None:
        return []
    return list(
        Candidate.objects.filter(
            campaign_id=motion.meeting.campaign_id,
            status__in=[Candidate.Status.ON_SLATE, Candidate.Status.ELECTED, Candidate.Status.NOT_ELECTED],
        )
        .select_related("person")
        .order_by("id")
    )


def _clean_vote(motion: Motion, vote, seats: int | None) -> tuple[str, dict[int, str]]:
    """(choice, {candidate id: choice}) from a plain choice, or from {candidate id: choice} on an election motion."""
    field = f"motion_{motion.number}"
    if not motion.is_election:
        if vote not in Choice.values:
            raise ValidationError(
                {field: _("Motion %(number)s: choose agree, against or abstain.") % {"number": motion.number}}
            )
        return vote, {}
    if not isinstance(vote, Mapping):
        raise ValidationError(
            {field: _("Motion %(number)s: give a choice for each candidate.") % {"number": motion.number}}
        )
    on_slate = {c.pk for c in slate(motion)}
    choices = {}
    for key, choice in vote.items():
        if choice in ("", None):
            continue
        if not str(key).isdigit() or int(key) not in on_slate:
            raise ValidationError(
                {
                    field: _("Motion %(number)s: candidate %(id)s is not on the slate.")
                    % {"number": motion.number, "id": key}
                }
            )
        if choice not in Choice.values:
            raise ValidationError(
                {field: _("Motion %(number)s: choose agree, against or abstain.") % {"number": motion.number}}
            )
        choices[int(key)] = choice
    agree = sum(1 for c in choices.values() if c == Choice.AGREE)
    if seats is not None and agree > seats:
        raise ValidationError(
            {
                field: _(
                    "Motion %(number)s: agree with at most %(seats)s candidates, one per seat; "
                    "this ballot agrees with %(agree)s."
                )
                % {"number": motion.number, "seats": seats, "agree": agree}
            }
        )
    return "", choices


def _insert(motion: Motion, voter: Voter, *, choice: str, choices: dict[int, str], actor, **fields) -> Ballot:
    """Insert one ballot; a second ballot of the voter on the motion is refused (by the database if two race)."""
    duplicate = ValidationError(
        {
            f"motion_{motion.number}": _(
                "Motion %(number)s: a ballot for %(voter)s has already been cast; one ballot per owner per motion."
            )
            % {"number": motion.number, "voter": voter.label}
        }
    )
    if Ballot.objects.filter(motion=motion, voter=voter).exists():
        raise duplicate
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(motion=motion, voter=voter, choice=choice, **fields)
    except IntegrityError as exc:
        if Ballot.objects.filter(motion=motion, voter=voter).exists():
            raise duplicate from None
        if "paper" in str(exc).lower() or fields.get("paper_number"):
            raise ValidationError(
                {
                    "paper_number": _("Ballot number %(number)s has already been entered.")
                    % {"number": fields.get("paper_number")}
                }
            ) from None
        raise
    CandidateChoice.objects.bulk_create(
        CandidateChoice(ballot=ballot, candidate_id=pk, choice=c) for pk, c in choices.items()
    )
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=ballot, after=_ballot_snapshot(ballot))
    return ballot


def _ballot_snapshot(ballot: Ballot) -> dict:
    data = snapshot(ballot)
    data["candidate_choices"] = {
        str(pk): c for pk, c in ballot.candidate_choices.order_by("candidate_id").values_list("candidate_id", "choice")
    }
    return data


def _cast(
    *,
    actor,
    meeting: GeneralMeeting,
    voter: Voter,
    votes: Mapping[int, object],
    channel: str,
    at: dt.datetime,
    **fields,
) -> list[Ballot]:
    _expect(meeting, "cast")
    _check_window(meeting, at)
    motions = {m.number: m for m in meeting.motions.select_related("meeting")}
    if not votes:
        raise ValidationError(_("The ballot is empty: vote on at least one motion."))
    unknown = set(votes) - set(motions)
    if unknown:
        raise ValidationError(
            _("This meeting has no motion %(numbers)s.") % {"numbers": ", ".join(str(n) for n in sorted(unknown))}
        )
    seats = meeting.campaign.seats if meeting.campaign_id else None
    ballots = []
    for number in sorted(votes):
        motion = motions[number]
        choice, choices = _clean_vote(motion, votes[number], seats)
        ballots.append(
            _insert(motion, voter, choice=choice, choices=choices, actor=actor, channel=channel, cast_at=at, **fields)
        )
    return ballots


@transaction.atomic
def ballots_cast_online(
    *, actor, meeting: GeneralMeeting, votes: Mapping[int, object], at: dt.datetime | None = None
) -> list[Ballot]:
    """The logged-in owner votes on the motions numbered in `votes`. All or nothing."""
    meeting = _locked(meeting)
    member = VoterMember.objects.filter(meeting=meeting, person_id=actor.person_id).select_related("voter").first()
    if actor.person_id is None or member is None:
        raise ValidationError(
            {
                "voter": _(
                    "You are not in this meeting's electorate (it was frozen from the room register on %(day)s)."
                )
                % {"day": meeting.announced_on}
            }
        )
    return _cast(
        actor=actor,
        meeting=meeting,
        voter=member.voter,
        votes=votes,
        channel=Channel.ONLINE,
        at=at or timezone.now(),
        cast_by_id=actor.person_id,
    )


def voter_for_room(meeting: GeneralMeeting, room_label: str) -> Voter:
    frozen = ElectorateRoom.objects.filter(meeting=meeting, label=room_label.strip()).select_related("voter").first()
    if frozen is None:
        raise ValidationError({"room": _("Room %(room)s is not in this meeting's electorate.") % {"room": room_label}})
    return frozen.voter


@transaction.atomic
def paper_ballot_enter(
    *,
    actor,
    meeting: GeneralMeeting,
    room: str,
    paper_number: str,
    votes: Mapping[int, object],
    received_at: dt.datetime,
) -> list[Ballot]:
    """Staff enter a paper ballot, identified by its number and a room of the voter. It counts once a second
    person checks it (`paper_ballot_check`)."""
    meeting = _locked(meeting)
    _refuse_unless(rules.may_run_election(actor, meeting.compound))
    paper_number = paper_number.strip()
    if not paper_number:
        raise ValidationError({"paper_number": _("Enter the number printed on the paper ballot.")})
    voter = voter_for_room(meeting, room)
    return _cast(
        actor=actor,
        meeting=meeting,
        voter=voter,
        votes=votes,
        channel=Channel.PAPER,
        at=received_at,
        paper_number=paper_number,
        entered_by=actor,
    )


@transaction.atomic
def paper_ballot_check(*, actor, meeting: GeneralMeeting, paper_number: str) -> int:
    """A second person confirms a paper ballot as entered; returns how many motions' ballots it confirmed."""
    meeting = _locked(meeting)
    _refuse_unless(rules.may_run_election(actor, meeting.compound))
    _expect(meeting, "check_paper")
    ballots = list(
        Ballot.objects.select_for_update().filter(
            motion__meeting=meeting, channel=Channel.PAPER, paper_number=paper_number.strip()
        )
    )
    if not ballots:
        raise ValidationError(
            {"paper_number": _("No paper ballot numbered %(number)s was entered.") % {"number": paper_number}}
        )
    if any(b.entered_by_id == actor.pk for b in ballots):
        raise ValidationError(
            {"paper_number": _("The person who entered a ballot cannot check it; a second person must.")}
        )
    for ballot in ballots:
        if ballot.checked_by_id is None:
            before = _ballot_snapshot(ballot)
            ballot.checked_by = actor
            ballot.save(update_fields=["checked_by"])
            audit_record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=ballot,
                before=before,
                after=_ballot_snapshot(ballot),
                note=_("checked by a second person"),
            )
    return len(ballots)


@transaction.atomic
def onsite_ballot_record(
    *, actor, meeting: GeneralMeeting, person, votes: Mapping[int, object], at: dt.datetime | None = None
) -> list[Ballot]:
    """An owner votes at the meeting's polling place; staff record it after checking the owner's identity."""
    meeting = _locked(meeting)
    _refuse_unless(rules.may_run_election(actor, meeting.compound))
    member = VoterMember.objects.filter(meeting=meeting, person=person).select_related("voter").first()
    if member is None:
        raise ValidationError({"person": _("%(person)s is not in this meeting's electorate.") % {"person": person}})
    return _cast(
        actor=actor,
        meeting=meeting,
        voter=member.voter,
        votes=votes,
        channel=Channel.ON_SITE,
        at=at or timezone.now(),
        cast_by=person,
        entered_by=actor,
    )


@transaction.atomic
def ballot_correct(*, actor, ballot: Ballot, vote, reason: str) -> Ballot:
    """Correct a mis-entered paper or on-site ballot before the count. Audited; a paper ballot needs checking again."""
    meeting = _locked(Ballot.objects.select_related("motion__meeting").get(pk=ballot.pk).motion.meeting)
    ballot = Ballot.objects.select_for_update().select_related("motion").get(pk=ballot.pk)
    _refuse_unless(rules.may_run_election(actor, meeting.compound))
    _expect(meeting, "correct_ballot")
    if ballot.channel == Channel.ONLINE:
        raise ValidationError(_("An owner's online ballot cannot be changed by staff."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the ballot is corrected.")})
    choice, choices = _clean_vote(ballot.motion, vote, meeting.campaign.seats if meeting.campaign_id else None)
    before = _ballot_snapshot(ballot)
    ballot.choice = choice
    if ballot.channel == Channel.PAPER:
        ballot.checked_by = None
    ballot.save(update_fields=["choice", "checked_by"])
    ballot.candidate_choices.all().delete()
    CandidateChoice.objects.bulk_create(
        CandidateChoice(ballot=ballot, candidate_id=pk, choice=c) for pk, c in choices.items()
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=ballot,
        before=before,
        after=_ballot_snapshot(ballot),
        note=reason.strip(),
    )
    return ballot


@transaction.atomic
def meeting_cancel(*, actor, meeting: GeneralMeeting, reason: str) -> GeneralMeeting:
    """Call off a meeting before its count. Its ballots stay on the record and count for nothing; an election
    goes back to the campaign stage so that another meeting can be called."""
    meeting = _locked(meeting)
    _refuse_unless(rules.may_run_election(actor, meeting.compound))
    cancelled = _expect(meeting, "cancel")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the meeting is called off.")})
    meeting = update_audited(meeting, actor=actor, audit_note=reason.strip()[:200], status=cancelled)
    if meeting.campaign_id is not None:
        campaign = _locked_campaign(meeting.campaign)
        if workflow.CAMPAIGN.can(campaign.status, "reschedule"):
            move(actor=actor, campaign=campaign, action="reschedule", note=reason.strip())
    return meeting
