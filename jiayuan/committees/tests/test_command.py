"""`jiayuan committee_reminders [--date YYYY-MM-DD]`: the scheduled job from the command line."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import translation

from jiayuan.cli import main
from jiayuan.committees.models import TermReminder
from jiayuan.organisations import services as org_services

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("committee_reminders", *args, stdout=out)
    return out.getvalue().strip()


def test_the_command_prints_how_many_reminders_it_created_and_is_idempotent(world):
    baolong = org_services.committee_create(
        actor=None,
        compound=world.compound_a2,
        name="宝龙世家业委会",
        established_on=dt.date(2021, 9, 1),
        term_end=dt.date(2026, 8, 31),
        seats=7,
    )
    assert run("--date", "2026-01-31") == "0 reminders created."
    assert run("--date", "2026-03-01") == "1 reminder created."
    assert run("--date", "2026-03-02") == "0 reminders created."
    # 金利花园业委会's term ends 2028-12-31; 宝龙世家业委会, long expired, was reminded of its term end already.
    assert run("--date", "2028-07-01") == "1 reminder created."
    assert list(TermReminder.objects.order_by("reminded_on").values_list("committee", "reminded_on")) == [
        (baolong.pk, dt.date(2026, 3, 1)),
        (world.committee_a.pk, dt.date(2028, 7, 1)),
    ]


def test_the_command_mails_the_reminder_once_committed(world, django_capture_on_commit_callbacks):
    world.users["committee_director"].email = "director@example.cn"
    world.users["committee_director"].save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        assert run("--date", "2028-07-01") == "1 reminder created."
    assert [message.to for message in mail.outbox] == [["director@example.cn"]]


def test_a_malformed_date_is_refused(world):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--date", "2028/07/01")


def test_the_jiayuan_console_command_runs_it(world, keep_connections, capsys):
    with translation.override("en"):
        main(["jiayuan", "committee_reminders", "--date", "2028-07-01"])
    assert capsys.readouterr().out.strip() == "1 reminder created."
    assert TermReminder.objects.filter(committee=world.committee_a).exists()
