"""Term reminders (services/reminders.py): once per term end within six months, not for a committee with a
successor or dissolved, and mailed after commit."""

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from jiayuan.committees import services
from jiayuan.committees.models import TermReminder
from jiayuan.core.audit import history_for
from jiayuan.core.models import AuditEntry
from jiayuan.organisations.models import Organisation

from .common import TODAY, new_committee

pytestmark = pytest.mark.django_db


def test_a_committee_is_reminded_once_when_its_term_ends_within_six_months(world):
    assert services.remind_terms(dt.date(2028, 6, 30)) == []  # 2028-12-31 is more than six months away
    created = services.remind_terms(dt.date(2028, 7, 1))
    assert [(r.committee, r.term_end, r.reminded_on, r.expired) for r in created] == [
        (world.committee_a, dt.date(2028, 12, 31), dt.date(2028, 7, 1), False)
    ]
    assert services.remind_terms(dt.date(2028, 7, 2)) == []
    assert services.remind_terms(dt.date(2029, 1, 5)) == []  # already reminded of this term end
    assert TermReminder.objects.count() == 1
    entry = history_for(created[0]).get()
    assert (entry.action, entry.actor_name) == (AuditEntry.Action.CREATE, "system")


def test_a_term_extended_after_the_reminder_gets_a_new_reminder(world):
    services.remind_terms(dt.date(2028, 7, 1))
    committee = Organisation.objects.get(pk=world.committee_a.pk)  # not the world's shared instance
    committee.term_end = dt.date(2028, 12, 1)
    committee.save(update_fields=["term_end"])
    created = services.remind_terms(dt.date(2028, 7, 2))
    assert [(r.committee, r.term_end) for r in created] == [(committee, dt.date(2028, 12, 1))]
    assert TermReminder.objects.filter(committee=committee).count() == 2


def test_an_expired_committee_without_a_successor_is_reminded_as_expired(world):
    old = new_committee(world, established_on=dt.date(2019, 5, 1), term_end=dt.date(2024, 4, 30))
    created = services.remind_terms(TODAY)
    assert [(r.committee, r.expired) for r in created] == [(old, True)]


def test_a_committee_with_a_newer_committee_for_its_compound_is_not_reminded(world):
    new_committee(world, established_on=dt.date(2019, 5, 1), term_end=dt.date(2024, 4, 30), name="宝龙世家第一届业委会")
    new_committee(world, established_on=dt.date(2024, 5, 10), term_end=dt.date(2029, 5, 9), name="宝龙世家第二届业委会")
    assert services.remind_terms(TODAY) == []


def test_a_dissolved_committee_is_not_reminded(world):
    old = new_committee(world, established_on=dt.date(2019, 5, 1), term_end=dt.date(2024, 4, 30))
    old.dissolved_on = dt.date(2024, 6, 1)
    old.save(update_fields=["dissolved_on"])
    assert services.remind_terms(TODAY) == []


def test_the_database_refuses_a_second_reminder_for_the_same_term_end(world):
    TermReminder.objects.create(
        committee=world.committee_a, term_end=world.committee_a.term_end, reminded_on=dt.date(2028, 7, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        TermReminder.objects.create(
            committee=world.committee_a, term_end=world.committee_a.term_end, reminded_on=dt.date(2028, 8, 1)
        )


def test_the_reminder_is_mailed_after_commit_to_the_director_and_the_community_secretary(
    world, django_capture_on_commit_callbacks
):
    for persona in ("committee_director", "community_secretary", "branch_secretary", "town_clerk"):
        world.users[persona].email = f"{persona}@example.cn"
        world.users[persona].save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminder = services.remind_terms(dt.date(2028, 7, 1))[0]
    assert mail.outbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert reminder.recipient_count == 2
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "committee_director@example.cn",
        "community_secretary@example.cn",
    ]
    assert all("2028-12-31" in message.subject and "金利花园业委会" in message.subject for message in mail.outbox)


def test_accounts_without_an_e_mail_address_are_not_mailed(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reminder = services.remind_terms(dt.date(2028, 7, 1))[0]
    assert (reminder.recipient_count, len(mail.outbox)) == (0, 0)
