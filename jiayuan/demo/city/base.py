"""The planner's shared state and steps: dates, people, party membership, posts, organisations.

Helper attributes named demo_* ride on the unsaved model instances while planning
(which compound a person lives in, whether a person is a party member, ...).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field

from jiayuan.core.identity import make_id_number
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people.models import PartyMembership, Person, Residency
from jiayuan.people.services import person_fields
from jiayuan.places.models import City

from .data import BASE_YEAR, CITY_CODE, GIVEN, NAMED_COMPOUNDS, OWNER_REGIONS, SURNAME_WEIGHTS, SURNAMES, TENANT_REGIONS


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class Plan:
    """Every object of the demo, unsaved, in the order they are written."""

    seed: int
    city: City | None = None
    towns: list = field(default_factory=list)
    communities: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    compounds: list = field(default_factory=list)
    grids: list = field(default_factory=list)
    buildings: list = field(default_factory=list)
    units: list = field(default_factory=list)
    rooms: list = field(default_factory=list)
    persons: list = field(default_factory=list)
    ownerships: list = field(default_factory=list)
    residencies: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    posts: list = field(default_factory=list)
    contracts: list = field(default_factory=list)
    venues: list = field(default_factory=list)
    org_compounds: list = field(default_factory=list)  # (organisation, compound)
    department_links: list = field(default_factory=list)  # organisations.DepartmentLink (挂钩联系)
    grid_compounds: list = field(default_factory=list)  # (grid, compound)
    personas: dict = field(default_factory=dict)  # username -> Person

    def fingerprint(self) -> str:
        """A short digest of the compounds and the size of everything: equal plans give equal digests."""
        digest = hashlib.sha256()
        for c in self.compounds:
            digest.update(f"{c.code}|{c.name}|{c.kind}|{c.year_built}|{c.management};".encode())
        sizes = [len(getattr(self, name)) for name in ("buildings", "rooms", "persons", "ownerships", "posts")]
        digest.update(repr(sizes).encode())
        return digest.hexdigest()[:16]


class PlannerBase:
    """The planner's state and the small steps every part of the plan takes (dates, people, posts).

    The parts of the plan (places, housing, organisations, party, committees) are mixins of this class,
    combined in `planner._Planner`; each step leaves what the later ones read on `self` (the named people,
    the compounds by name, the branch secretaries, ...) and as demo_* attributes on the unsaved instances.
    """

    def __init__(self, seed: int, today: dt.date):
        self.rng = random.Random(seed)
        self.offset = max(0, today.year - BASE_YEAR)
        self.plan = Plan(seed=seed)
        self.used_ids: set[str] = set()
        self.used_credit_codes: set[str] = set()
        self.used_names: set[str] = set(NAMED_COMPOUNDS)
        self.named: dict[str, Person] = {}
        self.last = self.day(2025, 12, 31)
        self._surname_cum = _cumulative(SURNAME_WEIGHTS)
        self._owner_regions = ([r for r, _ in OWNER_REGIONS], _cumulative([w for _, w in OWNER_REGIONS]))
        self._tenant_regions = ([r for r, _ in TENANT_REGIONS], _cumulative([w for _, w in TENANT_REGIONS]))

    # --- dates -----------------------------------------------------------
    def day(self, year: int, month: int = 1, day: int = 1) -> dt.date:
        return add_years(dt.date(year, month, day), self.offset)

    def between(self, low: dt.date, high: dt.date) -> dt.date:
        return low + dt.timedelta(days=self.rng.randint(0, max(0, (high - low).days)))

    # --- people ----------------------------------------------------------
    def name(self, gender: str) -> str:
        rng = self.rng
        surname = rng.choices(SURNAMES, cum_weights=self._surname_cum)[0]
        chars = GIVEN[gender]
        given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.75 else "")
        return surname + given

    def person(
        self, *, gender: str | None = None, born=(1955, 1995), name: str | None = None, tenant: bool = False
    ) -> Person:
        rng = self.rng
        gender = gender or rng.choice("MF")
        regions, cum = self._tenant_regions if tenant else self._owner_regions
        region = rng.choices(regions, cum_weights=cum)[0]
        while True:
            birth = dt.date(rng.randint(*born), rng.randint(1, 12), rng.randint(1, 28))
            number = make_id_number(region, birth, rng.randrange(500) * 2 + (gender == "M"))
            if number not in self.used_ids:
                break
        self.used_ids.add(number)
        phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        person = Person(**person_fields(name=name or self.name(gender), id_number=number, phone=phone))
        person.demo_party = person.demo_locked = person.demo_reserved = person.demo_head = person.demo_lead = False
        person.demo_compound = None
        person.demo_rooms = 0
        self.plan.persons.append(person)
        return person

    def join_party(self, person: Person, organisation=None, **extra) -> None:
        """Make `person` a party member (once); members holding a non-party committee seat never are."""
        if person.demo_party:
            return
        assert not person.demo_locked, "a non-party committee seat cannot turn into a party seat"
        earliest = add_years(person.birth_date, 20)
        joined = self.between(earliest, max(earliest, dt.date(2025, 6, 30)))
        self.plan.memberships.append(
            PartyMembership(person=person, joined_on=joined, organisation=organisation, **extra)
        )
        person.demo_party = True

    def post(self, person, organisation, role, start, end=None, **extra) -> Post:
        post = Post(person=person, organisation=organisation, role=role, start_date=start, end_date=end, **extra)
        self.plan.posts.append(post)
        return post

    def pick(self, people, *, party: bool | None = None, exclude=()):
        """A random person from `people` free for a new post, or None."""
        excluded = {id(p) for p in exclude}
        pool = [
            p
            for p in people
            if not p.demo_reserved
            and id(p) not in excluded
            and (party is None or (p.demo_party if party else not p.demo_party))
            and not (party and p.demo_locked)
        ]
        return self.rng.choice(pool) if pool else None

    def organisation(self, wave: int, kind: str, name: str, established_on: dt.date, **fields) -> Organisation:
        org = Organisation(kind=kind, name=name, established_on=established_on, **fields)
        org.demo_wave = wave
        self.plan.organisations.append(org)
        return org

    def credit_code(self) -> str:
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        while True:
            code = f"91{CITY_CODE}MA" + "".join(self.rng.choice(alphabet) for _ in range(8))
            if code not in self.used_credit_codes:
                self.used_credit_codes.add(code)
                return code

    def resident_of(self, compound) -> Person:
        """A family member of an owner, for the rare compound where every owner already has a role."""
        person = self.person(born=(1960, 1990))
        room = compound.demo_building_list[0].demo_rooms[0]
        self.plan.residencies.append(
            Residency(room=room, person=person, relation=Residency.Relation.FAMILY, start_date=self.day(2020))
        )
        return person


def _cumulative(weights) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out
