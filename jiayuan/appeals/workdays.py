"""Working days on China's official calendar. Pure: no Django import.

Public holidays and the adjusted working weekends (调休) come from the
`chinese_calendar` package for the years it covers; `overrides` (the admin holiday
table) wins over it and covers later years. Where neither knows a day, Monday to
Friday are working days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import chinese_calendar


def is_workday(day: dt.date, overrides: Mapping[dt.date, bool] | None = None) -> bool:
    if overrides and day in overrides:
        return overrides[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_workdays(start: dt.date, days: int, overrides: Mapping[dt.date, bool] | None = None) -> dt.date:
    """The date `days` working days after `start` (start itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_workday(day, overrides):
            remaining -= 1
    return day


def workdays_between(start: dt.date, end: dt.date, overrides: Mapping[dt.date, bool] | None = None) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_workday(day, overrides):
            count += 1
    return count
