"""The workbench's shape: the time left in words, the highlight by urgency, a group counted exactly."""

import datetime as dt

import pytest
from django.utils import translation

from jiayuan.core import workbench
from jiayuan.core.models import AuditEntry

TODAY = dt.date(2026, 12, 4)


@pytest.mark.parametrize(
    "days, urgency, words",
    [
        (-3, "overdue", "overdue by 3 days"),
        (-1, "overdue", "overdue by 1 day"),
        (0, "today", "due today"),
        (1, "tomorrow", "due tomorrow"),
        (2, "", "2 days left"),
        (30, "", "30 days left"),
    ],
)
def test_the_time_left_and_the_highlight_follow_the_deadline(days, urgency, words):
    due = TODAY + dt.timedelta(days=days)
    with translation.override("en"):
        assert workbench.time_left(due, TODAY) == words
    assert workbench.urgency(due, TODAY) == urgency


def test_a_to_do_without_a_deadline_is_neither_late_nor_highlighted():
    assert workbench.urgency(None, TODAY) == "" and workbench.time_left(None, TODAY) == ""


def test_the_time_left_reads_in_chinese_by_default():
    with translation.override("zh-hans"):
        assert workbench.time_left(TODAY - dt.timedelta(days=2), TODAY) == "已超期 2 天"
        assert workbench.time_left(TODAY, TODAY) == "今天到期"


@pytest.mark.django_db
def test_a_group_counts_every_row_shows_the_first_ones_and_is_left_out_when_empty():
    for n in range(11):
        AuditEntry.objects.create(action=AuditEntry.Action.CREATE, object_type="x.y", object_id=str(n), note=f"n{n}")
    rows = AuditEntry.objects.filter(object_type="x.y").order_by("id")
    group = workbench.group("x", "X", rows, lambda row: workbench.Todo(title=row.note, url="/"))
    assert group.count == 11 and len(group.items) == workbench.SHOWN
    assert [item.title for item in group.items] == [f"n{n}" for n in range(workbench.SHOWN)]
    assert workbench.group("x", "X", rows.none(), lambda row: None) is None
