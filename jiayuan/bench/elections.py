"""`jiayuan bench elections`: an owners' general meeting at the scale of a large compound, timed.

Inside one transaction that is rolled back at the end (the database is left as it was), it builds a compound
of ROOMS rooms — one owner each, every tenth owner also owning the next room, 2% held unsold by the developer —
and a campaign with CANDIDATES on the slate for SEATS seats; then times, through the services:

- announce: freezing the electorate from the room register (meeting_announce);
- cast: one on-site ballot per voter for the election and an ordinary motion (onsite_ballot_record), for
  PARTICIPATION of the voters;
- count: meeting_count, which rebuilds the electorate and runs the rule engine per motion and candidate.

The baseline, in the same process and on the same data: the pure rule engine (tally.Electorate.from_rooms and
tally.tally per motion and candidate) on plain values in memory. The ratio count / baseline is what the
database, the ORM and the stored results cost over the counting itself.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from jiayuan.core.models import User
from jiayuan.elections import tally
from jiayuan.elections.models import Campaign, Candidate, GeneralMeeting, Motion, VoterMember
from jiayuan.elections.services import assembly
from jiayuan.organisations.models import Organisation
from jiayuan.people.models import Ownership, Person
from jiayuan.places.models import Building, City, Community, Compound, Room, Town, Unit


@dataclass
class Figures:
    rooms: int
    voters: int
    ballots: int
    announce_s: float
    cast_ms_per_voter: float
    count_s: float
    baseline_s: float

    @property
    def ratio(self) -> float:
        return self.count_s / self.baseline_s if self.baseline_s else float("inf")


class _Rollback(Exception):
    pass


def run(
    *, rooms: int = 3000, seats: int = 11, candidates: int = 15, participation: float = 0.8, seed: int = 2026
) -> Figures:
    figures: Figures | None = None
    try:
        with transaction.atomic():
            figures = _measure(
                rooms=rooms, seats=seats, candidates=candidates, participation=participation, rng=random.Random(seed)
            )
            raise _Rollback
    except _Rollback:
        pass
    return figures


def _compound(rooms: int, rng) -> tuple[Compound, list[Person], Organisation]:
    city = City.objects.create(code="990000", name="基准市")
    town = Town.objects.create(city=city, code="990000001", name="基准街道", kind=Town.Kind.SUBDISTRICT)
    community = Community.objects.create(town=town, code="990000001001", name="基准社区")
    compound = Compound.objects.create(
        community=community, code="B0001", name="基准花园", kind="commercial", management="company", year_built=2015
    )
    developer = Organisation.objects.create(
        kind=Organisation.Kind.DEVELOPER, name="基准置业", established_on=dt.date(2010, 1, 1)
    )
    per_unit = 100
    room_rows = []
    for b in range((rooms + 4 * per_unit - 1) // (4 * per_unit)):
        building = Building.objects.create(compound=compound, number=f"{b + 1}号楼", floors=25)
        for u in range(4):
            unit = Unit.objects.create(building=building, number=f"{u + 1}单元")
            room_rows += [
                Room(
                    unit=unit,
                    number=f"{n + 1:04d}",
                    floor=n // 4 + 1,
                    area=Decimal(rng.randint(6000, 16000)) / 100,
                    area_source=rng.choice(["registered", "registered", "surveyed", "contract"]),
                )
                for n in range(per_unit)
            ]
    created = Room.objects.bulk_create(room_rows[:rooms])
    people = Person.objects.bulk_create(Person(name=f"业主{n}") for n in range(rooms))
    start = dt.date(2016, 1, 1)
    ownerships = []
    for n, room in enumerate(created):
        if rng.random() < 0.02:
            ownerships.append(Ownership(room=room, developer=developer, start_date=start))
        elif n % 10 == 1:  # the previous room's owner bought this one too: one head, two rooms
            ownerships.append(Ownership(room=room, person=people[n - 1], start_date=start))
        else:
            ownerships.append(Ownership(room=room, person=people[n], start_date=start))
    Ownership.objects.bulk_create(ownerships)
    return compound, people, developer


def _measure(*, rooms: int, seats: int, candidates: int, participation: float, rng) -> Figures:
    admin = User.objects.create_superuser(username="bench-elections", password=None)
    compound, people, _developer = _compound(rooms, rng)
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        compound=compound,
        kind=Campaign.Kind.FIRST,
        seats=seats,
        status=Campaign.Status.CAMPAIGNING,
        opened_on=today - dt.timedelta(days=60),
        created_by=admin,
    )
    owners = list(
        Person.objects.filter(pk__in=[p.pk for p in people], ownerships__isnull=False)
        .distinct()
        .order_by("pk")[: candidates * 3]
    )
    slate = [
        Candidate.objects.create(
            campaign=campaign, person=p, route=Candidate.Route.COMMUNITY, status=Candidate.Status.ON_SLATE
        )
        for p in owners[::3][:candidates]
    ]
    now = timezone.now()
    meeting = GeneralMeeting.objects.create(
        compound=compound,
        campaign=campaign,
        title="基准业主大会",
        voting_opens=now - dt.timedelta(days=1),
        voting_closes=now + dt.timedelta(days=1),
    )
    Motion.objects.create(meeting=meeting, number=1, matter=3, is_election=True, title="选举业委会")
    Motion.objects.create(meeting=meeting, number=2, matter=7, title="加装电梯")

    started = time.perf_counter()
    assembly.meeting_announce(actor=admin, meeting=meeting, on=timezone.localdate(now) - dt.timedelta(days=16))
    announce_s = time.perf_counter() - started

    meeting.refresh_from_db()
    first_member = {}
    for member in VoterMember.objects.filter(meeting=meeting).select_related("voter", "person").order_by("pk"):
        first_member.setdefault(member.voter_id, member)
    voting = [m.voter for m in first_member.values() if rng.random() < participation]
    votes_of = {}
    for voter in voting:
        agree = rng.sample(slate, rng.randint(0, seats))
        votes_of[voter.pk] = {
            1: {c.pk: ("agree" if c in agree else rng.choice(["against", "abstain"])) for c in slate},
            2: rng.choices(["agree", "against", "abstain"], weights=[78, 15, 7])[0],
        }
    started = time.perf_counter()
    for voter in voting:
        assembly.onsite_ballot_record(
            actor=admin, meeting=meeting, person=first_member[voter.pk].person, votes=votes_of[voter.pk], at=now
        )
    cast_s = time.perf_counter() - started

    started = time.perf_counter()
    assembly.meeting_count(actor=admin, meeting=meeting, now=now + dt.timedelta(days=1, minutes=1))
    count_s = time.perf_counter() - started

    baseline_s = _baseline(meeting, voting, votes_of, slate)
    return Figures(
        rooms=rooms,
        voters=meeting.voters.count(),
        ballots=len(voting) * 2,
        announce_s=announce_s,
        cast_ms_per_voter=cast_s * 1000 / max(len(voting), 1),
        count_s=count_s,
        baseline_s=baseline_s,
    )


def _baseline(meeting, voting, votes_of, slate) -> float:
    """The pure rule engine on the same rooms and choices, as plain values already in memory."""
    rooms = [
        tally.Room(
            room=str(r.room_id),
            owners=tuple(r.owners.split(";")),
            area=r.area,
            area_source=r.area_source,
            developer_unsold=r.developer_unsold,
        )
        for r in meeting.electorate_rooms.all()
    ]
    token = {v.pk: v.rooms.first().owners.split(";")[0] for v in voting}
    started = time.perf_counter()
    electorate = tally.Electorate.from_rooms(rooms)
    tally.tally(electorate, [tally.Ballot(owner=token[v.pk], choice=votes_of[v.pk][2]) for v in voting], 7)
    for candidate in slate:
        tally.tally(
            electorate, [tally.Ballot(owner=token[v.pk], choice=votes_of[v.pk][1][candidate.pk]) for v in voting], 3
        )
    return time.perf_counter() - started


def report(figures: Figures) -> list[str]:
    vendor = connection.vendor
    return [
        f"Owners' general meeting on {vendor}: {figures.rooms} rooms, {figures.voters} voters, "
        f"{figures.ballots} ballots (election + one motion)",
        f"  announce (freeze the electorate)   {figures.announce_s:8.2f} s",
        f"  cast, per voter (two motions)       {figures.cast_ms_per_voter:8.2f} ms",
        f"  count (all motions and candidates) {figures.count_s:8.2f} s",
        f"  baseline: the rule engine in memory {figures.baseline_s:8.3f} s",
        f"  count / baseline                    {figures.ratio:8.1f}×",
    ]
