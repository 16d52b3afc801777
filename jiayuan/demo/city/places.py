"""Planning the places: the city, its towns and communities with their party offices, the compounds, the grids."""

from __future__ import annotations

from jiayuan.places.models import City, Community, Compound, Grid, Town

from .base import PlannerBase
from .data import (
    CITY_CODE,
    CN_NUMBERS,
    COMMERCIAL_ENDS,
    COMMERCIAL_PARTS,
    FIXED_COMPOUND_COUNTS,
    MIXED_ENDS,
    NAMED_COMPOUNDS,
    OLD_ENDS,
    OLD_PARTS,
    RESETTLEMENT_ENDS,
    ROADS,
    STATE_FALLBACK,
    TARGETS,
    TOWNS,
    UNMANAGED,
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


class PlacesPlanner(PlannerBase):
    """The city, towns, communities, compounds and grids."""

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
