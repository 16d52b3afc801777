"""Counting an owners' general meeting vote as the Civil Code requires (DOMAIN.md §4). Pure: no Django.

Area. Each room counts once, with its registered area, else its surveyed area, else its contract
area (interpretation art. 8). A room may be given several times, once per area source; the best
source wins. The total area is the sum over all rooms.

Voters (heads, interpretation art. 9). The rule, applied in this order:

1. Every room starts as its own voter, held by the set of people who own it. A co-owned room is
   therefore ONE voter: any one of its co-owners casts its ballot, and a ballot from a second
   co-owner is a duplicate.
2. Rooms whose owner sets share a person merge into one voter, transitively (one buyer of several
   rooms is one head; if X co-owns room A with Y and owns room B alone, then A and B are one voter
   that X or Y may cast).
3. All of the developer's unsold or undelivered rooms merge into one voter, the developer, cast by
   any person named on one of those rooms.

A voter's area is the sum of its rooms' areas. Total heads is the number of voters.

Counting. A voter takes part when it casts a ballot (agree, against or abstain): its area and its
one head count as participating. Quorum: participating area >= 2/3 of total area AND participating
heads >= 2/3 of total heads. Matters 6, 7, 8 pass with agreeing area >= 3/4 of participating area
AND agreeing heads >= 3/4 of participating heads; every other matter needs strictly more than 1/2
of both ("以上" includes the bound, "过半数" does not; Civil Code art. 1259). No quorum, no pass.
Everything is an exact Fraction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

AREA_SOURCES = ("registered", "surveyed", "contract")  # best first
CHOICES = ("agree", "against", "abstain")
SPECIAL_MATTERS = frozenset({6, 7, 8})
QUORUM = Fraction(2, 3)
DEVELOPER = "developer"


class TallyError(ValueError):
    """Input the rules cannot count. `row` is the Room's or Ballot's row, when it came from a file."""

    def __init__(self, message: str, *, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.row = row


@dataclass(frozen=True)
class Room:
    room: str
    owners: tuple[str, ...]
    area: Fraction | Decimal | int
    area_source: str = "registered"
    developer_unsold: bool = False
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Ballot:
    owner: str
    choice: str
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Voter:
    key: str  # "developer", or the sorted owner names joined by ";"
    owners: frozenset[str]
    rooms: tuple[str, ...]
    area: Fraction


@dataclass(frozen=True)
class Threshold:
    fraction: Fraction
    strict: bool  # True: strictly more than `fraction` (过半数); False: at least (以上)

    def met(self, part: Fraction, whole: Fraction) -> bool:
        if whole == 0:
            return False
        share = Fraction(part) / Fraction(whole)
        return share > self.fraction if self.strict else share >= self.fraction

    def __str__(self) -> str:
        return f"{'>' if self.strict else '>='} {self.fraction}"


def threshold_for(matter: int) -> Threshold:
    if isinstance(matter, bool) or not isinstance(matter, int) or not 1 <= matter <= 9:
        raise TallyError(f"The matter must be a number from 1 to 9, not {matter!r}.")
    if matter in SPECIAL_MATTERS:
        return Threshold(Fraction(3, 4), strict=False)
    return Threshold(Fraction(1, 2), strict=True)


QUORUM_THRESHOLD = Threshold(QUORUM, strict=False)


def _area(room: Room) -> Fraction:
    try:
        area = Fraction(room.area)
    except (TypeError, ValueError, ArithmeticError):
        raise TallyError(f"Room {room.room}: the area {room.area!r} is not a number.", row=room.row) from None
    if area <= 0:
        raise TallyError(f"Room {room.room}: the area must be greater than zero, not {room.area}.", row=room.row)
    return area


def _best_rows(rooms: Iterable[Room]) -> list[Room]:
    """One Room per room number: the one with the best area source; the rows must agree on owners."""
    by_room: dict[str, dict[str, Room]] = {}
    for room in rooms:
        if not room.room:
            raise TallyError("A room has no room number.", row=room.row)
        if room.area_source not in AREA_SOURCES:
            raise TallyError(
                f"Room {room.room}: unknown area source {room.area_source!r} "
                f"(expected one of {', '.join(AREA_SOURCES)}).",
                row=room.row,
            )
        owners = tuple(o for o in room.owners if o)
        if not owners and not room.developer_unsold:
            raise TallyError(f"Room {room.room}: no owner is named.", row=room.row)
        _area(room)
        sources = by_room.setdefault(room.room, {})
        if room.area_source in sources:
            raise TallyError(f"Room {room.room} is listed twice with the {room.area_source} area.", row=room.row)
        first = next(iter(sources.values()), None)
        if first and (set(first.owners) != set(owners) or first.developer_unsold != room.developer_unsold):
            raise TallyError(
                f"Room {room.room}: the owners or the developer flag differ from an earlier row.", row=room.row
            )
        sources[room.area_source] = room
    return [next(sources[s] for s in AREA_SOURCES if s in sources) for sources in by_room.values()]


@dataclass(frozen=True)
class Electorate:
    voters: tuple[Voter, ...]
    voter_of: dict[str, Voter]  # person name -> the voter whose ballot that person casts
    total_area: Fraction

    @property
    def total_heads(self) -> int:
        return len(self.voters)

    @classmethod
    def from_rooms(cls, rooms: Iterable[Room]) -> Electorate:
        chosen = _best_rows(rooms)
        if not chosen:
            raise TallyError("There are no rooms: the electorate is empty.")
        # Union-find over room numbers: rooms sharing an owner, and all developer rooms, merge.
        parent = {room.room: room.room for room in chosen}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(a: str, b: str) -> None:
            parent[find(a)] = find(b)

        first_room_of: dict[str, str] = {}
        developer_room = None
        for room in chosen:
            for owner in room.owners:
                if owner:
                    union(room.room, first_room_of.setdefault(owner, room.room))
            if room.developer_unsold:
                union(room.room, developer_room or room.room)
                developer_room = developer_room or room.room

        groups: dict[str, list[Room]] = {}
        for room in chosen:
            groups.setdefault(find(room.room), []).append(room)
        voters, voter_of = [], {}
        for members in groups.values():
            owners = frozenset(o for r in members for o in r.owners if o)
            is_developer = any(r.developer_unsold for r in members)
            voter = Voter(
                key=DEVELOPER if is_developer else ";".join(sorted(owners)),
                owners=owners,
                rooms=tuple(sorted(r.room for r in members)),
                area=sum((_area(r) for r in members), Fraction(0)),
            )
            voters.append(voter)
            for owner in owners:
                voter_of[owner] = voter
        voters.sort(key=lambda v: v.key)
        return cls(voters=tuple(voters), voter_of=voter_of, total_area=sum((v.area for v in voters), Fraction(0)))


@dataclass(frozen=True)
class Result:
    matter: int
    total_area: Fraction
    total_heads: int
    participating_area: Fraction
    participating_heads: int
    quorum_met: bool
    agree_area: Fraction
    agree_heads: int
    threshold: Threshold
    passed: bool

    @property
    def participating_area_share(self) -> Fraction:
        return self.participating_area / self.total_area

    @property
    def participating_heads_share(self) -> Fraction:
        return Fraction(self.participating_heads, self.total_heads)

    @property
    def agree_area_share(self) -> Fraction | None:
        return self.agree_area / self.participating_area if self.participating_area else None

    @property
    def agree_heads_share(self) -> Fraction | None:
        return Fraction(self.agree_heads, self.participating_heads) if self.participating_heads else None


def tally(electorate: Electorate, ballots: Iterable[Ballot], matter: int) -> Result:
    threshold = threshold_for(matter)
    cast: dict[str, tuple[Voter, Ballot]] = {}
    for ballot in ballots:
        if ballot.choice not in CHOICES:
            raise TallyError(
                f"Unknown choice {ballot.choice!r} (expected one of {', '.join(CHOICES)}).", row=ballot.row
            )
        voter = electorate.voter_of.get(ballot.owner)
        if voter is None:
            raise TallyError(f"Unknown owner {ballot.owner!r}: not an owner of any room.", row=ballot.row)
        if voter.key in cast:
            earlier = cast[voter.key][1]
            where = f" (row {earlier.row})" if earlier.row is not None else ""
            raise TallyError(
                f"Duplicate ballot: {ballot.owner!r} votes for rooms {', '.join(voter.rooms)}, "
                f"already voted for by {earlier.owner!r}{where}.",
                row=ballot.row,
            )
        cast[voter.key] = (voter, ballot)

    participating = [voter for voter, _ in cast.values()]
    agreeing = [voter for voter, ballot in cast.values() if ballot.choice == "agree"]
    p_area = sum((v.area for v in participating), Fraction(0))
    a_area = sum((v.area for v in agreeing), Fraction(0))
    quorum_met = QUORUM_THRESHOLD.met(p_area, electorate.total_area) and QUORUM_THRESHOLD.met(
        Fraction(len(participating)), Fraction(electorate.total_heads)
    )
    passed = (
        quorum_met
        and threshold.met(a_area, p_area)
        and threshold.met(Fraction(len(agreeing)), Fraction(len(participating)))
    )
    return Result(
        matter=matter,
        total_area=electorate.total_area,
        total_heads=electorate.total_heads,
        participating_area=p_area,
        participating_heads=len(participating),
        quorum_met=quorum_met,
        agree_area=a_area,
        agree_heads=len(agreeing),
        threshold=threshold,
        passed=passed,
    )


def decimal_string(value: Fraction) -> str:
    """An exact decimal string for a terminating fraction ("1225.5"), else "n/d"."""
    value = Fraction(value)
    d, k = value.denominator, 0
    while d % 10 == 0 or d % 2 == 0 or d % 5 == 0:
        if d % 10 == 0:
            d //= 10
        elif d % 2 == 0:
            d //= 2
        else:
            d //= 5
        k += 1
    if d != 1:
        return f"{value.numerator}/{value.denominator}"
    scaled = value * 10**k
    return str(Decimal(scaled.numerator).scaleb(-k).normalize()) if k else str(value.numerator)
