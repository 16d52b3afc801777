"""Planning the housing: buildings, units and rooms, their owners, co-owners and residents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jiayuan.people.models import Ownership, Person, Residency
from jiayuan.places.models import Building, Compound, Room, Unit

from .base import PlannerBase
from .data import NAMED_OWNERS, CKind


class HousingPlanner(PlannerBase):
    """Buildings, units, rooms, owners and residents."""

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
