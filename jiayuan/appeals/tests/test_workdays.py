"""Working days on China's official calendar: holidays, adjusted working weekends, the admin holiday table."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiayuan.appeals import services
from jiayuan.appeals.models import Holiday
from jiayuan.appeals.workdays import add_workdays, is_workday, workdays_between

D = dt.date


# --- National Day 2026: 1-7 October off; Sunday 20 September and Saturday 10 October worked -------------


def test_national_day_2026_is_seven_days_off_and_the_8th_is_worked():
    assert [is_workday(D(2026, 10, day)) for day in range(1, 9)] == [False] * 7 + [True]


def test_the_adjusted_weekends_around_national_day_2026_are_working_days():
    assert D(2026, 9, 20).weekday() == 6 and is_workday(D(2026, 9, 20))  # a Sunday, worked
    assert D(2026, 10, 10).weekday() == 5 and is_workday(D(2026, 10, 10))  # a Saturday, worked
    assert not is_workday(D(2026, 10, 11))  # the Sunday after stays a rest day


def test_a_deadline_set_before_national_day_skips_the_holiday_and_counts_the_working_saturday():
    start = D(2026, 9, 30)  # Wednesday
    assert add_workdays(start, 1) == D(2026, 10, 8)
    assert add_workdays(start, 2) == D(2026, 10, 9)
    assert add_workdays(start, 3) == D(2026, 10, 10)  # Saturday, an adjusted working day
    assert add_workdays(start, 4) == D(2026, 10, 12)
    assert workdays_between(start, D(2026, 10, 12)) == 4


def test_a_working_sunday_counts_towards_a_deadline():
    assert add_workdays(D(2026, 9, 18), 1) == D(2026, 9, 20)  # Friday + 1 = the working Sunday


# --- Spring Festival 2026: 15-23 February off; Saturdays 14 and 28 February worked -----------------------


def test_spring_festival_2026_holiday_and_adjusted_saturdays():
    assert all(not is_workday(D(2026, 2, day)) for day in range(15, 24))
    assert is_workday(D(2026, 2, 14)) and is_workday(D(2026, 2, 28))


def test_five_working_days_from_the_friday_before_spring_festival():
    start = D(2026, 2, 13)  # Friday
    assert add_workdays(start, 1) == D(2026, 2, 14)  # the working Saturday
    assert add_workdays(start, 2) == D(2026, 2, 24)  # first day back
    assert add_workdays(start, 5) == D(2026, 2, 27)
    assert add_workdays(start, 6) == D(2026, 2, 28)  # the second working Saturday
    assert workdays_between(start, D(2026, 2, 28)) == 6


# --- a year the package does not cover: weekdays, unless the admin holiday table says otherwise ----------


def test_2027_falls_back_to_monday_to_friday():
    assert is_workday(D(2027, 1, 1))  # a Friday; no calendar data for 2027
    assert not is_workday(D(2027, 1, 2))
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)


def test_overrides_make_a_2027_day_a_holiday_or_a_weekend_a_working_day():
    overrides = {D(2027, 1, 1): False, D(2027, 1, 9): True}
    assert add_workdays(D(2026, 12, 31), 1, overrides) == D(2027, 1, 4)
    assert add_workdays(D(2027, 1, 8), 1, overrides) == D(2027, 1, 9)  # a Saturday made a working day


def test_overrides_win_over_the_built_in_calendar():
    assert not is_workday(D(2026, 10, 8), {D(2026, 10, 8): False})
    assert is_workday(D(2026, 10, 1), {D(2026, 10, 1): True})


@pytest.mark.django_db
def test_the_admin_holiday_table_moves_deadlines_in_2027():
    assert services.deadline_after(D(2026, 12, 31), 1) == D(2027, 1, 1)
    Holiday.objects.create(date=D(2027, 1, 1), note="元旦")
    assert services.deadline_after(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert services.deadline_after(D(2026, 12, 31), 5) == D(2027, 1, 8)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_workdays(D(2026, 1, 5), -1)


# --- properties ----------------------------------------------------------------------------------------------

days_ = st.dates(min_value=D(2025, 1, 1), max_value=D(2028, 6, 30))
overrides_ = st.dictionaries(st.dates(min_value=D(2025, 1, 1), max_value=D(2029, 6, 30)), st.booleans(), max_size=20)


@settings(deadline=None)
@given(days_, st.integers(min_value=0, max_value=40), overrides_)
def test_adding_n_working_days_lands_on_a_working_day_n_working_days_later(start, n, overrides):
    end = add_workdays(start, n, overrides)
    assert workdays_between(start, end, overrides) == n
    if n == 0:
        assert end == start
    else:
        assert end > start and is_workday(end, overrides)
        assert add_workdays(start, n - 1, overrides) < end


@settings(deadline=None)  # spans of up to three and a half years, day by day
@given(days_, days_, days_, overrides_)
def test_working_days_between_add_up_over_consecutive_spans(a, b, c, overrides):
    a, b, c = sorted((a, b, c))
    assert workdays_between(a, b, overrides) + workdays_between(b, c, overrides) == workdays_between(a, c, overrides)
    assert workdays_between(c, a, overrides) == 0


@given(days_, st.integers(min_value=1, max_value=20))
def test_n_working_days_never_take_fewer_than_n_or_much_more_than_a_week_per_five_calendar_days(start, n):
    end = add_workdays(start, n)
    # at most two rest days a week, plus at most nine holidays in a row (Spring Festival)
    assert n <= (end - start).days <= n + 2 * (n // 5 + 1) + 9
