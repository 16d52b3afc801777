"""Reads about organisations: where an owners' committee stands, the list's history switch, the compound's
committee."""

import pytest

from jiayuan.organisations import selectors
from jiayuan.organisations.models import Organisation

from .conftest import DAY, re_elect

pytestmark = pytest.mark.django_db


def names(queryset):
    return sorted(organisation.name for organisation in queryset)


def test_the_outgoing_committee_is_superseded_once_its_successor_took_office(re_elected, today):
    assert selectors.committee_standing(re_elected.old, today) == "superseded"
    assert selectors.committee_standing(re_elected.new, today) == "in_office"


def test_a_committee_stands_as_of_the_day_asked(re_elected):
    before = re_elected.elected_on - 2 * DAY
    assert selectors.committee_standing(re_elected.old, before) == "in_office"
    assert selectors.committee_standing(re_elected.new, before) == "not_yet"
    assert selectors.committee_standing(re_elected.old, re_elected.elected_on) == "superseded"


def test_the_standing_reads_the_annotation_as_the_lists_give_it(re_elected, today):
    annotated = selectors.with_successor_since(Organisation.objects.filter(pk__in=[re_elected.old.pk]))
    old = annotated.get()
    assert old.successor_since == re_elected.elected_on
    assert selectors.committee_standing(old, today) == "superseded"


def test_a_committee_whose_term_ran_out_without_a_successor_has_expired(world):
    day = world.committee_a.term_end + DAY
    assert selectors.committee_standing(world.committee_a, day) == "expired"
    assert selectors.committee_standing(world.committee_a, world.committee_a.term_end) == "in_office"


def test_a_dissolved_committee_without_a_successor_is_dissolved(world, today):
    Organisation.objects.filter(pk=world.committee_a.pk).update(dissolved_on=today - DAY)
    world.committee_a.refresh_from_db()
    assert selectors.committee_standing(world.committee_a, today) == "dissolved"


def test_without_history_the_list_holds_only_the_committees_in_office(world, re_elected, today):
    viewer = world.users["town_clerk"]
    current = selectors.organisation_list(viewer=viewer, kind="owners_committee", history=False, day=today)
    assert names(current) == ["宝龙世家第二届业主委员会", "金利花园业委会"]
    everything = selectors.organisation_list(viewer=viewer, kind="owners_committee")
    assert names(everything) == ["宝龙世家第一届业主委员会", "宝龙世家第二届业主委员会", "金利花园业委会"]


def test_without_history_the_other_kinds_are_all_listed(world, re_elected, today):
    viewer = world.users["city_admin"]
    current = selectors.organisation_list(viewer=viewer, history=False, day=today)
    assert re_elected.old not in current
    assert {world.branch_a, world.company, world.department, re_elected.new} <= set(current)


def test_the_compound_shows_its_new_committee_even_if_the_old_one_was_left_standing(world, today):
    both = re_elect(world, today=today, dissolve=False)
    assert selectors.compound_carriages(compound=world.compound_a2, day=today)["committee"] == both.new
    before = both.elected_on - DAY
    assert selectors.compound_carriages(compound=world.compound_a2, day=before)["committee"] == both.old
