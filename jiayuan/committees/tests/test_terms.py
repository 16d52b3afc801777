"""The committee's dates (committees/terms.py): months added to a day, and the filing deadline."""

import datetime as dt

import pytest

from jiayuan.committees import services
from jiayuan.committees.terms import add_months, committees, filing_deadline, in_office_on, term_state

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 8, 31), 6, dt.date(2025, 2, 28)),
        (dt.date(2023, 8, 29), 6, dt.date(2024, 2, 29)),
        (dt.date(2026, 7, 15), 6, dt.date(2027, 1, 15)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
    ],
)
def test_adding_months_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


def test_the_filing_deadline_is_thirty_days_after_the_election(world):
    assert filing_deadline(world.committee_a) == dt.date(2024, 1, 31)
    assert services.filing_deadline is filing_deadline


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2023, 12, 31), "not_yet"),
        (dt.date(2024, 1, 1), "in_office"),
        (dt.date(2028, 6, 30), "in_office"),
        (dt.date(2028, 7, 1), "ending_soon"),
        (dt.date(2028, 12, 31), "ending_soon"),
        (dt.date(2029, 1, 1), "expired"),
    ],
)
def test_the_term_state_follows_the_day(world, day, expected):
    assert term_state(world.committee_a, day) == expected


def test_a_superseded_committee_is_no_longer_in_office(world, re_elected):
    today = re_elected.elected_on + dt.timedelta(days=30)
    assert term_state(re_elected.old, today) == "superseded"
    assert term_state(re_elected.new, today) == "in_office"
    assert set(committees().filter(in_office_on(today))) == {world.committee_a, re_elected.new}
