"""A re-election from nominations to the new committee, through the services, with the bad inputs the issue lists."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone, translation

from jiayuan.elections import selectors
from jiayuan.elections.models import Ballot, Campaign, Candidate, GeneralMeeting, Result, Review, Voter
from jiayuan.elections.services import assembly
from jiayuan.elections.services import campaign as svc
from jiayuan.elections.testing import (
    CAMPAIGN_DAY as DAY,
)
from jiayuan.elections.testing import (
    at,
    election_world,
    nominate_all,
    open_campaign,
    review_all,
    through_campaign_meeting,
)
from jiayuan.organisations.models import Organisation, Post


@pytest.fixture(autouse=True)
def english():
    """The services' messages are asserted in English (the interface's default is Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def ew(world, django_db_blocker):
    with django_db_blocker.unblock():
        return election_world(world)


def test_a_re_election_runs_from_nominations_to_the_new_committee(ew, db):
    w = ew.world
    clerk = w.users["community_secretary"]
    campaign = open_campaign(ew)
    assert campaign.predecessor == w.committee_a
    candidates = nominate_all(ew, campaign)
    through_campaign_meeting(ew, campaign, candidates)
    opens = DAY + dt.timedelta(days=30)
    meeting = assembly.meeting_create(
        actor=clerk,
        compound=w.compound_a,
        title="第二届业委会选举",
        voting_opens=at(opens, 8),
        voting_closes=at(opens + dt.timedelta(days=7), 18),
        campaign=campaign,
    )
    assembly.motion_add(actor=clerk, meeting=meeting, matter=2, title="修订管理规约")
    assembly.meeting_announce(actor=clerk, meeting=meeting, on=opens - dt.timedelta(days=15))
    meeting.refresh_from_db()
    campaign.refresh_from_db()
    assert campaign.status == "voting"
    # 16 rooms (4 from the world, 12 new); the resident and 12 owners, 3 rooms with no registered owner.
    assert meeting.total_heads == Voter.objects.filter(meeting=meeting).count() == 16
    # Owners 1..12 vote online: agree with the first five candidates, against the covenant for two of them.
    for n, owner in enumerate(ew.owners, start=1):
        user = owner.account
        votes = {1: {c.pk: "agree" for c in candidates[:5]}, 2: "against" if n <= 2 else "agree"}
        assembly.ballots_cast_online(actor=user, meeting=meeting, votes=votes, at=at(opens, 9))
    # The resident's ballot comes on paper, entered by one clerk and checked by another.
    assembly.paper_ballot_enter(
        actor=clerk,
        meeting=meeting,
        room="1号楼 1单元 101",
        paper_number="P-001",
        votes={1: {candidates[5].pk: "agree"}, 2: "agree"},
        received_at=at(opens, 11),
    )
    with pytest.raises(ValidationError, match="second person"):
        assembly.paper_ballot_check(actor=clerk, meeting=meeting, paper_number="P-001")
    assert assembly.paper_ballot_check(actor=w.users["branch_secretary"], meeting=meeting, paper_number="P-001") == 2
    assembly.meeting_count(actor=clerk, meeting=meeting, now=at(opens + dt.timedelta(days=8)))
    results = {r.candidate_id: r for r in Result.objects.filter(motion__meeting=meeting, candidate__isnull=False)}
    assert [results[c.pk].elected for c in candidates] == [True] * 5 + [False, False]
    assert results[candidates[0].pk].agree_heads == 12 and results[candidates[0].pk].participating_heads == 13
    covenant = Result.objects.get(motion__meeting=meeting, motion__number=2)
    assert (covenant.participating_heads, covenant.agree_heads, covenant.against_heads) == (13, 11, 2)
    assert covenant.quorum_met and covenant.passed
    assembly.meeting_publish(actor=clerk, meeting=meeting, on=opens + dt.timedelta(days=8))
    campaign.refresh_from_db()
    assert campaign.status == "elected"
    committee = campaign.committee
    assert committee.seats == 5 and committee.compounds.get() == w.compound_a
    members = set(committee.posts.filter(end_date__isnull=True).values_list("person_id", flat=True))
    assert members == {c.person_id for c in candidates[:5]}
    w.committee_a.refresh_from_db()
    assert w.committee_a.dissolved_on == opens + dt.timedelta(days=7)
    assert not Post.objects.filter(organisation=w.committee_a, end_date__isnull=True).exists()
    assembly.committee_officers_choose(
        actor=clerk,
        campaign=campaign,
        director=candidates[0].person,
        deputies=[candidates[1].person],
        held_on=opens + dt.timedelta(days=10),
    )
    assert committee.posts.get(role="committee_director").person == candidates[0].person
    current = Organisation.objects.active_on(opens + dt.timedelta(days=9)).filter(
        kind="owners_committee", compounds=w.compound_a
    )
    assert list(current) == [committee]


def test_the_tally_command_gives_the_web_verdict_on_the_exported_files(ew, db, tmp_path, keep_connections):
    w = ew.world
    clerk = w.users["community_secretary"]
    campaign = open_campaign(ew)
    candidates = nominate_all(ew, campaign)
    through_campaign_meeting(ew, campaign, candidates)
    opens = DAY + dt.timedelta(days=30)
    meeting = assembly.meeting_create(
        actor=clerk,
        compound=w.compound_a,
        title="选举",
        voting_opens=at(opens),
        voting_closes=at(opens + dt.timedelta(days=2)),
        campaign=campaign,
    )
    assembly.motion_add(actor=clerk, meeting=meeting, matter=7, title="加装电梯")
    assembly.meeting_announce(actor=clerk, meeting=meeting, on=opens - dt.timedelta(days=20))
    for n, owner in enumerate(ew.owners[:11], start=1):
        votes = {
            1: {c.pk: ("agree" if (n + i) % 3 else "against") for i, c in enumerate(candidates[:5])},
            2: "agree" if n <= 9 else "abstain",
        }
        assembly.ballots_cast_online(actor=owner.account, meeting=meeting, votes=votes, at=at(opens))
    assembly.meeting_count(actor=clerk, meeting=meeting, now=at(opens + dt.timedelta(days=3)))
    meeting.refresh_from_db()
    for motion in meeting.motions.all():
        for candidate in candidates[:5] if motion.is_election else [None]:
            rooms, ballots = selectors.tally_files(meeting, motion, candidate)
            rooms_file, ballots_file = tmp_path / "rooms.csv", tmp_path / "ballots.csv"
            write_csv(rooms_file, rooms)
            write_csv(ballots_file, ballots)
            out = StringIO()
            call_command(
                "tally", rooms=rooms_file, ballots=ballots_file, matter=motion.matter, as_json=True, stdout=out
            )
            printed = json.loads(out.getvalue())
            web = Result.objects.get(motion=motion, candidate=candidate)
            assert printed["passed"] == web.passed
            assert printed["quorum_met"] == web.quorum_met
            assert (printed["participating_heads"], printed["agree_heads"]) == (
                web.participating_heads,
                web.agree_heads,
            )
            assert printed["total_heads"] == web.total_heads == meeting.total_heads


def write_csv(path: Path, rows: list[dict]) -> None:
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


# --- Bad input: a clear error, nothing changed ----------------------------------------------------------


@pytest.fixture
def voting(ew, db):
    """A meeting in its voting window, with the slate's five candidates."""
    w = ew.world
    clerk = w.users["community_secretary"]
    campaign = open_campaign(ew)
    candidates = nominate_all(ew, campaign, count=5)
    through_campaign_meeting(ew, campaign, candidates)
    opens = DAY + dt.timedelta(days=30)
    meeting = assembly.meeting_create(
        actor=clerk,
        compound=w.compound_a,
        title="选举",
        voting_opens=at(opens),
        voting_closes=at(opens + dt.timedelta(days=2)),
        campaign=campaign,
    )
    assembly.meeting_announce(actor=clerk, meeting=meeting, on=opens - dt.timedelta(days=15))
    meeting.refresh_from_db()
    return meeting, candidates, opens


def test_a_ballot_outside_the_voting_window_is_refused(ew, voting):
    meeting, candidates, opens = voting
    user = ew.owners[0].account
    with pytest.raises(ValidationError, match="outside the voting window"):
        assembly.ballots_cast_online(actor=user, meeting=meeting, votes={1: {}}, at=at(opens - dt.timedelta(days=1)))
    with pytest.raises(ValidationError, match="outside the voting window"):
        assembly.ballots_cast_online(actor=user, meeting=meeting, votes={1: {}}, at=at(opens + dt.timedelta(days=2)))
    assert not Ballot.objects.filter(motion__meeting=meeting).exists()


def test_someone_outside_the_frozen_electorate_cannot_vote(ew, voting):
    meeting, candidates, opens = voting
    with pytest.raises(ValidationError) as error:
        assembly.ballots_cast_online(
            actor=ew.world.users["property_manager"],
            meeting=meeting,
            votes={1: {candidates[0].pk: "agree"}},
            at=at(opens),
        )
    assert "voter" in error.value.message_dict
    assert not Ballot.objects.filter(motion__meeting=meeting).exists()


def test_a_second_ballot_from_the_same_voter_is_refused_and_the_first_stands(ew, voting):
    meeting, candidates, opens = voting
    user = ew.owners[0].account
    assembly.ballots_cast_online(actor=user, meeting=meeting, votes={1: {candidates[0].pk: "agree"}}, at=at(opens))
    with pytest.raises(ValidationError, match="already been cast"):
        assembly.ballots_cast_online(
            actor=user, meeting=meeting, votes={1: {candidates[0].pk: "against"}}, at=at(opens, 11)
        )
    ballot = Ballot.objects.get(motion__meeting=meeting)
    assert ballot.candidate_choices.get().choice == "agree"


def test_agreeing_with_more_candidates_than_seats_is_refused(ew, voting):
    meeting, candidates, opens = voting
    extra = Candidate.objects.filter(campaign=meeting.campaign).exclude(pk__in=[c.pk for c in candidates])
    assert not extra.exists()
    with pytest.raises(ValidationError, match="not on the slate"):
        assembly.ballots_cast_online(
            actor=ew.owners[0].account, meeting=meeting, votes={1: {999999: "agree"}}, at=at(opens)
        )


def test_a_meeting_announced_fewer_than_15_days_ahead_is_refused(ew, db):
    w = ew.world
    clerk = w.users["community_secretary"]
    opens = DAY + dt.timedelta(days=30)
    meeting = assembly.meeting_create(
        actor=clerk,
        compound=w.compound_a,
        title="续聘物业",
        voting_opens=at(opens),
        voting_closes=at(opens + dt.timedelta(days=1)),
    )
    assembly.motion_add(actor=clerk, meeting=meeting, matter=4, title="续聘物业服务企业")
    with pytest.raises(ValidationError) as error:
        assembly.meeting_announce(actor=clerk, meeting=meeting, on=opens - dt.timedelta(days=14))
    assert "voting_opens" in error.value.message_dict
    meeting.refresh_from_db()
    assert meeting.status == "draft" and not Voter.objects.filter(meeting=meeting).exists()
    with pytest.raises(ValidationError) as error:  # nor on a day still to come
        assembly.meeting_announce(actor=clerk, meeting=meeting, on=timezone.localdate() + dt.timedelta(days=2))
    assert "on" in error.value.message_dict
    assembly.meeting_announce(actor=clerk, meeting=meeting, on=opens - dt.timedelta(days=15))
    meeting.refresh_from_db()
    assert meeting.status == "announced"


def test_a_slate_of_even_size_is_refused(ew, db):
    clerk = ew.world.users["community_secretary"]
    campaign = open_campaign(ew)
    candidates = nominate_all(ew, campaign, count=6)
    svc.review_start(actor=clerk, campaign=campaign)
    review_all(ew, campaign)
    svc.interviews_start(actor=clerk, campaign=campaign)
    for candidate in candidates:
        svc.interview_record(actor=clerk, candidate=candidate, held_on=DAY, panel="社区", notes="好", passed=True)
    with pytest.raises(ValidationError) as error:
        svc.slate_publish(actor=clerk, campaign=campaign, candidates=candidates, seats=6, notice_starts=DAY)
    assert "seats" in error.value.message_dict
    campaign.refresh_from_db()
    assert campaign.status == "interviewing" and campaign.seats == 5
    assert not Candidate.objects.filter(campaign=campaign, status="on_slate").exists()
    with pytest.raises(IntegrityError):
        Campaign.objects.filter(pk=campaign.pk).update(seats=6)  # the database holds it too


def test_a_reviewer_cannot_act_on_another_departments_queue(ew, db):
    w = ew.world
    campaign = open_campaign(ew)
    nominate_all(ew, campaign, count=5)
    svc.review_start(actor=w.users["community_secretary"], campaign=campaign)
    housing = w.department
    police = Review.objects.filter(candidate__campaign=campaign, body__department__name="晋江市公安局").first()
    with pytest.raises(ValidationError, match="queue"):
        svc.review_record(actor=w.users["department_staff"], review=police, outcome="pass")
    police.refresh_from_db()
    assert police.outcome == "pending" and police.reviewer is None
    queue = selectors.review_queue(viewer=w.users["department_staff"])
    assert queue.count() == 5 and {r.body.department_id for r in queue} == {housing.pk}


def test_a_candidate_who_owns_no_room_in_the_compound_is_refused(ew, db):
    w = ew.world
    campaign = open_campaign(ew)
    with pytest.raises(ValidationError) as error:
        svc.candidate_nominate(
            actor=w.users["community_secretary"],
            campaign=campaign,
            person=w.people["town_clerk"],
            route="community",
            on=DAY,
        )
    assert "owns no room" in error.value.message_dict["person"][0]
    assert not campaign.candidates.exists()


def test_a_joint_nomination_needs_the_configured_number_of_co_nominating_owners(ew, db):
    w = ew.world
    campaign = open_campaign(ew)
    clerk = w.users["community_secretary"]
    with pytest.raises(ValidationError) as error:
        svc.candidate_nominate(
            actor=clerk, campaign=campaign, person=ew.owners[0], route="owners", co_nominators=ew.owners[1:3], on=DAY
        )
    assert "co_nominators" in error.value.message_dict
    candidate = svc.candidate_nominate(
        actor=clerk, campaign=campaign, person=ew.owners[0], route="owners", co_nominators=ew.owners[1:4], on=DAY
    )
    assert candidate.co_nominations.count() == 3


def test_one_failed_review_disqualifies_and_every_pass_qualifies(ew, db):
    campaign = open_campaign(ew)
    candidates = nominate_all(ew, campaign, count=6)
    svc.review_start(actor=ew.world.users["community_secretary"], campaign=campaign)
    review_all(ew, campaign, fail=[candidates[0].person])
    statuses = dict(Candidate.objects.filter(campaign=campaign).values_list("person_id", "status"))
    assert statuses[candidates[0].person_id] == "disqualified"
    assert [statuses[c.person_id] for c in candidates[1:]] == ["qualified"] * 5
    counts = {c.body: c for c in selectors.review_counts(viewer=ew.world.users["city_admin"])}
    assert counts["晋江市公安局"].decided == 6 and counts["晋江市公安局"].failed == 1
    assert sum(c.decided for c in counts.values()) == 6 * 9


def test_objections_must_be_answered_and_an_upheld_one_strikes_the_candidate(ew, db):
    w = ew.world
    clerk = w.users["community_secretary"]
    campaign = open_campaign(ew)
    candidates = nominate_all(ew, campaign, count=6)
    svc.review_start(actor=clerk, campaign=campaign)
    review_all(ew, campaign)
    svc.interviews_start(actor=clerk, campaign=campaign)
    for candidate in candidates:
        svc.interview_record(actor=clerk, candidate=candidate, held_on=DAY, panel="社区", notes="好", passed=True)
    svc.slate_publish(actor=clerk, campaign=campaign, candidates=candidates, seats=5, notice_starts=DAY)
    owner = ew.owners[8]
    objection = svc.objection_lodge(
        actor=owner.account,
        candidate=candidates[0],
        person=owner,
        text="该候选人在物业公司任职",
        on=DAY + dt.timedelta(days=2),
    )
    with pytest.raises(ValidationError, match="not answered"):
        svc.campaigning_start(actor=clerk, campaign=campaign, on=DAY + dt.timedelta(days=8))
    svc.objection_answer(actor=clerk, objection=objection, answer="经核实属实，取消候选资格", upheld=True)
    candidates[0].refresh_from_db()
    assert candidates[0].status == "struck_off"
    svc.campaigning_start(actor=clerk, campaign=campaign, on=DAY + dt.timedelta(days=8))
    campaign.refresh_from_db()
    assert campaign.status == "campaigning"


def test_the_tie_rule_leaves_a_straddled_last_seat_for_a_run_off():
    from decimal import Decimal

    rows = [
        Result(agree_heads=h, agree_area=Decimal(a), passed=True)
        for h, a in [(9, "900"), (8, "800"), (8, "800"), (7, "700"), (6, "600"), (6, "600"), (5, "1")]
    ]
    assembly.rank_candidates(rows, seats=5)
    assert [r.rank for r in rows] == [1, 2, 2, 4, 5, 5, 7]
    assert [r.elected for r in rows] == [True, True, True, True, False, False, False]
    assert (rows[4].tied_across_last_seat, rows[5].tied_across_last_seat, rows[3].tied_across_last_seat) == (2, 2, None)


def test_general_meeting_statuses_are_the_declared_ones():
    assert set(GeneralMeeting.Status.values) == {"draft", "announced", "counted", "published", "cancelled"}


def test_the_electorate_is_frozen_at_announcement(ew, voting):
    from jiayuan.people import services as people_services

    meeting, candidates, opens = voting
    newcomer = people_services.person_create(actor=None, name="新业主")
    people_services.ownership_add(actor=None, room=ew.rooms[0], person=newcomer, start_date=DAY + dt.timedelta(days=40))
    assert assembly.frozen_electorate(meeting).total_heads == meeting.total_heads
    assert not selectors.membership(meeting, type("Viewer", (), {"person_id": newcomer.pk})())


def test_correcting_a_rooms_area_after_announcement_leaves_the_frozen_electorate_as_it_was(ew, voting):
    from decimal import Decimal

    from jiayuan.elections.models import ElectorateRoom
    from jiayuan.places import services as place_services

    meeting, candidates, opens = voting
    room = ew.rooms[0]
    frozen = ElectorateRoom.objects.get(meeting=meeting, room=room).area
    total = assembly.frozen_electorate(meeting).total_area
    place_services.room_update_area(
        actor=ew.world.users["town_clerk"],
        room=room,
        area=room.area + Decimal("30"),
        area_source="surveyed",
        reason="测绘更正",
    )
    assert ElectorateRoom.objects.get(meeting=meeting, room=room).area == frozen
    assert assembly.frozen_electorate(meeting).total_area == total


def test_a_co_owned_room_is_one_voter_and_the_developers_rooms_are_one(ew, db):
    from jiayuan.organisations.services import organisation_create
    from jiayuan.people import services as people_services
    from jiayuan.testing import START

    w = ew.world
    clerk = w.users["community_secretary"]
    spouse = people_services.person_create(actor=None, name="业主1配偶")
    people_services.ownership_add(actor=None, room=ew.rooms[0], person=spouse, start_date=START)
    developer = organisation_create(actor=None, kind="developer", name="宏远置业", established_on=START)
    unsold = [r for r in w.rooms_a if not r.ownerships.exists()]
    for room in unsold:
        people_services.ownership_add(actor=None, room=room, developer=developer, start_date=START)
    opens = DAY + dt.timedelta(days=30)
    meeting = assembly.meeting_create(
        actor=clerk,
        compound=w.compound_a,
        title="表决",
        voting_opens=at(opens),
        voting_closes=at(opens + dt.timedelta(days=1)),
    )
    assembly.motion_add(actor=clerk, meeting=meeting, matter=9, title="其他重大事项")
    assembly.meeting_announce(actor=clerk, meeting=meeting, on=DAY)
    meeting.refresh_from_db()
    assert meeting.total_heads == 1 + 12 + 1  # the resident, twelve owners (one room co-owned), the developer
    developer_voter = Voter.objects.get(meeting=meeting, is_developer=True)
    assert developer_voter.rooms.count() == len(unsold) == 3
    assembly.ballots_cast_online(actor=ew.owners[0].account, meeting=meeting, votes={1: "agree"}, at=at(opens))
    spouse_user = type(ew.owners[0].account).objects.create_user(
        username="spouse1", password="x-Long-2026", person=spouse
    )
    with pytest.raises(ValidationError, match="already been cast"):
        assembly.ballots_cast_online(actor=spouse_user, meeting=meeting, votes={1: "against"}, at=at(opens))


def test_correcting_a_paper_ballot_is_audited_and_needs_checking_again(ew, voting):
    from jiayuan.core.models import AuditEntry

    meeting, candidates, opens = voting
    w = ew.world
    clerk = w.users["community_secretary"]
    (ballot,) = assembly.paper_ballot_enter(
        actor=clerk,
        meeting=meeting,
        room="2号楼 1单元 101",
        paper_number="7",
        votes={1: {candidates[0].pk: "agree"}},
        received_at=at(opens),
    )
    assembly.paper_ballot_check(actor=w.users["branch_secretary"], meeting=meeting, paper_number="7")
    with pytest.raises(ValidationError) as error:
        assembly.ballot_correct(actor=clerk, ballot=ballot, vote={candidates[0].pk: "against"}, reason=" ")
    assert "reason" in error.value.message_dict
    assembly.ballot_correct(
        actor=clerk, ballot=ballot, vote={candidates[0].pk: "against"}, reason="录入错误，按原票更正"
    )
    ballot.refresh_from_db()
    assert ballot.checked_by is None and ballot.candidate_choices.get().choice == "against"
    entry = AuditEntry.objects.filter(object_type__endswith="ballot", object_id=str(ballot.pk)).order_by("-id").first()
    assert entry.note == "录入错误，按原票更正"
    assert entry.before["candidate_choices"] == {str(candidates[0].pk): "agree"}
    assert entry.after["candidate_choices"] == {str(candidates[0].pk): "against"}
    with pytest.raises(ValidationError, match="not yet checked"):
        assembly.meeting_count(actor=clerk, meeting=meeting, now=at(opens + dt.timedelta(days=3)))


def test_the_database_itself_refuses_a_second_ballot_of_a_voter_on_a_motion(ew, voting):
    from django.db import IntegrityError, transaction

    meeting, candidates, opens = voting
    motion = meeting.motions.get()
    voter = Voter.objects.filter(meeting=meeting).first()
    Ballot.objects.create(motion=motion, voter=voter, channel="online", cast_at=at(opens))
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(motion=motion, voter=voter, channel="on_site", cast_at=at(opens, 11))
    assert Ballot.objects.filter(motion=motion, voter=voter).count() == 1


def test_calling_off_an_election_meeting_returns_the_campaign_to_its_campaign_stage(ew, voting):
    meeting, candidates, opens = voting
    clerk = ew.world.users["community_secretary"]
    with pytest.raises(ValidationError) as error:
        assembly.meeting_cancel(actor=clerk, meeting=meeting, reason="")
    assert "reason" in error.value.message_dict
    assembly.meeting_cancel(actor=clerk, meeting=meeting, reason="台风，改期")
    meeting.refresh_from_db()
    campaign = Campaign.objects.get(pk=meeting.campaign_id)
    assert meeting.status == "cancelled" and campaign.status == "campaigning"
    again = assembly.meeting_create(
        actor=clerk,
        compound=ew.world.compound_a,
        title="改期后的选举",
        voting_opens=at(opens + dt.timedelta(days=20)),
        voting_closes=at(opens + dt.timedelta(days=21)),
        campaign=campaign,
    )
    assert again.motions.get().is_election


def test_the_tally_files_neutralise_formula_cells_and_the_tally_reads_them_back(tmp_path):
    from jiayuan.core.spreadsheets import safe_cell
    from jiayuan.elections.files import read_ballots

    path = tmp_path / "ballots.csv"
    path.write_text("owner,choice\n" + f"{safe_cell('=cmd|calc')},agree\n", encoding="utf-8")
    assert path.read_text(encoding="utf-8").splitlines()[1].startswith("'=")
    assert [ballot.owner for ballot in read_ballots(path)] == ["=cmd|calc"]


@pytest.mark.parametrize("persona", ["resident", "property_manager", "building_head", "department_staff"])
def test_a_viewer_without_power_over_the_compound_is_refused_as_in_every_app(ew, db, persona):
    from django.core.exceptions import PermissionDenied

    campaign = open_campaign(ew)
    with pytest.raises(PermissionDenied, match="compound"):
        svc.review_start(actor=ew.world.users[persona], campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == "nominating"
