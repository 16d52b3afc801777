"""Planning the demo city in memory: every object unsaved, fully determined by the seed.

Helper attributes named demo_* ride on the unsaved model instances while planning
(which compound a person lives in, whether a person is a party member, ...).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from jiayuan.core.identity import make_id_number
from jiayuan.organisations.models import Organisation, PartyVenue, Post, ServiceContract
from jiayuan.outreach.models import DepartmentLink
from jiayuan.people.models import Ownership, PartyMembership, Person, Residency
from jiayuan.people.services import person_fields
from jiayuan.places.models import Building, City, Community, Compound, Grid, Room, Town, Unit

from .data import (
    BASE_YEAR,
    BRANCHES,
    BRANDS,
    CITY_CODE,
    CN_NUMBERS,
    COMMERCIAL_ENDS,
    COMMERCIAL_PARTS,
    DEFAULT_SEED,
    DEPARTMENT_NAMES,
    DEPARTMENTS,
    FIXED_COMPOUND_COUNTS,
    GIVEN,
    MIXED_ENDS,
    NAMED_COMPOUNDS,
    NAMED_OWNERS,
    OLD_ENDS,
    OLD_PARTS,
    OWNER_REGIONS,
    PERSONAS,
    RESETTLEMENT_ENDS,
    ROADS,
    STATE_COMPANIES,
    STATE_DEVELOPER,
    STATE_FALLBACK,
    SURNAME_WEIGHTS,
    SURNAMES,
    TARGETS,
    TENANT_REGIONS,
    TOWNS,
    UNMANAGED,
    VENUE_NAMES,
    WORKPLACES,
    CKind,
    Kind,
    Mgmt,
    Role,
    S,
)

# Per compound type: years built, share of self-managed compounds, buildings.
YEARS = {
    CKind.COMMERCIAL: (2003, 2024),
    CKind.OLD: (1995, 2004),
    CKind.RESETTLEMENT: (2002, 2022),
    CKind.MIXED: (1996, 2012),
}
SELF_MANAGED_SHARE = {CKind.COMMERCIAL: 0.02, CKind.OLD: 0.25, CKind.RESETTLEMENT: 0.2, CKind.MIXED: 0.15}
BUILDINGS = {CKind.COMMERCIAL: (2, 9), CKind.OLD: (1, 4), CKind.RESETTLEMENT: (2, 8), CKind.MIXED: (1, 3)}


def _add_years(day: dt.date, years: int) -> dt.date:
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
    department_links: list = field(default_factory=list)  # outreach.DepartmentLink (挂钩联系)
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


class _Planner:
    """Plans the demo city in memory. Helper attributes named demo_* ride on the unsaved instances."""

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
        return _add_years(dt.date(year, month, day), self.offset)

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
        earliest = _add_years(person.birth_date, 20)
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

    # --- the plan, step by step -----------------------------------------
    def build(self) -> Plan:
        self.places_and_offices()
        self.companies_and_developers()
        self.compounds()
        self.housing()
        self.grids()
        self.branches()
        self.committees()
        self.building_heads()
        self.two_committees()
        self.other_members()
        self.contracts()
        self.departments()
        self.plan.personas = {p.username: self.named[p.username] for p in PERSONAS}
        return self.plan

    def places_and_offices(self) -> None:
        plan, rng = self.plan, self.rng
        plan.city = City(code=CITY_CODE, name="晋江市")
        self.city_office = self.organisation(0, Kind.CITY_OFFICE, "晋江市委组织部", self.day(2010), city=plan.city)
        for suffix, town_name, kind, count, community_names in TOWNS:
            town = Town(city=plan.city, code=CITY_CODE + suffix, name=town_name, kind=kind)
            plan.towns.append(town)
            office_name = town_name + ("党工委" if kind == S else "党委")
            town.demo_office = self.organisation(0, Kind.TOWN_OFFICE, office_name, self.day(2010), town=town)
            communities = [
                Community(town=town, code=f"{town.code}{i:03d}", name=f"{n}社区")
                for i, n in enumerate(community_names.split(), 1)
            ]
            fixed = {c.name: FIXED_COMPOUND_COUNTS[c.name] for c in communities if c.name in FIXED_COMPOUND_COUNTS}
            free = [c for c in communities if c.name not in fixed]
            shares = {c.name: 2 for c in free} | fixed
            for _ in range(count - sum(shares.values())):
                shares[rng.choices(free, weights=[1 + i % 3 for i in range(len(free))])[0].name] += 1
            for community in communities:
                community.demo_count = shares[community.name]
                community.demo_compounds = []
                party_name = community.name + rng.choice(("党委", "党委", "党总支"))
                community.demo_party = self.organisation(
                    1,
                    Kind.COMMUNITY_PARTY,
                    party_name,
                    self.between(self.day(2010), self.day(2015, 12, 31)),
                    community=community,
                    parent=town.demo_office,
                )
            plan.communities.extend(communities)
        self.community_by_name = {c.name: c for c in plan.communities}

    def companies_and_developers(self) -> None:
        rng = self.rng
        brands = list(BRANDS)
        rng.shuffle(brands)
        self.state_companies = [
            self.organisation(
                0,
                Kind.PROPERTY_COMPANY,
                name,
                self.day(2008 + i),
                state_owned=True,
                credit_code=self.credit_code(),
                city=self.plan.city,
            )
            for i, name in enumerate(STATE_COMPANIES)
        ]
        self.private_companies = [
            self.organisation(
                0,
                Kind.PROPERTY_COMPANY,
                f"{'福建' if i % 3 == 0 else '晋江市'}{brand}物业{'管理' if i % 2 else '服务'}有限公司",
                self.day(2000 + i % 15),
                credit_code=self.credit_code(),
                city=self.plan.city,
            )
            for i, brand in enumerate(brands[:36])
        ]
        self.developers = [
            self.organisation(
                0,
                Kind.DEVELOPER,
                f"晋江{brand}置业有限公司",
                self.day(1995 + i % 18),
                credit_code=self.credit_code(),
                city=self.plan.city,
            )
            for i, brand in enumerate(brands[:28])
        ]
        self.state_developer = self.organisation(
            0,
            Kind.DEVELOPER,
            STATE_DEVELOPER,
            self.day(1998),
            state_owned=True,
            credit_code=self.credit_code(),
            city=self.plan.city,
        )

    def compound_name(self, kind: str, community: Community) -> str:
        rng, place = self.rng, community.name.removesuffix("社区")
        for attempt in range(200):
            if kind == CKind.RESETTLEMENT:
                name = place + ("二期" if attempt else "") + rng.choice(RESETTLEMENT_ENDS)
            elif kind == CKind.OLD:
                name = rng.choice(OLD_PARTS) + rng.choice(OLD_ENDS)
            elif kind == CKind.MIXED:
                name = rng.choice((*COMMERCIAL_PARTS, place)) + rng.choice(MIXED_ENDS)
            else:
                name = rng.choice(COMMERCIAL_PARTS) + rng.choice(COMMERCIAL_ENDS)
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        raise RuntimeError("ran out of compound names")

    def compounds(self) -> None:
        rng, plan = self.rng, self.plan
        named_in = {}
        for name, spec in NAMED_COMPOUNDS.items():
            named_in.setdefault(spec[0], []).append(name)
        developer = None
        for community in plan.communities:
            subdistrict = community.town.kind == S
            weights = (55, 18, 15, 12) if subdistrict else (50, 12, 25, 13)
            names = named_in.get(community.name, [])
            for k in range(community.demo_count):
                if k < len(names):
                    name = names[k]
                    _, kind, year, management, buildings = NAMED_COMPOUNDS[name]
                else:
                    kind = rng.choices((CKind.COMMERCIAL, CKind.OLD, CKind.RESETTLEMENT, CKind.MIXED), weights)[0]
                    name = self.compound_name(kind, community)
                    year = rng.randint(*YEARS[kind])
                    self_managed = rng.random() < SELF_MANAGED_SHARE[kind]
                    management = Mgmt.SELF_MANAGED if self_managed else Mgmt.PROPERTY_COMPANY
                    buildings = rng.randint(*BUILDINGS[kind])
                if kind == CKind.RESETTLEMENT:
                    dev = self.state_developer
                elif kind == CKind.OLD:
                    dev = None
                else:
                    if developer is None or rng.random() > 0.6:
                        developer = rng.choice(self.developers)
                    dev = developer
                compound = Compound(
                    community=community,
                    code=f"{community.code}{k + 1:03d}",
                    name=name,
                    kind=kind,
                    year_built=year,
                    management=management,
                    developer=dev,
                    address=f"晋江市{community.town.name}{rng.choice(ROADS)}{rng.randint(1, 999)}号",
                )
                compound.demo_buildings = buildings
                compound.demo_named = name in NAMED_COMPOUNDS
                compound.demo_owners, compound.demo_building_list = [], []
                community.demo_compounds.append(compound)
                plan.compounds.append(compound)
        self.by_name = {c.name: c for c in plan.compounds}
        # Exactly 10 state fallbacks (永丰里 and nine old compounds) and 2 compounds still unmanaged.
        old = [c for c in plan.compounds if c.kind == CKind.OLD and not c.demo_named]
        chosen = rng.sample(old, STATE_FALLBACK - 1 + UNMANAGED)
        for c in chosen[: STATE_FALLBACK - 1]:
            c.management = Mgmt.STATE_FALLBACK
        for c in chosen[STATE_FALLBACK - 1 :]:
            c.management = Mgmt.UNMANAGED
        # Exactly 1612 buildings: nudge the generated compounds' building counts.
        adjustable = [c for c in plan.compounds if not c.demo_named]
        missing = TARGETS["building_heads"] - sum(c.demo_buildings for c in plan.compounds)
        while missing:
            c = rng.choice(adjustable)
            if missing > 0 and c.demo_buildings < 12:
                c.demo_buildings, missing = c.demo_buildings + 1, missing - 1
            elif missing < 0 and c.demo_buildings > 1:
                c.demo_buildings, missing = c.demo_buildings - 1, missing + 1

    def housing(self) -> None:
        """Buildings, units and rooms, then owners, co-owners, the developer's unsold rooms and residents."""
        rng, plan = self.rng, self.plan
        sources = (Room.AreaSource.REGISTERED, Room.AreaSource.SURVEYED, Room.AreaSource.CONTRACT)
        for compound in plan.compounds:
            kind = compound.kind
            for b in range(1, compound.demo_buildings + 1):
                if kind == CKind.OLD:
                    floors, units = rng.randint(4, 7), rng.choice((1, 1, 2))
                elif kind == CKind.MIXED:
                    floors, units = rng.randint(5, 9), 1
                elif kind == CKind.RESETTLEMENT:
                    floors, units = rng.choice((6, 7, 8, 11)), rng.choice((1, 1, 1, 1, 2))
                else:
                    floors, units = rng.choice((5, 6, 6, 7, 8, 9, 11, 18)), rng.choice((1, 1, 1, 1, 1, 1, 2))
                if compound.demo_buildings == 1:
                    floors = max(floors, 6)
                label = "幢" if kind == CKind.OLD else "号楼"
                building = Building(compound=compound, number=f"{b}{label}", floors=floors)
                building.demo_rooms, building.demo_owners = [], []
                compound.demo_building_list.append(building)
                plan.buildings.append(building)
                low, high = {CKind.OLD: (55, 90), CKind.MIXED: (55, 110), CKind.RESETTLEMENT: (70, 125)}.get(
                    kind, (85, 145)
                )
                base = rng.uniform(low, high)
                for u in range(1, units + 1):
                    unit = Unit(building=building, number=f"{u}单元")
                    plan.units.append(unit)
                    for floor in range(1, floors + 1):
                        for n in (1, 2):
                            area = min(160.0, max(55.0, base + rng.uniform(-15, 15)))
                            recent = compound.year_built >= 2022
                            source = rng.choices(sources, (20, 10, 70) if recent else (86, 9, 5))[0]
                            room = Room(
                                unit=unit,
                                number=f"{floor}{(u - 1) * 2 + n:02d}",
                                floor=floor,
                                area=Decimal(f"{area:.2f}"),
                                area_source=source,
                            )
                            building.demo_rooms.append(room)
                            plan.rooms.append(room)
            self.owners(compound)

    def owners(self, compound: Compound) -> None:
        rng, plan = self.rng, self.plan
        built = compound.year_built
        first = self.day(min(built, 2025), 7, 1)
        last = min(self.day(min(built + 2, 2025), 12, 31), self.last)
        unsold = 0.0
        if compound.developer is not None and compound.kind != CKind.RESETTLEMENT:
            unsold = rng.uniform(0.05, 0.15) if built >= 2019 else 0.015
        named = list(NAMED_OWNERS.get(compound.name, ()))
        buyers: list[Person] = []

        def own(room, person, start, end=None):
            plan.ownerships.append(Ownership(room=room, person=person, start_date=start, end_date=end))
            if end is None:
                if person.demo_compound is None:
                    person.demo_compound = compound
                    compound.demo_owners.append(person)
                    room.unit.building.demo_owners.append(person)
                person.demo_rooms += 1

        for building in compound.demo_building_list:
            for room in building.demo_rooms:
                start = self.between(first, last)
                if named:
                    key, name, gender, born = named.pop(0)
                    person = self.person(name=name, gender=gender, born=born)
                    person.demo_reserved = True
                    self.named[key] = person
                    own(room, person, start)
                    continue
                if rng.random() < unsold:
                    plan.ownerships.append(Ownership(room=room, developer=compound.developer, start_date=first))
                    continue
                if rng.random() < 0.02 and (self.last - start).days > 60:  # resold: the first buyer's ownership ended
                    seller = self.person(born=(1945, 1985))
                    resale = self.between(start + dt.timedelta(days=30), self.last)
                    own(room, seller, start, resale - dt.timedelta(days=1))
                    start = resale
                if buyers and rng.random() < 0.04:  # a buyer owning 2-3 rooms (counts as one owner in votes)
                    person = rng.choice(buyers)
                    if person.demo_rooms >= 2:
                        buyers.remove(person)
                    own(room, person, start)
                    continue
                person = self.person(born=(1950, 1998))
                buyers.append(person)
                own(room, person, start)
                if rng.random() < 0.08:  # co-owned by a spouse
                    year = person.birth_date.year
                    spouse = self.person(
                        gender="F" if person.gender == "M" else "M", born=(year - 3, min(year + 3, 1998))
                    )
                    own(room, spouse, start)
                roll = rng.random()
                if roll < 0.12:
                    plan.residencies.append(
                        Residency(
                            room=room,
                            person=self.person(born=(1940, 2008)),
                            relation=Residency.Relation.FAMILY,
                            start_date=start,
                        )
                    )
                elif roll < 0.17:
                    tenant = self.person(born=(1970, 2003), tenant=True)
                    plan.residencies.append(
                        Residency(
                            room=room,
                            person=tenant,
                            relation=Residency.Relation.TENANT,
                            start_date=self.between(start, self.last),
                        )
                    )

    def grids(self) -> None:
        rng, plan = self.rng, self.plan
        for community in plan.communities:
            compounds = community.demo_compounds
            count = max(1, min(4, (len(compounds) + 2) // 3))
            for g in range(count):
                grid = Grid(community=community, name=f"第{CN_NUMBERS[g]}网格")
                plan.grids.append(grid)
                plan.grid_compounds.extend((grid, c) for c in compounds[g::count])
                worker = self.person(gender=rng.choice("MFF"), born=(1975, 1998))
                start = self.between(self.day(2022), self.last)
                self.post(worker, community.demo_party, Role.GRID_WORKER, start, grid=grid)
                if rng.random() < 0.3:  # a grid party branch, led by its grid worker
                    branch = self.organisation(
                        2,
                        Kind.GRID_BRANCH,
                        f"{community.name}{grid.name}党支部",
                        start,
                        community=community,
                        grid=grid,
                        parent=community.demo_party,
                    )
                    self.join_party(worker, branch)
                    self.post(worker, branch, Role.PARTY_SECRETARY, start)

    def branches(self) -> None:
        """288 compound branches (59 joint ones), their officers and venues, and the 59 一肩挑 compounds."""
        rng, plan = self.rng, self.plan
        groups = self.branch_groups()
        eligible = [g for g in groups if not any(c.demo_named for c in g)]
        yijiantiao = {id(g) for g in rng.sample(eligible, TARGETS["yijiantiao_compounds"])}
        features = list(PartyVenue.Feature.values)
        fixed_secretary = {"金利花园": self.named["jinli-secretary"], "莲花小区": self.named["qiu"]}
        self.branch_secretaries = []
        for group in groups:
            home = rng.choice(group) if id(group) in yijiantiao else group[0]
            community = home.community
            name = ("、".join(c.name for c in group) + "联合党支部") if len(group) > 1 else f"{home.name}党支部"
            est = self.between(self.day(2022), self.day(2024, 9, 30))
            branch = self.organisation(
                2, Kind.COMPOUND_BRANCH, name, est, community=community, parent=community.demo_party
            )
            plan.org_compounds.extend((branch, c) for c in group)
            for c in group:
                c.demo_branch, c.demo_yijiantiao = branch, None
            secretary = fixed_secretary.get(home.name) or self.pick(home.demo_owners) or self.resident_of(home)
            self.join_party(secretary, branch)
            secretary.demo_lead = True
            start = est
            if rng.random() < 0.12:  # a former secretary handed over
                start = self.between(est + dt.timedelta(days=365), self.day(2024, 12, 31))
                former = self.pick(home.demo_owners, party=None, exclude=[secretary])
                if former is not None and start > est:
                    self.join_party(former, branch)
                    self.post(former, branch, Role.BRANCH_SECRETARY, est, start - dt.timedelta(days=1))
                else:
                    start = est
            self.post(secretary, branch, Role.BRANCH_SECRETARY, start)
            branch.demo_secretary, branch.demo_home, branch.demo_start = secretary, home, est
            home.demo_yijiantiao = secretary if id(group) in yijiantiao else None
            self.branch_secretaries.append(secretary)
            officers = [
                (Role.BRANCH_DEPUTY, 1 if rng.random() < 0.6 else 0),
                (Role.BRANCH_COMMITTEE, rng.randint(1, 3)),
            ]
            seated = [secretary]
            for role, count in officers:
                for _ in range(count):
                    officer = self.pick(rng.choice(group).demo_owners, exclude=seated)
                    if officer is not None:
                        seated.append(officer)
                        self.join_party(officer, branch)
                        self.post(officer, branch, role, est)
            feature = PartyVenue.Feature.ELDERLY if home.name == "竹园小区" else rng.choice(features)
            venue_name = (
                f"{home.name}党群活动阵地"
                if home.name == "竹园小区" or rng.random() < 0.5
                else f"{home.name}{VENUE_NAMES[feature]}"
            )
            plan.venues.append(
                PartyVenue(
                    organisation=branch,
                    compound=home,
                    name=venue_name,
                    feature=feature,
                    area=Decimal(rng.randint(30, 300)),
                    opened_on=self.between(est, min(est + dt.timedelta(days=400), self.last)),
                )
            )

    def branch_groups(self) -> list[list[Compound]]:
        """Group the compounds into 288 branches: joint branches take small compounds of one community."""
        rng = self.rng
        merges_needed = len(self.plan.compounds) - BRANCHES
        for limit in (3, 4, 5, 6, 12):
            free = {
                c.code: sorted(
                    (x for x in c.demo_compounds if not x.demo_named and x.demo_buildings <= limit),
                    key=lambda x: (x.demo_buildings, x.code),
                )
                for c in self.plan.communities
            }
            order = list(self.plan.communities)
            rng.shuffle(order)
            joint, merges, progress = [], merges_needed, True
            while merges and progress:
                progress = False
                for community in order:
                    candidates = free[community.code]
                    if merges == 0 or len(candidates) < 2:
                        continue
                    size = 3 if merges >= 2 and len(candidates) >= 3 and rng.random() < 0.25 else 2
                    joint.append(candidates[:size])
                    free[community.code] = candidates[size:]
                    merges, progress = merges - (size - 1), True
            if merges == 0:
                break
        else:
            raise RuntimeError("not enough small compounds to form the joint branches")
        in_joint = {c.code for group in joint for c in group}
        groups = [[c] for c in self.plan.compounds if c.code not in in_joint] + joint
        groups.sort(key=lambda g: g[0].code)
        assert len(groups) == BRANCHES
        return groups

    def committees(self) -> None:
        """One current owners' committee per compound (seats filled), some with the previous term's committee."""
        rng = self.rng
        fixed_director = {
            "金利花园": self.named["jinli-director"],
            "南天裕小区": self.named["cai"],
            "瑞璟香榭花都": self.named["wu"],
        }
        self.directors = []
        for compound in self.plan.compounds:
            community = compound.community
            if community.name in FIXED_COMPOUND_COUNTS:  # Jinxin elected all its committees at the end of 2024
                est = self.between(self.day(2024, 11, 1), self.day(2024, 12, 28))
            elif compound.name == "瑞璟香榭花都":  # the committee changed at the end of 2022
                est = self.day(2022, 12, 20)
            else:
                est = self.between(self.day(2023), self.day(2025, 10, 31))
            rooms = sum(len(b.demo_rooms) for b in compound.demo_building_list)
            seats = (
                5
                if rooms < 50
                else rng.choice((5, 7))
                if rooms < 120
                else rng.choice((7, 9))
                if rooms < 250
                else rng.choice((9, 11))
            )
            red = community.name in FIXED_COMPOUND_COUNTS or rng.random() < 0.55
            secretary = compound.demo_branch.demo_secretary
            director = compound.demo_yijiantiao or fixed_director.get(compound.name)
            if director is None:
                director = self.pick(compound.demo_owners, exclude=[secretary]) or self.resident_of(compound)
                if not director.demo_party and rng.random() < (0.7 if red else 0.3):
                    self.join_party(director, compound.demo_branch)
            if director is self.named["wu"]:  # a member of the community party committee he leads in Cizao
                self.join_party(director, self.community_by_name["磁灶社区"].demo_party)
            if compound.demo_yijiantiao is None:
                director.demo_lead = True
                self.directors.append(director)
            reelected = compound.name == "瑞璟香榭花都" or rng.random() < 0.45
            cycle = 2 if compound.year_built <= 2017 and reelected else 1
            committee = self.organisation(
                2,
                Kind.OWNERS_COMMITTEE,
                f"{compound.name}第{CN_NUMBERS[cycle - 1]}届业主委员会",
                est,
                term_end=_add_years(est, 5) - dt.timedelta(days=1),
                seats=seats,
                community=community,
                parent=community.demo_party,
            )
            self.plan.org_compounds.append((committee, compound))
            extra = [self.named["qiu"]] if compound.name == "莲花小区" else []
            members = self.seat(compound, seats, red, director, extra)
            self.seat_posts(committee, members, seats, est, None)
            if cycle == 2:
                end = est - dt.timedelta(days=rng.randint(1, 90))
                previous_start = _add_years(end + dt.timedelta(days=1), -5)
                if previous_start.year > compound.year_built:
                    previous = self.organisation(
                        2,
                        Kind.OWNERS_COMMITTEE,
                        f"{compound.name}第一届业主委员会",
                        previous_start,
                        term_end=end,
                        seats=seats,
                        community=community,
                        parent=community.demo_party,
                    )
                    self.plan.org_compounds.append((previous, compound))
                    pool = [p for p in compound.demo_owners if not p.demo_reserved]
                    self.seat_posts(previous, rng.sample(pool, seats), seats, previous_start, end)
                else:
                    committee.name = f"{compound.name}第一届业主委员会"

    def resident_of(self, compound) -> Person:
        """A family member of an owner, for the rare compound where every owner already has a role."""
        person = self.person(born=(1960, 1990))
        room = compound.demo_building_list[0].demo_rooms[0]
        self.plan.residencies.append(
            Residency(room=room, person=person, relation=Residency.Relation.FAMILY, start_date=self.day(2020))
        )
        return person

    def seat(self, compound, seats, red, director, extra) -> list[Person]:
        """Committee members, director first; party members hold at least half the seats exactly when red.

        Members seated as non-party are marked so that no later post makes them party members.
        """
        rng, half = self.rng, (seats + 1) // 2
        members = [director, *extra]
        if not director.demo_party:
            director.demo_locked = True
        for person in extra:
            self.join_party(person, compound.demo_branch)
        want = rng.randint(half, seats) if red else rng.randint(1, half - 1)
        taken = {id(p) for p in members}
        pool = [p for p in compound.demo_owners if not p.demo_reserved and id(p) not in taken]
        rng.shuffle(pool)
        party_seats = max(0, min(want - sum(p.demo_party for p in members), seats - len(members)))
        for person in [p for p in pool if not p.demo_locked][:party_seats]:
            self.join_party(person, compound.demo_branch)
            members.append(person)
            taken.add(id(person))
        for person in [p for p in pool if id(p) not in taken and not p.demo_party][: seats - len(members)]:
            person.demo_locked = True
            members.append(person)
        party = sum(p.demo_party for p in members)
        if len(members) != seats or (party >= half) != red:
            raise RuntimeError(f"cannot seat the committee of {compound.name}")
        return members

    def seat_posts(self, committee, members, seats, start, end) -> None:
        deputies = 1 if seats <= 7 else 2
        for i, person in enumerate(members):
            role = (
                Role.COMMITTEE_DIRECTOR if i == 0 else Role.COMMITTEE_DEPUTY if i <= deputies else Role.COMMITTEE_MEMBER
            )
            self.post(person, committee, role, start, end)

    def building_heads(self) -> None:
        """One current party-member head per building, from the branch covering it; a few handed over."""
        rng, plan = self.rng, self.plan
        fixed = {("金利花园", 0): self.named["jinli-louzhang"], ("梅华苑", 0): self.named["li"]}
        for compound in plan.compounds:
            branch = compound.demo_branch
            for index, building in enumerate(compound.demo_building_list):
                head = fixed.get((compound.name, index))
                if head is None:
                    candidates = [p for p in building.demo_owners if not p.demo_locked and not p.demo_head]
                    party = [p for p in candidates if p.demo_party]
                    head = self.pick(party if party and rng.random() < 0.5 else candidates)
                if head is None:  # everyone here is spoken for: a party member from the family of an owner
                    head = self.person(born=(1960, 1990))
                    plan.residencies.append(
                        Residency(
                            room=building.demo_rooms[0],
                            person=head,
                            relation=Residency.Relation.FAMILY,
                            start_date=branch.demo_start,
                        )
                    )
                self.join_party(head, branch)
                head.demo_head = True
                start = self.between(max(branch.demo_start, self.day(2023)), self.last)
                if rng.random() < 0.04:
                    former = self.pick([p for p in building.demo_owners if p.demo_party])
                    if former is not None and former is not head and start > branch.demo_start:
                        self.post(
                            former,
                            branch,
                            Role.BUILDING_HEAD,
                            branch.demo_start,
                            start - dt.timedelta(days=1),
                            building=building,
                        )
                self.post(head, branch, Role.BUILDING_HEAD, start, building=building)

    def two_committees(self) -> None:
        """Community two committees: 138 of their members also lead a compound; the rest do not."""
        rng, plan = self.rng, self.plan
        wu = self.named["wu"]
        leads, seen = [], set()
        for person in [*self.branch_secretaries, *self.directors]:
            if not person.demo_reserved and id(person) not in seen:
                seen.add(id(person))
                leads.append(person)
        rng.shuffle(leads)
        per_community: dict[str, list[Person]] = {c.code: [] for c in plan.communities}
        chosen = 1  # 吴志明: secretary of Cizao community, director of a compound in Meiling
        for person in leads:
            if chosen == TARGETS["two_committee_post_holders"]:
                break
            bucket = per_community[person.demo_compound.community.code]
            if len(bucket) < 4:
                bucket.append(person)
                chosen += 1
        if chosen != TARGETS["two_committee_post_holders"]:
            raise RuntimeError("not enough compound leads for the two committees")
        fixed_secretary = {
            "青华社区": self.person(name="施志强", gender="M", born=(1972, 1978)),
            "晋新社区": self.person(name="王立新", gender="M", born=(1970, 1978)),
            "磁灶社区": wu,
        }
        self.named["qinghua"] = fixed_secretary["青华社区"]
        term = self.between(self.day(2021, 5, 1), self.day(2021, 6, 30))
        for community in plan.communities:
            party_org = community.demo_party
            members = list(per_community[community.code])
            secretary = fixed_secretary.get(community.name)
            if secretary is None and members and rng.random() < 0.35:
                secretary = self.pick(members, party=True)
                if secretary is not None:
                    members.remove(secretary)
            if secretary is None:
                secretary = self.person(born=(1968, 1985))
            self.join_party(secretary, party_org)
            self.post(secretary, party_org, Role.COMMUNITY_SECRETARY, term)
            if rng.random() < 0.2:  # the secretary of the previous term
                former = self.person(born=(1955, 1970))
                self.join_party(former, party_org)
                self.post(
                    former, party_org, Role.COMMUNITY_SECRETARY, self.day(2016, 5, 1), term - dt.timedelta(days=1)
                )
            fresh = max(0, rng.randint(4, 6) - len(members))
            for _ in range(fresh):
                person = self.person(born=(1970, 1995))
                if rng.random() < 0.7:
                    self.join_party(person, party_org)
                members.append(person)
            for person in members:
                self.post(person, party_org, Role.TWO_COMMITTEE_MEMBER, term)

    def other_members(self) -> None:
        """Ordinary branch members, in-service members reporting to their compound, and the town clerks."""
        rng, plan = self.rng, self.plan
        for compound in plan.compounds:
            for _ in range(rng.randint(2, 8)):
                person = self.pick(compound.demo_owners, party=False)
                if person is not None and not person.demo_locked:
                    self.join_party(person, compound.demo_branch)
            if rng.random() < 0.4:
                person = self.pick(compound.demo_owners, party=False)
                if person is not None and not person.demo_locked:
                    self.join_party(
                        person, None, in_service=True, workplace=rng.choice(WORKPLACES), reports_to=compound
                    )
        self.join_party(
            self.named["nurse"],
            None,
            in_service=True,
            workplace="永和镇卫生院",
            reports_to=self.by_name["华泰国际新城"],
        )
        fixed_clerks = {"青阳街道": (("qingyang", "许雅婷", "F"), ("", "陈文辉", "M"), ("", "蔡建国", "M"))}
        for town in plan.towns:
            clerks = fixed_clerks.get(town.name) or (("", None, None), ("", None, None))
            for key, name, gender in clerks:
                person = self.person(name=name, gender=gender, born=(1968, 1992))
                if key:
                    self.named[key] = person
                self.post(
                    person, town.demo_office, Role.TOWN_CLERK, self.between(self.day(2021), self.day(2025, 6, 30))
                )
        admin = self.person(name="林文斌", gender="M", born=(1972, 1980))
        self.named["admin"] = admin
        self.join_party(admin, None)
        self.post(admin, self.city_office, Role.CITY_ADMIN, self.day(2023))

    def contracts(self) -> None:
        """Service contracts by management status; 12 failing companies replaced in 2024-2025; property managers."""
        rng, plan = self.rng, self.plan
        weights = [max(1, 12 - i // 3) for i in range(len(self.private_companies))]
        company_managed = [c for c in plan.compounds if c.management == Mgmt.PROPERTY_COMPANY]
        replaced = {c.code for c in rng.sample([c for c in company_managed if c.year_built <= 2020], 12)}

        def contract(company, compound, start, end=None, fallback=False):
            plan.contracts.append(
                ServiceContract(company=company, compound=compound, start_date=start, end_date=end, fallback=fallback)
            )

        for compound in plan.compounds:
            opened = self.day(max(compound.year_built + 1, 2016))
            if compound.management == Mgmt.SELF_MANAGED:
                continue
            if compound.management in (Mgmt.STATE_FALLBACK, Mgmt.UNMANAGED):
                lapse = self.between(self.day(2022), self.day(2023, 6, 30))
                contract(rng.choice(self.private_companies), compound, self.day(2016, 1, 1), lapse)
                if compound.management == Mgmt.UNMANAGED:
                    continue
                company = rng.choice(self.state_companies)
                start = self.between(lapse + dt.timedelta(days=60), self.day(2024, 12, 31))
                contract(company, compound, start, fallback=True)
            else:
                state = rng.random() < 0.08
                company = rng.choice(self.state_companies) if state else rng.choices(self.private_companies, weights)[0]
                start = self.between(max(opened, self.day(2019)), self.day(2025, 6, 30))
                if compound.code in replaced:  # the failing company was dismissed by the owners' general meeting
                    change = self.between(self.day(2024, 3, 1), self.day(2025, 9, 30))
                    dismissed = rng.choice([c for c in self.private_companies if c is not company])
                    contract(
                        dismissed, compound, min(opened, change - dt.timedelta(days=400)), change - dt.timedelta(days=1)
                    )
                    start = change
                contract(company, compound, start)
            manager = (
                self.person(name="黄俊杰", gender="M", born=(1982, 1988))
                if compound.name == "金利花园"
                else self.person(born=(1970, 1996))
            )
            if compound.name == "金利花园":
                self.named["jinli-manager"] = manager
            self.post(manager, company, Role.PROPERTY_MANAGER, start, compound=compound)
        served: dict[int, int] = {}
        for c in plan.contracts:
            if c.end_date is None:
                served[id(c.company)] = served.get(id(c.company), 0) + 1
        for company in self.state_companies + self.private_companies:
            if company.state_owned or served.get(id(company), 0) >= 5:
                short = company.name.removesuffix("有限公司")
                party = self.organisation(2, Kind.COMPANY_PARTY, f"{short}党支部", self.day(2020), company=company)
                secretary = self.person(born=(1970, 1990))
                self.join_party(secretary, party)
                self.post(secretary, party, Role.PARTY_SECRETARY, self.between(self.day(2021), self.day(2025)))

    def departments(self) -> None:
        """82 city departments with staff, each linked (挂钩联系) to one of 82 poorly managed compounds."""
        rng, plan = self.rng, self.plan
        rank = {Mgmt.UNMANAGED: 0, Mgmt.STATE_FALLBACK: 1, Mgmt.SELF_MANAGED: 2, Mgmt.PROPERTY_COMPANY: 3}
        poor = sorted(plan.compounds, key=lambda c: (rank[c.management], c.year_built, c.code))[:DEPARTMENTS]
        rng.shuffle(poor)
        for name, compound in zip(DEPARTMENT_NAMES, poor, strict=True):
            full = name if "晋江" in name else f"晋江市{name}"
            department = self.organisation(0, Kind.DEPARTMENT, full, self.day(2010), city=plan.city)
            plan.department_links.append(
                DepartmentLink(department=department, compound=compound, start_date=self.day(2023, 3, 1))
            )
            staff = [("zhujian", "张晓峰", "M")] if name == "住建局" else []
            staff += [("", None, None)] * rng.randint(1, 2)
            for key, person_name, gender in staff:
                person = self.person(name=person_name, gender=gender, born=(1975, 1998))
                if key:
                    self.named[key] = person
                self.post(
                    person, department, Role.DEPARTMENT_STAFF, self.between(self.day(2019), self.day(2025, 6, 30))
                )


def _cumulative(weights) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def plan_demo(*, seed: int = DEFAULT_SEED, today: dt.date | None = None) -> Plan:
    """Every object of the demo city, unsaved. No database access; the same seed gives the same plan."""
    return _Planner(seed, today or timezone.localdate()).build()
