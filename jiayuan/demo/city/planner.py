"""Planning the demo city in memory: every object unsaved, fully determined by the seed.

The plan is made step by step, each step a part of the planner in its own module: places (towns,
communities, compounds), housing (buildings, rooms, owners), organisations (companies, developers,
contracts, departments), party (branches, building heads, two committees) and committees (owners'
committees). The order of the steps is the order in which they draw from the seeded random numbers.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .base import Plan
from .committees import CommitteesPlanner
from .data import DEFAULT_SEED, PERSONAS
from .housing import HousingPlanner
from .organisations import OrganisationsPlanner
from .party import PartyPlanner
from .places import PlacesPlanner

__all__ = ["Plan", "plan_demo"]


class _Planner(PlacesPlanner, HousingPlanner, OrganisationsPlanner, PartyPlanner, CommitteesPlanner):
    """Plans the demo city in memory. Helper attributes named demo_* ride on the unsaved instances."""

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


def plan_demo(*, seed: int = DEFAULT_SEED, today: dt.date | None = None) -> Plan:
    """Every object of the demo city, unsaved. No database access; the same seed gives the same plan."""
    return _Planner(seed, today or timezone.localdate()).build()
