"""Writes of an owners' general meeting: motions, announcement (which freezes the electorate), ballots
online, on paper and on site, corrections, the count and its publication, and forming the elected committee.

The count goes through the pure rule engine (`tally.py`), fed with the electorate frozen at announcement,
so the web verdict and `jiayuan tally` on the exported files (`selectors.tally_files`) agree by construction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.audit import audit_record, snapshot
from jiayuan.core.models import AuditEntry
from jiayuan.core.services import create_audited, update_audited
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people.models import Ownership, Person
from jiayuan.places.models import Room

from .. import rules, tally, workflow
from ..models import (
    Ballot,
    Campaign,
    Candidate,
    CandidateChoice,
    ElectorateRoom,
    GeneralMeeting,
    Motion,
    Result,
    Voter,
    VoterMember,
)
from .campaign import _locked as _locked_campaign
from .campaign import _refuse_unless, move, ready_to_vote

NOTICE_DAYS = 15  # Property Management Regulations art. 14
FIRST_MEETING_DAYS = 7  # the new committee's first meeting (DOMAIN.md §5)
MIN_COMMITTEE = 5
Status = GeneralMeeting.Status
Choice = Ballot.Choice
Channel = Ballot.Channel


def _locked(meeting: GeneralMeeting) -> GeneralMeeting:
    """The meeting's row, locked to the end of the transaction: ballots, checks and the count run one at a time,
    so no ballot can commit after the count has read the ballots."""
    return (
        GeneralMeeting.objects.select_for_update(of=("self",))
        .select_related("compound__community__town", "campaign")
        .get(pk=meeting.pk)
    )


def _expect(meeting: GeneralMeeting, action: str) -> str:
    """The state `action` leads the meeting to (workflow.MEETING); ValidationError if its state does not permit it."""
    if not workflow.MEETING.can(meeting.status, action):
        raise ValidationError(
            _("The meeting is “%(status)s”; this step is not possible now.") % {"status": meeting.get_status_display()}
        )
    return workflow.MEETING.next(meeting.status, action)


@transaction.atomic
def meeting_create(
    *,
    actor,
    compound,
    title: str,
    voting_opens: dt.datetime,
    voting_closes: dt.datetime,
    place: str = "",
    campaign: Campaign | None = None,
) -> GeneralMeeting:
    """A draft meeting. For an election, its first motion elects the committee from the campaign's slate."""
    _refuse_unless(rules.may_run_election(actor, compound))
    errors = {}
    if voting_closes <= voting_opens:
        errors["voting_closes"] = _("Voting must close after it opens.")
    if campaign is not None:
        campaign = _locked_campaign(campaign)
        if campaign.compound_id != compound.pk:
            errors["campaign"] = _("The election belongs to another compound.")
        elif not workflow.CAMPAIGN.can(campaign.status, "call_meeting"):
            errors["campaign"] = _(
                "The election is at the stage “%(stage)s”; its general meeting is called after the campaign meeting."
            ) % {"stage": campaign.get_status_display()}
        elif GeneralMeeting.objects.filter(campaign=campaign).exclude(status=Status.CANCELLED).exists():
            errors["campaign"] = _("This election already has its general meeting.")
        else:
            missing = ready_to_vote(campaign)
            if missing:
                errors["campaign"] = " ".join(missing)
    if errors:
        raise ValidationError(errors)
    meeting = create_audited(
        GeneralMeeting,
        actor=actor,
        compound=compound,
        campaign=campaign,
        title=title,
        voting_opens=voting_opens,
        voting_closes=voting_closes,
        place=place,
        created_by=actor,
    )
    if campaign is not None:
        create_audited(
            Motion,
            actor=actor,
            meeting=meeting,
            number=1,
            matter=Motion.Matter.COMMITTEE,
            is_election=True,
            title=_("Election of the owners' committee (%(seats)s seats)") % {"seats": campaign.seats},
        )
    return meeting


@transaction.atomic
def motion_add(*, actor, meeting: GeneralMeeting, matter: int, title: str, text: str = "") -> Motion:
    meeting = _locked(meeting)
    _refuse_unless(rules.may_run_election(actor, meeting.compound))
    _expect(meeting, "add_motion")
    if matter not in Motion.Matter.values:
        raise ValidationError({"matter": _("The matter must be one of the Civil Code's nine, 1 to 9.")})
    number = (meeting.motions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return create_audited(Motion, actor=actor, meeting=meeting, number=number, matter=matter, title=title, text=text)


# --- Announcement and the frozen electorate ---------------------------------------------------------


def _register_rooms(compound, day: dt.date) -> list[tally.Room]:
    """The compound's rooms as the rule engine reads them, from the room register on `day`."""
    current = Ownership.objects.filter(room__unit__building__compound=compound).current_on(day)
    owners: dict[int, list[str]] = {}
    developer_rooms: set[int] = set()
    for room_id, person_id, developer_id in current.values_list("room_id", "person_id", "developer_id"):
        if developer_id is not None:
            developer_rooms.add(room_id)
            owners.setdefault(room_id, []).append(f"d{developer_id}")
        else:
            owners.setdefault(room_id, []).append(f"p{person_id}")
    rooms = Room.objects.filter(unit__building__compound=compound).values_list("pk", "area", "area_source")
    return [
        tally.Room(
            room=str(pk),
            owners=tuple(sorted(owners.get(pk) or [f"r{pk}"])),
            area=area,
            area_source=source,
            developer_unsold=pk in developer_rooms,
        )
        for pk, area, source in rooms
    ]


def room_label(room: Room) -> str:
    """A room's name within its compound: building, unit, room number ("1号楼 1单元 101")."""
    return f"{room.unit.building.number} {room.unit.number} {room.number}"


def _voter_label(voter: tally.Voter, names: dict[str, str]) -> str:
    return "、".join(names.get(token, token) for token in sorted(voter.owners))[:200]


def _token_names(tokens: set[str], rooms_by_pk: dict[int, Room]) -> dict[str, str]:
    people = {
        f"p{pk}": name
        for pk, name in Person.objects.filter(pk__in=[int(t[1:]) for t in tokens if t.startswith("p")]).values_list(
            "pk", "name"
        )
    }
    developers = {
        f"d{pk}": _("%(name)s (unsold rooms)") % {"name": name}
        for pk, name in Organisation.objects.filter(
            pk__in=[int(t[1:]) for t in tokens if t.startswith("d")]
        ).values_list("pk", "name")
    }
    nobody = {
        f"r{pk}": _("owner not registered (%(room)s)") % {"room": room_label(room)}
        for pk, room in rooms_by_pk.items()
        if f"r{pk}" in tokens
    }
    return people | developers | nobody


@transaction.atomic
def meeting_announce(*, actor, meeting: GeneralMeeting, on: dt.date | None = None) -> GeneralMeeting:
    """Announce the meeting at least 15 days ahead, and freeze the electorate from the room register.
    `on` may record an announcement already made (a past day), never one still to come."""
    day = on or timezone.localdate()
    meeting = _locked(meeting)
    _refuse_unless(rules.may_run_election(actor, meeting.compound))
    announced = _expect(meeting, "announce")
    if day > timezone.localdate():
        raise ValidationError({"on": _("A meeting cannot be announced on a day still to come.")})
    opens_on = timezone.localdate(meeting.voting_opens)
    if (opens_on - day).days < NOTICE_DAYS:
        raise ValidationError(
            {
                "voting_opens": _(
                    "A general meeting is announced at least %(days)s days ahead: voting opens on %(opens)s, only "
                    "%(ahead)s days after %(day)s."
                )
                % {"days": NOTICE_DAYS, "opens": opens_on, "ahead": (opens_on - day).days, "day": day}
            }
        )
    if not meeting.motions.exists():
        raise ValidationError(_("Add at least one motion before announcing the meeting."))
    campaign = meeting.campaign
    if campaign is not None:
        campaign = _locked_campaign(campaign)
        if not workflow.CAMPAIGN.can(campaign.status, "vote"):
            raise ValidationError(
                _("The election is at the stage “%(stage)s”.") % {"stage": campaign.get_status_display()}
            )
    register = _register_rooms(meeting.compound, day)
    try:
        electorate = tally.Electorate.from_rooms(register)
    except tally.TallyError as exc:
        raise ValidationError(_("The room register cannot be counted: %(reason)s") % {"reason": exc.message}) from None
    rooms_by_pk = {
        room.pk: room
        for room in Room.objects.filter(unit__building__compound=meeting.compound).select_related("unit__building")
    }
    names = _token_names({t for r in register for t in r.owners}, rooms_by_pk)
    voters = Voter.objects.bulk_create(
        Voter(
            meeting=meeting,
            key=v.key[:200],
            area=_decimal(v.area),
            is_developer=v.key == tally.DEVELOPER,
            label=_voter_label(v, names),
        )
        for v in electorate.voters
    )
    voter_by_key = {v.key: v for v in voters}
    engine_voter = {room_pk: v for v in electorate.voters for room_pk in v.rooms}
    ElectorateRoom.objects.bulk_create(
        ElectorateRoom(
            meeting=meeting,
            voter=voter_by_key[engine_voter[r.room].key[:200]],
            room_id=int(r.room),
            label=room_label(rooms_by_pk[int(r.room)])[:60],
            area=r.area,
            area_source=r.area_source,
            developer_unsold=r.developer_unsold,
            owners=";".join(r.owners)[:400],
        )
        for r in register
    )
    VoterMember.objects.bulk_create(
        VoterMember(meeting=meeting, voter=voter_by_key[v.key[:200]], person_id=int(token[1:]))
        for v in electorate.voters
        for token in v.owners
        if token.startswith("p")
    )
    meeting = update_audited(
        meeting,
        actor=actor,
        status=announced,
        announced_on=day,
        total_area=_decimal(electorate.total_area),
        total_heads=electorate.total_heads,
        audit_note=_("Electorate frozen: %(heads)s owners, %(area)s m².")
        % {"heads": electorate.total_heads, "area": tally.decimal_string(electorate.total_area)},
    )
    if campaign is not None:
        move(actor=actor, campaign=campaign, action="vote")
    return meeting


def _decimal(value: Fraction) -> Decimal:
    """An area sum as the exact Decimal it is (areas have two decimal places, so sums do too)."""
    value = Fraction(value)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction(exact) != value:
        raise ValueError(f"{value} is not an exact decimal area")
    return exact.quantize(Decimal("0.01"))


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


# --- Count and publication ---------------------------------------------------------------------------


def frozen_electorate(meeting: GeneralMeeting) -> tally.Electorate:
    """The rule engine's electorate, rebuilt from the rooms frozen at announcement."""
    return tally.Electorate.from_rooms(
        tally.Room(
            room=str(r.room_id),
            owners=tuple(r.owners.split(";")),
            area=r.area,
            area_source=r.area_source,
            developer_unsold=r.developer_unsold,
        )
        for r in ElectorateRoom.objects.filter(meeting=meeting).order_by("pk")
    )


@dataclass(frozen=True)
class _Counting:
    """The frozen electorate with, per voter key, one owner name the engine knows (any of them casts the
    voter's ballot) and the voter's area: looked up once per count, not once per ballot."""

    electorate: tally.Electorate
    token: dict[str, str]
    area: dict[str, Fraction]

    @classmethod
    def of(cls, electorate: tally.Electorate) -> _Counting:
        return cls(
            electorate, {v.key: min(v.owners) for v in electorate.voters}, {v.key: v.area for v in electorate.voters}
        )


def counted_ballots(motion: Motion):
    """The ballots that count: online and on-site ones, and paper ones a second person has checked."""
    return motion.ballots.filter(Q(channel__in=[Channel.ONLINE, Channel.ON_SITE]) | Q(checked_by__isnull=False))


def _sums(counting: _Counting, keyed_choices: dict[str, str], choice: str) -> tuple[Decimal, int]:
    chosen = [key for key, c in keyed_choices.items() if c == choice]
    return _decimal(sum((counting.area[k] for k in chosen), Fraction(0))), len(chosen)


def _result_row(motion, candidate, counting: _Counting, keyed_choices, matter) -> Result:
    outcome = tally.tally(
        counting.electorate, [tally.Ballot(owner=counting.token[k], choice=c) for k, c in keyed_choices.items()], matter
    )
    against_area, against_heads = _sums(counting, keyed_choices, Choice.AGAINST)
    abstain_area, abstain_heads = _sums(counting, keyed_choices, Choice.ABSTAIN)
    return Result(
        motion=motion,
        candidate=candidate,
        total_area=_decimal(outcome.total_area),
        total_heads=outcome.total_heads,
        participating_area=_decimal(outcome.participating_area),
        participating_heads=outcome.participating_heads,
        agree_area=_decimal(outcome.agree_area),
        agree_heads=outcome.agree_heads,
        against_area=against_area,
        against_heads=against_heads,
        abstain_area=abstain_area,
        abstain_heads=abstain_heads,
        quorum_met=outcome.quorum_met,
        passed=outcome.passed,
        threshold=str(outcome.threshold),
    )


def rank_candidates(results: list[Result], seats: int) -> None:
    """Rank the candidates who passed by agreeing heads, then agreeing area; the first `seats` are elected.

    The stated tie rule: candidates equal in both heads and area share a rank. If such a tie straddles the
    last seat, none of the tied candidates takes it; the remaining seats stay vacant for a run-off.
    """
    passed = sorted((r for r in results if r.passed), key=lambda r: (-r.agree_heads, -r.agree_area))
    rank = 0
    previous = None
    for position, result in enumerate(passed, start=1):
        if (result.agree_heads, result.agree_area) != previous:
            rank = position
            previous = (result.agree_heads, result.agree_area)
        result.rank = rank
    for result in passed:
        tied = [r for r in passed if (r.agree_heads, r.agree_area) == (result.agree_heads, result.agree_area)]
        last_rank = result.rank + len(tied) - 1
        result.elected = last_rank <= seats
        if result.rank <= seats < last_rank:
            result.tied_across_last_seat = len(tied)


@transaction.atomic
def meeting_count(*, actor, meeting: GeneralMeeting, now: dt.datetime | None = None) -> GeneralMeeting:
    """Count every motion once voting has closed and every paper ballot is checked."""
    now = now or timezone.now()
    meeting = _locked(meeting)
    _refuse_unless(rules.may_run_election(actor, meeting.compound))
    counted = _expect(meeting, "count")
    if now < meeting.voting_closes:
        raise ValidationError(
            _("Voting closes at %(closes)s; count after that.")
            % {"closes": f"{timezone.localtime(meeting.voting_closes):%Y-%m-%d %H:%M}"}
        )
    unchecked = Ballot.objects.filter(motion__meeting=meeting, channel=Channel.PAPER, checked_by__isnull=True)
    if unchecked.exists():
        numbers = sorted(set(unchecked.values_list("paper_number", flat=True)))
        raise ValidationError(
            _("Paper ballots not yet checked by a second person: %(numbers)s.")
            % {"numbers": ", ".join(numbers[:20]) + ("…" if len(numbers) > 20 else "")}
        )
    counting = _Counting.of(frozen_electorate(meeting))
    rows = []
    for motion in meeting.motions.order_by("number"):
        ballots = counted_ballots(motion)
        if not motion.is_election:
            rows.append(
                _result_row(motion, None, counting, dict(ballots.values_list("voter__key", "choice")), motion.matter)
            )
            continue
        # Each voter taking part abstains on every candidate they did not mark.
        picked = {key: {} for key in ballots.values_list("voter__key", flat=True)}
        for key, candidate_id, choice in CandidateChoice.objects.filter(ballot__in=ballots).values_list(
            "ballot__voter__key", "candidate_id", "choice"
        ):
            picked[key][candidate_id] = choice
        candidate_rows = []
        for candidate in slate(motion):
            keyed = {key: marks.get(candidate.pk, Choice.ABSTAIN) for key, marks in picked.items()}
            candidate_rows.append(_result_row(motion, candidate, counting, keyed, motion.matter))
        rank_candidates(candidate_rows, meeting.campaign.seats)
        rows.extend(candidate_rows)
    Result.objects.bulk_create(rows)
    return update_audited(meeting, actor=actor, status=counted, counted_at=now)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def meeting_publish(*, actor, meeting: GeneralMeeting, on: dt.date | None = None) -> GeneralMeeting:
    """Publish the counted results. An election forms the new committee from the elected candidates."""
    day = on or timezone.localdate()
    meeting = _locked(meeting)
    _refuse_unless(rules.may_run_election(actor, meeting.compound))
    published = _expect(meeting, "publish")
    meeting = update_audited(meeting, actor=actor, status=published, published_at=timezone.now())
    if meeting.campaign_id is not None:
        _form_committee(actor=actor, meeting=meeting, day=day)
    return meeting


def _form_committee(*, actor, meeting: GeneralMeeting, day: dt.date) -> None:
    campaign = _locked_campaign(meeting.campaign)
    results = list(
        Result.objects.filter(
            motion__meeting=meeting, motion__is_election=True, candidate__isnull=False
        ).select_related("candidate__person")
    )
    elected = sorted((r for r in results if r.elected), key=lambda r: (r.rank, r.candidate_id))
    for result in results:
        update_audited(
            result.candidate,
            actor=actor,
            status=workflow.CANDIDATE.next(result.candidate.status, "elect" if result.elected else "not_elect"),
        )
    if len(elected) < MIN_COMMITTEE:
        note = _(
            "Only %(count)s candidates were elected; a committee needs at least %(min)s. Hold a further election."
        ) % {"count": len(elected), "min": MIN_COMMITTEE}
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=campaign,
            before=snapshot(campaign),
            after=snapshot(campaign),
            note=note,
        )
        return
    compound = meeting.compound
    predecessor = campaign.predecessor
    if predecessor is not None and (predecessor.dissolved_on is None or predecessor.dissolved_on >= day):
        _retire(actor=actor, committee=predecessor, day=day)
    sequence = Organisation.objects.filter(kind=Organisation.Kind.OWNERS_COMMITTEE, compounds=compound).count() + 1
    committee = org_services.committee_create(
        actor=actor,
        compound=compound,
        name=f"{compound.name}第{_chinese_number(sequence)}届业主委员会",
        established_on=day,
        term_end=_add_years(day, campaign.term_years) - dt.timedelta(days=1),
        seats=campaign.seats,
        elected_by=meeting,
    )
    for result in elected:
        org_services.post_assign(
            actor=actor,
            person=result.candidate.person,
            organisation=committee,
            role=Post.Role.COMMITTEE_MEMBER,
            start_date=day,
            elected_by=meeting,
        )
    update_audited(campaign, actor=actor, committee=committee)
    move(
        actor=actor,
        campaign=campaign,
        action="elect",
        note=_("%(count)s members elected; the committee is %(committee)s.")
        % {"count": len(elected), "committee": committee},
    )


def _chinese_number(n: int) -> str:
    """1–99 in Chinese numerals, as committees are named (第二届, 第十二届)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}"


def _retire(*, actor, committee: Organisation, day: dt.date) -> None:
    """The outgoing committee's term ends the day before the new committee takes office."""
    last_day = max(day - dt.timedelta(days=1), committee.established_on)
    for post in committee.posts.filter(Q(end_date__isnull=True) | Q(end_date__gt=last_day)):
        org_services.post_end(
            actor=actor, post=post, end_date=max(last_day, post.start_date), note=_("The new committee took office.")
        )
    update_audited(committee, actor=actor, dissolved_on=last_day, audit_note=_("Succeeded by an elected committee."))


@transaction.atomic
def committee_officers_choose(*, actor, campaign: Campaign, director, deputies=(), held_on: dt.date) -> Organisation:
    """The new committee's first meeting (within 7 days of the election) chooses its director and deputies."""
    campaign = _locked_campaign(campaign)
    _refuse_unless(rules.may_run_election(actor, campaign.compound))
    committee = campaign.committee
    if not workflow.CAMPAIGN.can(campaign.status, "choose_officers") or committee is None:
        raise ValidationError(_("The committee has not been elected yet."))
    if not committee.established_on <= held_on <= committee.established_on + dt.timedelta(days=FIRST_MEETING_DAYS):
        raise ValidationError(
            {
                "held_on": _("The first meeting is held within %(days)s days of the election (%(start)s to %(end)s).")
                % {
                    "days": FIRST_MEETING_DAYS,
                    "start": committee.established_on,
                    "end": committee.established_on + dt.timedelta(days=FIRST_MEETING_DAYS),
                }
            }
        )
    deputies = [p for p in deputies if p != director]
    members = {
        p.person_id: p
        for p in committee.posts.filter(
            end_date__isnull=True,
            role__in=[Post.Role.COMMITTEE_MEMBER, Post.Role.COMMITTEE_DEPUTY, Post.Role.COMMITTEE_DIRECTOR],
        )
    }
    strangers = [p for p in [director, *deputies] if p.pk not in members]
    if strangers:
        raise ValidationError(
            {
                "director": _("Not elected members of the committee: %(names)s.")
                % {"names": "、".join(str(p) for p in strangers)}
            }
        )
    wanted = {director.pk: Post.Role.COMMITTEE_DIRECTOR} | {p.pk: Post.Role.COMMITTEE_DEPUTY for p in deputies}
    # Step down first, so the one-director constraint holds at every write.
    for person_id, post in sorted(members.items(), key=lambda item: item[0] in wanted):
        role = wanted.get(person_id, Post.Role.COMMITTEE_MEMBER)
        if post.role != role:
            update_audited(
                post,
                actor=actor,
                role=role,
                audit_note=_("Chosen at the committee's first meeting on %(day)s.") % {"day": held_on},
            )
    return committee
