"""The committee's filing (services/filing.py): on time or late, corrected in place, and recorded only by the
community, the town or the city."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from jiayuan.committees import services
from jiayuan.committees.models import Filing
from jiayuan.core.audit import history_for
from jiayuan.testing import START

from ..conftest import OVERSEERS
from .common import TODAY, fields_of, new_committee

pytestmark = pytest.mark.django_db


def test_a_filing_within_thirty_days_is_on_time_and_audited(world):
    committee = new_committee(world, established_on=dt.date(2026, 2, 1), term_end=dt.date(2031, 1, 31))
    filing = services.filing_record(
        actor=world.users["town_clerk"],
        committee=committee,
        filed_on=dt.date(2026, 3, 3),
        filed_with_housing=True,
        filed_with_town=True,
        reference="晋住备〔2026〕12号",
        today=TODAY,
    )
    assert (filing.late, filing.recorded_by) == (False, world.users["town_clerk"])
    assert history_for(filing).get().actor == world.users["town_clerk"]


def test_a_filing_after_the_deadline_is_accepted_and_marked_late(world):
    committee = new_committee(world, established_on=dt.date(2026, 2, 1), term_end=dt.date(2031, 1, 31))
    filing = services.filing_record(
        actor=None,
        committee=committee,
        filed_on=dt.date(2026, 3, 4),
        filed_with_housing=True,
        filed_with_town=False,
        today=TODAY,
    )
    assert filing.late is True


def test_recording_the_filing_again_corrects_it_in_place(world):
    committee = new_committee(world, established_on=dt.date(2026, 2, 1), term_end=dt.date(2031, 1, 31))
    first = services.filing_record(
        actor=None,
        committee=committee,
        filed_on=dt.date(2026, 3, 4),
        filed_with_housing=True,
        filed_with_town=False,
        today=TODAY,
    )
    second = services.filing_record(
        actor=world.users["city_admin"],
        committee=committee,
        filed_on=dt.date(2026, 2, 20),
        filed_with_housing=True,
        filed_with_town=True,
        today=TODAY,
    )
    assert second.pk == first.pk and Filing.objects.filter(committee=committee).count() == 1
    assert (second.late, second.filed_with_town) == (False, True)
    assert list(history_for(second).values_list("action", flat=True)) == ["update", "create"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"filed_with_housing": False, "filed_with_town": False}, "filed_with_housing"),
        ({"filed_on": dt.date(2026, 3, 11)}, "filed_on"),
        ({"filed_on": dt.date(2026, 1, 31)}, "filed_on"),
        ({"reference": "号" * 51}, "reference"),
    ],
)
def test_a_bad_filing_names_the_field_and_saves_nothing(world, changes, field):
    committee = new_committee(world, established_on=dt.date(2026, 2, 1), term_end=dt.date(2031, 1, 31))
    data = {"filed_on": dt.date(2026, 2, 20), "filed_with_housing": True, "filed_with_town": True, **changes}
    with pytest.raises(ValidationError) as exc:
        services.filing_record(actor=None, committee=committee, today=TODAY, **data)
    assert field in fields_of(exc)
    assert not Filing.objects.filter(committee=committee).exists()


def test_the_database_requires_a_filing_with_the_housing_department_or_the_town(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Filing.objects.create(committee=world.committee_a, filed_on=START)


@pytest.mark.parametrize("persona", ["branch_secretary", "committee_director", "property_manager", "building_head"])
def test_only_the_community_town_or_city_records_a_filing(world, persona):
    assert persona not in OVERSEERS
    with pytest.raises(PermissionDenied):
        services.filing_record(
            actor=world.users[persona],
            committee=world.committee_a,
            filed_on=dt.date(2024, 1, 20),
            filed_with_housing=True,
            filed_with_town=True,
            today=TODAY,
        )


def test_only_an_owners_committee_can_file(world):
    with pytest.raises(ValidationError) as exc:
        services.filing_record(
            actor=None,
            committee=world.branch_a,
            filed_on=dt.date(2024, 1, 20),
            filed_with_housing=True,
            filed_with_town=True,
            today=TODAY,
        )
    assert fields_of(exc) == {"committee"}
