"""Planning the owners' committees: one current committee per compound, seats filled, some previous terms."""

from __future__ import annotations

import datetime as dt

from jiayuan.people.models import Person

from .base import PlannerBase, add_years
from .data import CN_NUMBERS, FIXED_COMPOUND_COUNTS, Kind, Role


class CommitteesPlanner(PlannerBase):
    """Owners' committees and their members."""

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
                term_end=add_years(est, 5) - dt.timedelta(days=1),
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
                previous_start = add_years(end + dt.timedelta(days=1), -5)
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
