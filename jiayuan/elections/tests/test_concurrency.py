"""Two simultaneous ballots from one owner leave exactly one; two counts of one meeting leave one set of results.

Each test runs two threads released at the same moment by a barrier, each on its own database connection,
so the data is built and committed inside the test (transactional tests flush the database; the module's
`world` is not available).
"""

import datetime as dt
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from jiayuan.core.models import AuditEntry, User
from jiayuan.elections.models import Ballot, GeneralMeeting, Result, Voter, VoterMember
from jiayuan.elections.services import assembly
from jiayuan.people import services as people_services
from jiayuan.testing import PASSWORD, START, build_world

DAY = dt.date(2026, 3, 2)
OPENS = timezone.make_aware(dt.datetime(2026, 4, 1, 8))
CLOSES = timezone.make_aware(dt.datetime(2026, 4, 3, 18))
DURING = timezone.make_aware(dt.datetime(2026, 4, 2, 9))
AFTER = timezone.make_aware(dt.datetime(2026, 4, 4, 9))

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The SQLite test database lives in shared-cache memory, where a second writer fails at once with "database
    # table is locked" instead of waiting its turn; the race needs two real connections that queue.
    pytest.mark.skipif(not ON_POSTGRESQL, reason="needs two real connections that wait for each other: PostgreSQL"),
]


def race(*calls: Callable[[], object]) -> list[str]:
    """Run the calls in threads released together; each outcome is "done", or the refused fields joined."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = [""] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            calls[index]()
            outcomes[index] = "done"
        except ValidationError as exc:
            outcomes[index] = "refused:" + ",".join(
                sorted(exc.message_dict) if hasattr(exc, "error_dict") else ["__all__"]
            )
        except Exception as exc:  # anything else fails the test, by name
            outcomes[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def owner_account(name: str, username: str):
    person = people_services.person_create(actor=None, name=name)
    return person, User.objects.create_user(username=username, password=PASSWORD, person=person)


def announced_meeting(world) -> GeneralMeeting:
    """A meeting on 金利花园 with two motions, announced (the electorate frozen) in good time."""
    clerk = world.users["community_secretary"]
    meeting = assembly.meeting_create(
        actor=clerk, compound=world.compound_a, title="续聘物业、修订规约", voting_opens=OPENS, voting_closes=CLOSES
    )
    assembly.motion_add(actor=clerk, meeting=meeting, matter=4, title="续聘物业服务企业")
    assembly.motion_add(actor=clerk, meeting=meeting, matter=2, title="修订管理规约")
    assembly.meeting_announce(actor=clerk, meeting=meeting, on=DAY)
    return meeting


def cast(username: str, meeting_pk: int, choice: str) -> Callable[[], object]:
    def call():
        user = User.objects.get(username=username)
        return assembly.ballots_cast_online(
            actor=user, meeting=GeneralMeeting(pk=meeting_pk), votes={1: choice, 2: choice}, at=DURING
        )

    return call


def ballot_audits(meeting) -> int:
    ids = [str(pk) for pk in Ballot.objects.filter(motion__meeting=meeting).values_list("pk", flat=True)]
    return AuditEntry.objects.filter(object_type="elections.ballot", object_id__in=ids, action="create").count()


def one_winner_one_ballot_per_motion(meeting, outcomes) -> None:
    assert sorted(outcomes) == ["done", "refused:motion_1"], outcomes
    ballots = Ballot.objects.filter(motion__meeting=meeting)
    assert ballots.count() == 2  # one per motion, both from the winner
    assert len(set(ballots.values_list("choice", flat=True))) == 1
    assert len(set(ballots.values_list("cast_by_id", flat=True))) == 1
    assert ballot_audits(meeting) == 2


@pytest.fixture
def slow_inserts():
    """Hold each ballot insert back a moment, so both threads pass the service's existence check before either
    inserts: then only the database's one-ballot-per-voter-per-motion constraint stands between them."""
    create = Ballot.objects.create

    def slow_create(**fields):
        time.sleep(0.3)
        return create(**fields)

    with mock.patch.object(Ballot.objects, "create", side_effect=slow_create) as patched:
        yield patched


def test_the_same_owner_voting_twice_at_the_same_moment_leaves_one_ballot_per_motion():
    world = build_world()
    meeting = announced_meeting(world)
    outcomes = race(cast("resident", meeting.pk, "agree"), cast("resident", meeting.pk, "against"))
    one_winner_one_ballot_per_motion(meeting, outcomes)


def test_two_ballots_of_one_owner_at_once_wait_on_the_meeting_and_the_second_is_refused_before_inserting(slow_inserts):
    world = build_world()
    meeting = announced_meeting(world)
    outcomes = race(cast("resident", meeting.pk, "agree"), cast("resident", meeting.pk, "against"))
    # The services lock the meeting's row for each ballot, so the loser waits and then finds the winner's ballot
    # before it inserts: only the winner's two motions reach the insert. The constraint stays as the last guard.
    assert slow_inserts.call_count == 2
    one_winner_one_ballot_per_motion(meeting, outcomes)


def test_two_co_owners_of_one_room_voting_at_the_same_moment_leave_one_ballot_per_motion():
    world = build_world()
    room = world.rooms_a[1]
    wife, _ = owner_account("林业主", "co_owner_1")
    husband, _ = owner_account("许业主", "co_owner_2")
    people_services.ownership_add(actor=None, room=room, person=wife, start_date=START)
    people_services.ownership_add(actor=None, room=room, person=husband, start_date=START)
    meeting = announced_meeting(world)
    members = VoterMember.objects.filter(meeting=meeting, person__in=[wife, husband])
    assert members.count() == 2 and len({m.voter_id for m in members}) == 1  # a co-owned room is one voter
    outcomes = race(cast("co_owner_1", meeting.pk, "agree"), cast("co_owner_2", meeting.pk, "against"))
    one_winner_one_ballot_per_motion(meeting, outcomes)
    assert set(Ballot.objects.filter(motion__meeting=meeting).values_list("voter", flat=True)) == {members[0].voter_id}


def test_two_staff_entering_the_same_paper_ballot_at_once_leave_one():
    world = build_world()
    meeting = announced_meeting(world)

    def enter(username):
        def call():
            return assembly.paper_ballot_enter(
                actor=User.objects.get(username=username),
                meeting=GeneralMeeting(pk=meeting.pk),
                room="1号楼 1单元 101",
                paper_number="P-007",
                votes={1: "agree", 2: "agree"},
                received_at=DURING,
            )

        return call

    outcomes = race(enter("community_secretary"), enter("branch_secretary"))
    assert sorted(outcomes) == ["done", "refused:motion_1"], outcomes
    assert Ballot.objects.filter(motion__meeting=meeting).count() == 2
    assert len(set(Ballot.objects.filter(motion__meeting=meeting).values_list("entered_by", flat=True))) == 1


def test_two_second_person_checks_at_once_confirm_the_paper_ballot_once():
    world = build_world()
    meeting = announced_meeting(world)
    assembly.paper_ballot_enter(
        actor=world.users["community_secretary"],
        meeting=meeting,
        room="1号楼 1单元 101",
        paper_number="P-001",
        votes={1: "agree", 2: "against"},
        received_at=DURING,
    )

    def check(username):
        def call():
            return assembly.paper_ballot_check(
                actor=User.objects.get(username=username), meeting=GeneralMeeting(pk=meeting.pk), paper_number="P-001"
            )

        return call

    assert race(check("branch_secretary"), check("town_clerk")) == ["done", "done"]
    ballots = Ballot.objects.filter(motion__meeting=meeting)
    assert ballots.count() == 2 and len(set(ballots.values_list("checked_by", flat=True))) == 1
    ids = [str(pk) for pk in ballots.values_list("pk", flat=True)]
    checks = AuditEntry.objects.filter(object_type="elections.ballot", object_id__in=ids, action="update")
    assert checks.count() == 2  # one check per motion's ballot, not two
    assembly.meeting_count(actor=world.users["community_secretary"], meeting=meeting, now=AFTER)
    assert list(
        Result.objects.filter(motion__meeting=meeting)
        .order_by("motion__number")
        .values_list("participating_heads", "agree_heads", "against_heads")
    ) == [(1, 1, 0), (1, 0, 1)]


def test_two_counts_of_one_meeting_at_once_leave_one_set_of_results():
    world = build_world()
    meeting = announced_meeting(world)
    assembly.ballots_cast_online(
        actor=world.users["resident"], meeting=meeting, votes={1: "agree", 2: "agree"}, at=DURING
    )

    def count(username):
        def call():
            return assembly.meeting_count(
                actor=User.objects.get(username=username), meeting=GeneralMeeting(pk=meeting.pk), now=AFTER
            )

        return call

    outcomes = race(count("community_secretary"), count("town_clerk"))
    assert sorted(outcomes) == ["done", "refused:__all__"], outcomes
    results = Result.objects.filter(motion__meeting=meeting)
    assert results.count() == 2 and set(results.values_list("motion__number", flat=True)) == {1, 2}
    meeting.refresh_from_db()
    assert meeting.status == "counted"
    counted = AuditEntry.objects.filter(
        object_type="elections.generalmeeting", object_id=str(meeting.pk), after__status="counted"
    )
    assert counted.count() == 1
    heads = Voter.objects.filter(meeting=meeting).count()
    assert list(results.values_list("total_heads", flat=True)) == [heads, heads]
    assert Decimal(results.first().participating_area) == Decimal("90.50")


def test_a_paper_ballot_entered_while_the_meeting_is_counted_is_either_refused_or_counted(slow_inserts):
    world = build_world()
    meeting = announced_meeting(world)

    def enter():
        return assembly.paper_ballot_enter(
            actor=User.objects.get(username="community_secretary"),
            meeting=GeneralMeeting(pk=meeting.pk),
            room="1号楼 1单元 101",
            paper_number="P-009",
            votes={1: "agree"},
            received_at=DURING,
        )

    def count():
        time.sleep(0.1)  # the entry has begun (and is inside its slowed insert) when the count starts
        return assembly.meeting_count(
            actor=User.objects.get(username="town_clerk"), meeting=GeneralMeeting(pk=meeting.pk), now=AFTER
        )

    outcomes = race(enter, count)
    assert "done" in outcomes and all(o == "done" or o.startswith("refused:") for o in outcomes), outcomes
    meeting.refresh_from_db()
    if meeting.status == "counted":
        assert not Ballot.objects.filter(motion__meeting=meeting, channel="paper", checked_by__isnull=True).exists()
        counted = Ballot.objects.filter(motion__meeting=meeting, motion__number=1).count()
        assert Result.objects.get(motion__meeting=meeting, motion__number=1).participating_heads == counted
