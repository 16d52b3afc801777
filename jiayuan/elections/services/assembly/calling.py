"""Calling a meeting: its motions, and the announcement that freezes the electorate from the room register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.services import create_audited, update_audited
from jiayuan.organisations.models import Organisation
from jiayuan.people.models import Ownership, Person
from jiayuan.places.models import Room

from ... import rules, tally, workflow
from ...models import (
    Campaign,
    ElectorateRoom,
    GeneralMeeting,
    Motion,
    Voter,
    VoterMember,
)
from ..campaign import move, ready_to_vote
from ..campaign._common import _locked as _locked_campaign
from ..campaign._common import _refuse_unless
from ._common import NOTICE_DAYS, Status, _expect, _locked


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
