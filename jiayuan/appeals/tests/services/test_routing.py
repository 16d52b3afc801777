"""The units of the ladder: the dispatch catalogue."""

from __future__ import annotations

import pytest

from jiayuan.appeals import services
from jiayuan.appeals.models import DispatchRule
from jiayuan.organisations.models import Organisation
from jiayuan.organisations.services import organisation_create
from jiayuan.testing import START

from ..conftest import LEAK, category

pytestmark = pytest.mark.django_db


def test_the_most_specific_dispatch_rule_wins(world, cast):
    leak = category(LEAK)
    assert services.department_for(category=leak, compound=world.compound_a) == cast.water
    other = organisation_create(
        actor=None, kind=Organisation.Kind.DEPARTMENT, name="晋江市水务集团", city=world.city, established_on=START
    )
    DispatchRule.objects.create(category=leak.parent, town=world.qingyang, department=other)
    assert services.department_for(category=leak, compound=world.compound_a) == other
    assert services.department_for(category=leak, compound=world.compound_b) == cast.water  # another town
    DispatchRule.objects.create(category=leak, department=world.department)
    assert services.department_for(category=leak, compound=world.compound_a) == world.department  # deeper category


def test_the_catalogue_seed_found_the_departments_of_the_world(cast):
    assert cast.rules.created >= 2 and "晋江市水务局" not in cast.rules.missing_departments
    assert DispatchRule.objects.get(category__code="0102", town=None, community=None).department == cast.water
