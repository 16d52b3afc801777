"""Planning the party: compound branches and venues, building heads, the community two committees, members."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jiayuan.organisations.models import PartyVenue
from jiayuan.people.models import Person, Residency
from jiayuan.places.models import Compound

from .base import PlannerBase
from .data import BRANCHES, TARGETS, VENUE_NAMES, WORKPLACES, Kind, Role


class PartyPlanner(PlannerBase):
    """Compound branches (joint ones among them), building heads, two committees, members and town clerks."""

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
