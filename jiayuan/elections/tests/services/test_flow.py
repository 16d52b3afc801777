"""A re-election from nominations to the new committee through the services, and the tally command giving the
count's verdict on the exported files."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from jiayuan.elections import selectors
from jiayuan.elections.models import Result, Voter
from jiayuan.elections.services import assembly
from jiayuan.elections.testing import CAMPAIGN_DAY as DAY
from jiayuan.elections.testing import at, nominate_all, open_campaign, through_campaign_meeting
from jiayuan.organisations.models import Organisation, Post


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
