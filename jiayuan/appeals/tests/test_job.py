"""The scheduled job: overdue orders are flagged once, supervision climbs town → city, and running it again changes nothing."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import translation

from jiayuan.appeals import services, workflow
from jiayuan.appeals.management.commands import appeals_overdue
from jiayuan.appeals.models import Appeal, AppealEvent
from jiayuan.core.audit import history_for

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def late_appeal(file_appeal) -> Appeal:
    """Filed on Monday 2 November 2026: five working days make the deadline Monday 9 November."""
    appeal = file_appeal(received_at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC))
    assert appeal.deadline == D(2026, 11, 9)
    return appeal


def state(appeal):
    appeal.refresh_from_db()
    return appeal.overdue_since, appeal.supervision, list(appeal.events.values_list("action", flat=True))


def test_an_order_is_not_late_on_its_deadline_day(file_appeal):
    appeal = late_appeal(file_appeal)
    assert services.flag_overdue(today=D(2026, 11, 9)) == {"flagged": 0, "escalated": 0}
    assert state(appeal) == (None, "", ["submit"])


def test_a_late_order_is_flagged_once_and_the_town_supervises_it(file_appeal):
    appeal = late_appeal(file_appeal)
    assert services.flag_overdue(today=D(2026, 11, 10)) == {"flagged": 1, "escalated": 1}
    assert state(appeal) == (D(2026, 11, 10), "town", ["submit", "overdue", "supervise"])
    assert services.flag_overdue(today=D(2026, 11, 10)) == {"flagged": 0, "escalated": 0}
    assert state(appeal) == (D(2026, 11, 10), "town", ["submit", "overdue", "supervise"])
    assert list(
        history_for(appeal).filter(note__in=["overdue", "supervise"]).values_list("note", flat=True).order_by("id")
    ) == ["overdue", "supervise"]


def test_the_city_takes_over_after_three_working_days_late(file_appeal):
    appeal = late_appeal(file_appeal)
    services.flag_overdue(today=D(2026, 11, 10))
    assert services.flag_overdue(today=D(2026, 11, 12)) == {"flagged": 0, "escalated": 0}  # 3 working days late
    assert state(appeal)[1] == "town"
    assert services.flag_overdue(today=D(2026, 11, 13)) == {"flagged": 0, "escalated": 1}  # the 4th
    assert state(appeal)[1] == "city"
    assert services.flag_overdue(today=D(2026, 11, 13)) == {"flagged": 0, "escalated": 0}
    assert services.flag_overdue(today=D(2026, 11, 30)) == {"flagged": 0, "escalated": 0}
    assert state(appeal) == (D(2026, 11, 10), "city", ["submit", "overdue", "supervise", "supervise"])


def test_a_weekend_does_not_count_as_late_days(file_appeal):
    appeal = late_appeal(file_appeal)
    Appeal.objects.filter(pk=appeal.pk).update(deadline=D(2026, 11, 13))  # a Friday
    assert services.flag_overdue(today=D(2026, 11, 18)) == {"flagged": 1, "escalated": 1}  # 3 working days late
    assert state(appeal)[1] == "town"
    assert services.flag_overdue(today=D(2026, 11, 19)) == {"flagged": 0, "escalated": 1}  # the 4th
    assert state(appeal)[1] == "city"


def test_an_order_found_very_late_goes_straight_to_the_city(file_appeal):
    appeal = late_appeal(file_appeal)
    assert services.flag_overdue(today=D(2026, 12, 1)) == {"flagged": 1, "escalated": 1}
    assert state(appeal) == (D(2026, 12, 1), "city", ["submit", "overdue", "supervise"])


def test_resolved_closed_and_merged_orders_are_never_late(world, file_appeal):
    secretary = world.users["branch_secretary"]
    resolved = late_appeal(file_appeal)
    services.appeal_resolve(
        actor=secretary, appeal=services.appeal_accept(actor=secretary, appeal=resolved), resolution="已修复"
    )
    primary, duplicate = late_appeal(file_appeal), late_appeal(file_appeal)
    services.appeal_merge(actor=secretary, duplicate=duplicate, into=primary)
    assert services.flag_overdue(today=D(2026, 11, 10)) == {"flagged": 1, "escalated": 1}  # the primary only
    assert state(primary)[0] == D(2026, 11, 10)
    assert state(resolved)[0] is None and state(duplicate)[0] is None


def test_a_new_deadline_clears_the_flag_and_a_missed_one_is_flagged_again(world, file_appeal):
    appeal = late_appeal(file_appeal)
    services.flag_overdue(today=D(2026, 11, 10))
    with mock.patch("django.utils.timezone.now", return_value=dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)):
        appeal = services.appeal_dispatch(actor=world.users["branch_secretary"], appeal=appeal)
    assert (appeal.deadline, appeal.overdue_since, appeal.supervision) == (D(2026, 11, 17), None, "town")
    assert services.flag_overdue(today=D(2026, 11, 17)) == {"flagged": 0, "escalated": 0}
    assert services.flag_overdue(today=D(2026, 11, 18)) == {"flagged": 1, "escalated": 0}
    assert AppealEvent.objects.filter(appeal=appeal, action="overdue").count() == 2


def test_the_command_prints_the_counts_and_is_idempotent(file_appeal):
    late_appeal(file_appeal)
    out = io.StringIO()
    call_command("appeals_overdue", "--date", "2026-11-10", stdout=out)
    call_command("appeals_overdue", "--date", "2026-11-10", stdout=out)
    first, second = out.getvalue().splitlines()
    assert first.endswith("1 newly flagged, 1 supervision escalated")
    assert second.endswith("0 newly flagged, 0 supervision escalated")


def test_the_repeating_command_stops_when_the_server_that_started_it_is_gone(file_appeal):
    late_appeal(file_appeal)
    out = io.StringIO()
    with (
        mock.patch.object(appeals_overdue.os, "getppid", side_effect=[4242, 1]),
        mock.patch.object(appeals_overdue.connections, "close_all") as close_all,
    ):
        call_command("appeals_overdue", "--every", "600", "--exit-with-parent", "--date", "2026-11-10", stdout=out)
    assert out.getvalue().count("overdue appeals") == 1 and close_all.called
    assert Appeal.objects.filter(overdue_since=D(2026, 11, 10), status=workflow.RECEIVED).count() == 1


class FakeClock:
    """time.monotonic advancing 0.6 s a call, and a sleep that returns at once: one parent check per pause of 1 s."""

    def __init__(self):
        self.now = 0.0

    def monotonic(self):
        self.now += 0.6
        return self.now

    def sleep(self, seconds):
        pass


def test_a_failed_run_does_not_end_the_repeating_job(file_appeal):
    err = io.StringIO()
    runs = iter([RuntimeError("database went away"), {"flagged": 0, "escalated": 0}])

    def flaky(today=None):
        result = next(runs)
        if isinstance(result, Exception):
            raise result
        return result

    with (
        mock.patch.object(appeals_overdue, "flag_overdue", side_effect=flaky),
        mock.patch.object(appeals_overdue.os, "getppid", side_effect=[7, 7, 1]),
        mock.patch.object(appeals_overdue, "time", FakeClock()),
        mock.patch.object(appeals_overdue.connections, "close_all"),
    ):
        out = io.StringIO()
        call_command("appeals_overdue", "--every", "1", "--exit-with-parent", stdout=out, stderr=err)
    assert "database went away" in err.getvalue()
    assert "0 newly flagged" in out.getvalue()  # the second run went ahead
