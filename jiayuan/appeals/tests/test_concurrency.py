"""Two staff acting on the same appeal at once: one wins, the other gets a clear conflict error, nothing is lost.

These tests build their own world (not the module-wide `world` fixture): the threaded
test needs its data committed, where other connections can see it.
"""

import threading

import pytest
from django.conf import settings
from django.db import connection

from jiayuan.appeals import services, workflow
from jiayuan.appeals.models import Appeal, AppealEvent, Category
from jiayuan.core.models import User
from jiayuan.testing import build_world

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def submit(world) -> Appeal:
    return services.appeal_submit(
        actor=world.users["resident"],
        channel=Appeal.Channel.RESIDENT,
        category=Category.objects.get_or_create(code="T9C01", defaults={"name": "电梯故障"})[0],
        title="电梯故障",
        description="2号梯停在5楼。",
        compound=world.compound_a,
    )


@pytest.mark.django_db
def test_the_second_of_two_staff_working_from_the_same_version_gets_a_conflict():
    world = build_world()
    appeal = submit(world)
    seen_by_secretary = Appeal.objects.get(pk=appeal.pk)
    seen_by_director = Appeal.objects.get(pk=appeal.pk)
    services.appeal_accept(
        actor=world.users["branch_secretary"], appeal=seen_by_secretary, version=seen_by_secretary.version
    )
    with pytest.raises(services.ConflictError) as caught:
        services.appeal_dispatch(
            actor=world.users["committee_director"], appeal=seen_by_director, version=seen_by_director.version
        )
    assert appeal.number in str(caught.value)
    with pytest.raises(services.ConflictError):  # the same action again is a conflict too, not a second accept
        services.appeal_accept(
            actor=world.users["committee_director"], appeal=seen_by_director, version=seen_by_director.version
        )
    appeal.refresh_from_db()
    assert (appeal.status, appeal.version, appeal.level) == (workflow.ACCEPTED, 2, Appeal.Level.COMPOUND)
    assert list(appeal.events.values_list("action", flat=True)) == ["submit", "accept"]


@pytest.mark.django_db
def test_working_from_the_current_version_after_a_reload_succeeds():
    world = build_world()
    appeal = submit(world)
    services.appeal_accept(actor=world.users["branch_secretary"], appeal=appeal, version=1)
    reloaded = Appeal.objects.get(pk=appeal.pk)
    reloaded = services.appeal_dispatch(
        actor=world.users["committee_director"], appeal=reloaded, version=reloaded.version
    )
    assert (reloaded.status, reloaded.version) == (workflow.DISPATCHED, 3)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite has no row locks; this needs two real connections on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_threads_accepting_at_once_leave_one_winner_and_one_conflict():
    world = build_world()
    appeal = submit(world)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(username):
        try:
            user = User.objects.get(username=username)
            barrier.wait(timeout=10)
            services.appeal_accept(actor=user, appeal=Appeal(pk=appeal.pk), version=1)
            result = "won"
        except services.ConflictError:
            result = "conflict"
        except Exception as exc:  # anything else fails the test below, by name
            result = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=accept, args=(name,)) for name in ("branch_secretary", "committee_director")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "won"]
    appeal.refresh_from_db()
    assert (appeal.status, appeal.version) == (workflow.ACCEPTED, 2)
    assert AppealEvent.objects.filter(appeal=appeal, action="accept").count() == 1
