"""The committee's dates (committees/terms.py): months added to a day, and the filing deadline."""

import datetime as dt

import pytest

from jiayuan.committees import services
from jiayuan.committees.terms import add_months, filing_deadline

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
