"""The owners' general meeting pages: voting online, paper and on-site ballots, the count, the results and
their tally files, and who may open what. The campaign state is built with the services; the clock of the
pages is frozen by replacing django.utils.timezone.now (the services read it when no `at=`/`now=` is given)."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jiayuan.core.models import AuditEntry
from jiayuan.elections import selectors
from jiayuan.elections.models import Ballot, GeneralMeeting, Motion, Result
from jiayuan.elections.services import assembly
from jiayuan.elections.testing import (
    CAMPAIGN_DAY as DAY,
)
from jiayuan.elections.testing import (
    election_world,
    nominate_all,
    open_campaign,
    through_campaign_meeting,
)
from jiayuan.organisations.models import Post

OPENS = DAY + dt.timedelta(days=30)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def local(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


@pytest.fixture(scope="module")
def ew(world, django_db_blocker):
    with django_db_blocker.unblock():
        return election_world(world)


# --- The campaign state, through the services (jiayuan.elections.testing) --------------------------------


@pytest.fixture
def campaign(ew, db):
    """A campaign past its campaign meeting, with a slate of six candidates for five seats."""
    campaign = open_campaign(ew)
    candidates = nominate_all(ew, campaign, count=6)
    through_campaign_meeting(ew, campaign, candidates)
    campaign.slate = candidates
    return campaign


@pytest.fixture
def voting(ew, campaign):
    """An announced election meeting (motion 1 the election, motion 2 a matter-7 lift), voting 2 days from OPENS."""
    clerk = ew.world.users["community_secretary"]
    meeting = assembly.meeting_create(
        actor=clerk,
        compound=ew.world.compound_a,
        title="第二届业委会选举大会",
        voting_opens=at(OPENS, 8),
        voting_closes=at(OPENS + dt.timedelta(days=2), 18),
        place="物业服务中心",
        campaign=campaign,
    )
    assembly.motion_add(actor=clerk, meeting=meeting, matter=7, title="加装电梯", text="在2号楼加装电梯一部。")
    assembly.meeting_announce(actor=clerk, meeting=meeting, on=OPENS - dt.timedelta(days=15))
    meeting.refresh_from_db()
    meeting.slate = campaign.slate
    return meeting


@pytest.fixture
def clock(monkeypatch):
    """clock(moment): the pages and the services now run at `moment`."""

    def set_to(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def login(client):
    """login(user) -> the test client, logged in, in English."""

    def as_user(user):
        client.logout()
        client.force_login(user)
        client.cookies["django_language"] = "en"
        return client

    return as_user


def detail(meeting) -> str:
    return reverse("elections:meeting_detail", args=[meeting.pk])


def online_votes(meeting, agree=(), against=(), lift="agree") -> dict:
    """POST data of the owner's ballot: candidates in `agree`/`against`, the rest abstain; motion 2 `lift`."""
    data = {}
    for candidate in meeting.slate:
        choice = "agree" if candidate in agree else "against" if candidate in against else "abstain"
        data[f"motion_1_c{candidate.pk}"] = choice
    data["motion_2"] = lift
    return data


def cast(meeting, owner, agree, lift="agree", hour=9):
    """An owner votes online through the service."""
    return assembly.ballots_cast_online(
        actor=owner.account, meeting=meeting, votes={1: {c.pk: "agree" for c in agree}, 2: lift}, at=at(OPENS, hour)
    )


def ballots_of(meeting, owner):
    return Ballot.objects.filter(motion__meeting=meeting, voter__members__person=owner)


# --- Voting online ----------------------------------------------------------------------------------------


def test_an_owner_votes_online_on_every_motion_and_sees_their_ballot(ew, voting, clock, login):
    clock(at(OPENS, 9))
    owner = ew.owners[0]
    client = login(owner.account)
    page = client.get(detail(voting))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="ballot-form"' in html
    assert "Agree with at most 5 candidates" in html
    assert "加装电梯" in html and "≥ 3/4" in html
    slate = voting.slate
    response = client.post(
        reverse("elections:meeting_vote", args=[voting.pk]),
        online_votes(voting, agree=slate[:3], against=slate[3:4], lift="against"),
    )
    assert response.status_code == 302 and response["Location"].endswith("#your-ballot")
    ballots = {b.motion.number: b for b in ballots_of(voting, owner).select_related("motion")}
    assert set(ballots) == {1, 2}
    assert ballots[2].choice == "against" and ballots[2].channel == "online" and ballots[2].cast_by == owner
    picked = dict(ballots[1].candidate_choices.values_list("candidate_id", "choice"))
    assert picked == {
        slate[0].pk: "agree",
        slate[1].pk: "agree",
        slate[2].pk: "agree",
        slate[3].pk: "against",
        slate[4].pk: "abstain",
        slate[5].pk: "abstain",
    }
    page = client.get(detail(voting)).content.decode()
    assert 'data-testid="your-ballot"' in page and 'data-testid="ballot-form"' not in page
    assert "2026-04-01 09:00" in page  # when it was recorded
    mine = page.split('data-testid="your-ballot"')[1]
    assert "、".join(c.person.name for c in slate[:3]) in mine and "against" in mine


def test_a_second_submit_is_refused_with_a_clear_message_and_one_ballot_stays(ew, voting, clock, login):
    clock(at(OPENS, 9))
    owner = ew.owners[1]
    client = login(owner.account)
    url = reverse("elections:meeting_vote", args=[voting.pk])
    assert client.post(url, online_votes(voting, agree=voting.slate[:2], lift="agree")).status_code == 302
    clock(at(OPENS, 10))
    again = client.post(url, online_votes(voting, agree=voting.slate[2:4], lift="against"))
    assert again.status_code == 422
    assert "already been cast; one ballot per owner per motion" in again.content.decode()
    assert ballots_of(voting, owner).count() == 2
    assert ballots_of(voting, owner).get(motion__number=2).choice == "agree"


def test_a_ballot_before_the_window_opens_is_refused_and_the_page_says_when_it_opens(ew, voting, clock, login):
    clock(at(OPENS, 7))
    client = login(ew.owners[2].account)
    page = client.get(detail(voting)).content.decode()
    assert 'data-testid="ballot-form"' not in page
    assert "Voting opens on 2026-04-01 08:00" in page
    response = client.post(reverse("elections:meeting_vote", args=[voting.pk]), online_votes(voting, lift="agree"))
    assert response.status_code == 422
    assert "outside the voting window" in response.content.decode()
    assert not Ballot.objects.filter(motion__meeting=voting).exists()


def test_a_ballot_after_the_window_closed_is_refused(ew, voting, clock, login):
    clock(at(OPENS + dt.timedelta(days=2), 18, 1))
    client = login(ew.owners[2].account)
    page = client.get(detail(voting)).content.decode()
    assert "Voting closed on 2026-04-03 18:00" in page
    response = client.post(reverse("elections:meeting_vote", args=[voting.pk]), online_votes(voting, lift="agree"))
    assert response.status_code == 422 and "outside the voting window" in response.content.decode()
    assert not Ballot.objects.filter(motion__meeting=voting).exists()


def test_someone_outside_the_frozen_electorate_is_told_why_and_cannot_vote(ew, voting, clock, login):
    clock(at(OPENS, 9))
    client = login(ew.world.users["property_manager"])
    page = client.get(detail(voting))
    assert page.status_code == 200
    assert (
        "You are not in this meeting's electorate. It was frozen from the room register on 2026-03-17"
        in page.content.decode()
    )
    response = client.post(reverse("elections:meeting_vote", args=[voting.pk]), online_votes(voting, lift="agree"))
    assert response.status_code == 422
    assert 'data-testid="vote-alert"' in response.content.decode()
    assert "You are not in this meeting&#x27;s electorate" in response.content.decode()
    assert not Ballot.objects.filter(motion__meeting=voting).exists()


def test_agreeing_with_more_candidates_than_seats_is_refused_beside_the_election(ew, voting, clock, login):
    clock(at(OPENS, 9))
    client = login(ew.owners[3].account)
    response = client.post(
        reverse("elections:meeting_vote", args=[voting.pk]), online_votes(voting, agree=voting.slate, lift="agree")
    )
    assert response.status_code == 422
    html = response.content.decode()
    election = html.split('data-testid="ballot-motion-1"')[1].split("</fieldset>")[0]
    assert "agree with at most 5 candidates" in election
    assert not Ballot.objects.filter(motion__meeting=voting).exists()


def test_an_unanswered_motion_is_marked_beside_it(ew, voting, clock, login):
    clock(at(OPENS, 9))
    client = login(ew.owners[3].account)
    data = online_votes(voting)
    del data["motion_2"]
    response = client.post(reverse("elections:meeting_vote", args=[voting.pk]), data)
    assert response.status_code == 422
    lift = response.content.decode().split('data-testid="ballot-motion-2"')[1].split("</fieldset>")[0]
    assert "Choose agree, against or abstain." in lift
    assert not Ballot.objects.filter(motion__meeting=voting).exists()


def test_an_owner_never_sees_another_owners_choices(ew, voting, clock, login):
    clock(at(OPENS, 9))
    cast(voting, ew.owners[11], agree=voting.slate[:5], lift="against")  # 业主12
    client = login(ew.owners[4].account)
    page = client.get(detail(voting)).content.decode()
    assert "业主12" not in page
    assert client.get(reverse("elections:meeting_ballots", args=[voting.pk])).status_code == 404


# --- Staff: paper and on-site ballots ------------------------------------------------------------------


def paper_data(meeting, number="P-001", room="1号楼 1单元 101", agree=(), lift="agree", received=None):
    data = {"room": room, "paper_number": number, "received_at": received or local(at(OPENS, 11))}
    for candidate in meeting.slate:
        data[f"motion_1_c{candidate.pk}"] = "agree" if candidate in agree else ""
    data["motion_2"] = lift
    return data


def test_staff_enter_a_paper_ballot_and_a_second_person_checks_it(ew, voting, clock, login):
    clock(at(OPENS, 12))
    w = ew.world
    clerk = login(w.users["community_secretary"])
    page = clerk.get(detail(voting)).content.decode()
    assert '<datalist id="electorate-rooms">' in page and '<option value="1号楼 1单元 101">' in page
    response = clerk.post(
        reverse("elections:paper_ballot_enter", args=[voting.pk]), paper_data(voting, agree=voting.slate[:2])
    )
    assert response.status_code == 302
    ballots = Ballot.objects.filter(motion__meeting=voting, paper_number="P-001")
    assert ballots.count() == 2 and not ballots.filter(checked_by__isnull=False).exists()
    assert ballots.get(motion__number=1).candidate_choices.count() == 2
    page = clerk.get(detail(voting)).content.decode()
    assert 'data-testid="paper-P-001"' in page
    turnout = page.split('data-testid="turnout-2"')[1].split("</tr>")[0]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", turnout)[:3] == ["1", "1", "0"]  # cast, awaiting check, counted

    same = clerk.post(reverse("elections:paper_ballot_check", args=[voting.pk]), {"paper_number": "P-001"})
    assert same.status_code == 422
    assert "The person who entered a ballot cannot check it; a second person must." in same.content.decode()
    assert not ballots.filter(checked_by__isnull=False).exists()

    second = login(w.users["branch_secretary"])
    assert (
        second.post(reverse("elections:paper_ballot_check", args=[voting.pk]), {"paper_number": "P-001"}).status_code
        == 302
    )
    assert set(ballots.values_list("checked_by", flat=True)) == {w.users["branch_secretary"].pk}
    page = second.get(detail(voting)).content.decode()
    assert 'data-testid="paper-P-001"' not in page
    turnout = page.split('data-testid="turnout-2"')[1].split("</tr>")[0]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", turnout)[:3] == ["1", "0", "1"] and "1/16" in turnout


def test_a_paper_ballot_for_a_room_outside_the_electorate_is_refused_beside_the_room(ew, voting, clock, login):
    clock(at(OPENS, 12))
    clerk = login(ew.world.users["community_secretary"])
    response = clerk.post(
        reverse("elections:paper_ballot_enter", args=[voting.pk]), paper_data(voting, room="9号楼 1单元 101")
    )
    assert response.status_code == 422
    room_field = response.content.decode().split('for="id_room"')[1].split("</div>")[0]
    assert "Room 9号楼 1单元 101 is not in this meeting&#x27;s electorate." in room_field
    assert not Ballot.objects.filter(motion__meeting=voting).exists()


def test_a_paper_ballot_received_outside_the_window_is_refused(ew, voting, clock, login):
    clock(at(OPENS, 12))
    clerk = login(ew.world.users["community_secretary"])
    response = clerk.post(
        reverse("elections:paper_ballot_enter", args=[voting.pk]), paper_data(voting, received=local(at(OPENS, 7)))
    )
    assert response.status_code == 422 and "outside the voting window" in response.content.decode()
    assert not Ballot.objects.filter(motion__meeting=voting).exists()


def test_staff_record_an_owners_ballot_on_site(ew, voting, clock, login):
    clock(at(OPENS, 14))
    owner = ew.owners[5]
    clerk = login(ew.world.users["town_clerk"])
    data = {
        "person": owner.pk,
        "motion_2": "abstain",
        **{f"motion_1_c{c.pk}": ("against" if c == voting.slate[0] else "") for c in voting.slate},
    }
    response = clerk.post(reverse("elections:onsite_ballot_record", args=[voting.pk]), data)
    assert response.status_code == 302
    ballots = ballots_of(voting, owner)
    assert {(b.motion.number, b.channel, b.cast_by_id) for b in ballots.select_related("motion")} == {
        (1, "on_site", owner.pk),
        (2, "on_site", owner.pk),
    }
    assert ballots.get(motion__number=2).choice == "abstain"
    counted = [
        b for m in voting.motions.all() for b in assembly.counted_ballots(m).filter(voter__members__person=owner)
    ]
    assert len(counted) == 2  # on-site ballots count at once (the count's rule; Ballot.counts says otherwise)


def test_a_correction_is_audited_and_the_paper_ballot_must_be_checked_again(ew, voting, clock, login):
    clock(at(OPENS, 12))
    w = ew.world
    clerk = login(w.users["community_secretary"])
    clerk.post(reverse("elections:paper_ballot_enter", args=[voting.pk]), paper_data(voting, lift="agree"))
    assembly.paper_ballot_check(actor=w.users["branch_secretary"], meeting=voting, paper_number="P-001")
    ballot = Ballot.objects.get(motion__meeting=voting, paper_number="P-001", motion__number=2)
    url = reverse("elections:ballot_correct", args=[voting.pk, ballot.pk])
    assert clerk.get(url).status_code == 200
    missing = clerk.post(url, {"motion_2": "against", "reason": ""})
    assert missing.status_code == 422 and "This field is required." in missing.content.decode()
    response = clerk.post(url, {"motion_2": "against", "reason": "录入时误选同意，对照纸质选票更正"})
    assert response.status_code == 302
    ballot.refresh_from_db()
    assert ballot.choice == "against" and ballot.checked_by is None
    entry = AuditEntry.objects.filter(object_type__icontains="ballot", object_id=str(ballot.pk)).latest("pk")
    assert entry.note == "录入时误选同意，对照纸质选票更正"
    assert entry.before["choice"] == "agree" and entry.after["choice"] == "against"


def test_an_online_ballot_cannot_be_opened_for_correction(ew, voting, clock, login):
    clock(at(OPENS, 9))
    ballot = cast(voting, ew.owners[0], agree=voting.slate[:1])[0]
    clerk = login(ew.world.users["community_secretary"])
    assert clerk.get(reverse("elections:ballot_correct", args=[voting.pk, ballot.pk])).status_code == 404


# --- Count, publication, results ----------------------------------------------------------------------


def vote_plainly(ew, voting):
    """Owners 1–11 vote: the first five candidates agreed by all; the lift agreed by 1–9, against by 10–11."""
    for n, owner in enumerate(ew.owners[:11], start=1):
        cast(voting, owner, agree=voting.slate[:5], lift="agree" if n <= 9 else "against")


def test_the_count_waits_for_the_window_to_close(ew, voting, clock, login):
    clock(at(OPENS, 12))
    clerk = login(ew.world.users["community_secretary"])
    page = clerk.get(detail(voting)).content.decode()
    assert 'data-testid="count-button" disabled' in page
    response = clerk.post(reverse("elections:meeting_count", args=[voting.pk]))
    assert response.status_code == 422
    assert "Voting closes at 2026-04-03 18:00; count after that." in response.content.decode()
    voting.refresh_from_db()
    assert voting.status == "announced"


def test_count_and_publish_through_the_pages_form_the_new_committee(ew, voting, clock, login):
    w = ew.world
    vote_plainly(ew, voting)
    clock(at(OPENS + dt.timedelta(days=3), 9))
    resident = login(w.users["resident"])
    assert (
        'data-testid="not-published"'
        in resident.get(reverse("elections:meeting_results", args=[voting.pk])).content.decode()
    )
    clerk = login(w.users["community_secretary"])
    response = clerk.post(reverse("elections:meeting_count", args=[voting.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("elections:meeting_results", args=[voting.pk]) + "#results"
    voting.refresh_from_db()
    assert voting.status == "counted"
    results = clerk.get(reverse("elections:meeting_results", args=[voting.pk])).content.decode()
    assert 'data-testid="unpublished"' in results
    resident = login(w.users["resident"])
    page = resident.get(reverse("elections:meeting_results", args=[voting.pk])).content.decode()
    assert 'data-testid="not-published"' in page and "583/821" not in page

    clerk = login(w.users["community_secretary"])
    assert clerk.post(reverse("elections:meeting_publish", args=[voting.pk])).status_code == 302
    voting.refresh_from_db()
    campaign = voting.campaign
    campaign.refresh_from_db()
    assert voting.status == "published" and campaign.status == "elected" and campaign.committee is not None
    members = set(campaign.committee.posts.filter(end_date__isnull=True).values_list("person_id", flat=True))
    assert members == {c.person_id for c in voting.slate[:5]}

    resident = login(w.users["resident"])
    page = resident.get(reverse("elections:meeting_results", args=[voting.pk])).content.decode()
    assert "583/821" in page and "Passed" in page
    assert "tally-ballots.csv" not in page  # the files naming each owner's choice are the staff's

    clerk = login(w.users["community_secretary"])
    form = clerk.get(detail(voting)).content.decode()
    assert 'data-testid="officers"' in form
    response = clerk.post(
        reverse("elections:committee_officers", args=[voting.pk]),
        {
            "director": voting.slate[0].person_id,
            "deputies": [voting.slate[1].person_id],
            "held_on": (OPENS + dt.timedelta(days=4)).isoformat(),
        },
    )
    assert response.status_code == 302
    roles = dict(campaign.committee.posts.filter(end_date__isnull=True).values_list("person_id", "role"))
    assert roles[voting.slate[0].person_id] == Post.Role.COMMITTEE_DIRECTOR
    assert roles[voting.slate[1].person_id] == Post.Role.COMMITTEE_DEPUTY
    late = clerk.post(
        reverse("elections:committee_officers", args=[voting.pk]),
        {"director": voting.slate[2].person_id, "held_on": (OPENS + dt.timedelta(days=20)).isoformat()},
    )
    assert late.status_code == 422 and "within 7 days of the election" in late.content.decode()


def test_the_results_page_shows_every_number_behind_the_verdict_as_exact_fractions(ew, voting, clock, login):
    vote_plainly(ew, voting)
    clock(at(OPENS + dt.timedelta(days=3), 9))
    assembly.meeting_count(actor=ew.world.users["community_secretary"], meeting=voting)
    page = login(ew.world.users["town_clerk"]).get(reverse("elections:meeting_results", args=[voting.pk]))
    assert page.status_code == 200
    lift = page.content.decode().split('data-testid="result-2"')[1].split("</section>")[0]
    # Electorate: 16 owners, 1642.00 m² (the world's four rooms and the twelve owners' rooms).
    assert "1642.00" in lift and ">16<" in lift
    # Took part: owners 1–11, 1166.00 m² of 1642.00 = 583/821; 11 of 16 owners; against the 2/3 quorum.
    assert "1166.00" in lift and "583/821" in lift and "71.01%" in lift and "11/16" in lift and "68.75%" in lift
    assert "≥ 2/3" in lift
    # Agree: owners 1–9, 945.00 m² of 1166.00 = 945/1166; 9 of 11 owners; against ≥ 3/4 for matter 7.
    assert "945.00" in lift and "945/1166" in lift and "9/11" in lift and "81.82%" in lift and "≥ 3/4" in lift
    # Against: owners 10 and 11 (110 + 111 m²).
    assert "221.00" in lift and "2/11" in lift
    assert "Passed" in lift and "Quorum met." in lift
    result = Result.objects.get(motion__meeting=voting, motion__number=2)
    assert (result.participating_heads, result.agree_heads, result.passed) == (11, 9, True)
    election = page.content.decode().split('data-testid="result-1"')[1].split("</section>")[0]
    assert election.count("✓ elected") == 5
    assert "ranked by agreeing owners, then by agreeing area" in election


def test_a_tie_across_the_last_seat_is_shown_with_its_note(ew, voting, clock):
    owners = ew.owners
    c = voting.slate
    # Candidates 1–3 agreed by all; candidate 4 by owners 1–8; candidates 5 and 6 by seven owners each with
    # the same 748 m², so they tie across the fifth seat.
    fifth = {9, 10, 11, 1, 4, 6, 7}
    for n, owner in enumerate(owners[:11], start=1):
        agree = (
            list(c[:3])
            + ([c[3]] if n <= 8 else [])
            + ([c[4]] if n in fifth else [])
            + ([c[5]] if n not in fifth or n >= 9 else [])
        )
        cast(voting, owner, agree=agree)
    clock(at(OPENS + dt.timedelta(days=3), 9))
    assembly.meeting_count(actor=ew.world.users["community_secretary"], meeting=voting)
    from django.test import Client

    client = Client()
    client.force_login(ew.world.users["community_secretary"])
    client.cookies["django_language"] = "en"
    election = client.get(reverse("elections:meeting_results", args=[voting.pk])).content.decode()
    election = election.split('data-testid="result-1"')[1].split("</section>")[0]
    assert election.count('data-testid="tie-note"') == 2
    assert "Tied with 2 candidates across the last seat; a run-off decides." in election
    assert election.count("✓ elected") == 4


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_downloads_equal_the_tally_files(ew, voting, clock, login):
    vote_plainly(ew, voting)
    clock(at(OPENS + dt.timedelta(days=3), 9))
    assembly.meeting_count(actor=ew.world.users["community_secretary"], meeting=voting)
    clerk = login(ew.world.users["community_secretary"])
    url = lambda number, kind: reverse("elections:meeting_tally_files", args=[voting.pk, number, kind])  # noqa: E731
    lift = Motion.objects.get(meeting=voting, number=2)
    rooms, ballots = selectors.tally_files(voting, lift)
    response = clerk.get(url(2, "rooms"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert read_csv(response) == rooms and len(rooms) == 16
    assert read_csv(clerk.get(url(2, "ballots"))) == ballots and len(ballots) == 11
    election = Motion.objects.get(meeting=voting, number=1)
    for candidate in voting.slate:
        _rooms, expected = selectors.tally_files(voting, election, candidate)
        assert read_csv(clerk.get(url(1, "ballots") + f"?candidate={candidate.pk}")) == expected
    assert clerk.get(url(1, "ballots")).status_code == 404  # which candidate?
    assert clerk.get(url(2, "votes")).status_code == 404
    assert clerk.get(url(9, "rooms")).status_code == 404
    assert login(ew.world.users["resident"]).get(url(2, "ballots")).status_code == 404


def test_the_csv_downloads_neutralise_an_owner_name_that_starts_a_formula(ew, voting, clock, login):
    """An owner registered as =HYPERLINK(...) must not become a live formula when the clerk opens the file."""
    from jiayuan.elections.models import VoterMember

    vote_plainly(ew, voting)
    clock(at(OPENS + dt.timedelta(days=3), 9))
    assembly.meeting_count(actor=ew.world.users["community_secretary"], meeting=voting)
    member = VoterMember.objects.filter(meeting=voting).select_related("person").first()
    member.person.name = '=HYPERLINK("http://evil.example","x")'
    member.person.save()
    response = login(ew.world.users["community_secretary"]).get(
        reverse("elections:meeting_tally_files", args=[voting.pk, 2, "rooms"])
    )
    cells = [cell for row in read_csv(response) for cell in row.values()]
    assert any(cell.startswith("'=HYPERLINK(") for cell in cells)
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


# --- Calling a meeting -----------------------------------------------------------------------------------


def test_staff_call_the_election_meeting_add_a_motion_and_announce_it(ew, campaign, clock, login):
    clock(at(DAY + dt.timedelta(days=20), 9))
    w = ew.world
    clerk = login(w.users["community_secretary"])
    url = reverse("elections:meeting_create") + f"?campaign={campaign.pk}"
    form = clerk.get(url)
    assert form.status_code == 200
    html = form.content.decode()
    assert f'<option value="{campaign.pk}" selected>' in html
    assert f'<option value="{w.compound_a.pk}" selected>' in html
    data = {
        "campaign": campaign.pk,
        "compound": w.compound_a.pk,
        "title": "第二届业委会选举大会",
        "voting_opens": "2026-04-01T08:00",
        "voting_closes": "2026-03-30T18:00",
        "place": "物业服务中心",
    }
    bad = clerk.post(url, data)
    assert bad.status_code == 422
    closes_field = bad.content.decode().split('for="id_voting_closes"')[1].split("</div>")[0]
    assert "Voting must close after it opens." in closes_field
    assert not GeneralMeeting.objects.filter(campaign=campaign).exists()
    response = clerk.post(url, {**data, "voting_closes": "2026-04-03T18:00"})
    assert response.status_code == 302
    meeting = GeneralMeeting.objects.get(campaign=campaign)
    assert timezone.localtime(meeting.voting_opens) == at(OPENS, 8)
    assert list(meeting.motions.values_list("number", "is_election")) == [(1, True)]

    added = clerk.post(
        reverse("elections:motion_add", args=[meeting.pk]), {"matter": 8, "title": "利用架空层开设便民超市", "text": ""}
    )
    assert added.status_code == 302
    assert meeting.motions.get(number=2).matter == 8
    page = clerk.get(detail(meeting)).content.decode()
    assert "passes with ≥ 3/4" in page or "passes with <strong>≥ 3/4</strong>" in page

    late = clerk.post(
        reverse("elections:meeting_announce", args=[meeting.pk]), {"on": (DAY + dt.timedelta(days=20)).isoformat()}
    )
    assert late.status_code == 422
    assert "A general meeting is announced at least 15 days ahead" in late.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "draft" and not meeting.voters.exists()
    ahead = clerk.post(
        reverse("elections:meeting_announce", args=[meeting.pk]), {"on": (DAY + dt.timedelta(days=25)).isoformat()}
    )
    assert ahead.status_code == 422 and "a day still to come" in ahead.content.decode()
    done = clerk.post(
        reverse("elections:meeting_announce", args=[meeting.pk]), {"on": (DAY + dt.timedelta(days=10)).isoformat()}
    )
    assert done.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "announced" and meeting.total_heads == 16
    page = clerk.get(detail(meeting)).content.decode()
    assert 'data-testid="electorate-link"' in page
    electorate = clerk.get(reverse("elections:meeting_electorate", args=[meeting.pk]))
    assert electorate.status_code == 200 and "16 voters" in electorate.content.decode()
    assert "2号楼 1单元 101" in electorate.content.decode()


def test_a_motion_with_an_unknown_matter_is_refused_beside_the_matter(ew, db, login):
    clerk_user = ew.world.users["community_secretary"]
    meeting = assembly.meeting_create(
        actor=clerk_user,
        compound=ew.world.compound_a,
        title="续聘物业",
        voting_opens=at(OPENS),
        voting_closes=at(OPENS + dt.timedelta(days=1)),
    )
    response = login(clerk_user).post(reverse("elections:motion_add", args=[meeting.pk]), {"matter": 10, "title": "x"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode().split('for="id_matter"')[1].split("</div>")[0]
    assert not meeting.motions.exists()


# --- Who may open what -----------------------------------------------------------------------------------

ROLES = (
    "city_admin",
    "town_clerk",
    "community_secretary",
    "branch_secretary",
    "committee_director",
    "property_manager",
    "building_head",
    "department_staff",
    "resident",
    "owner",
)
RUNNERS = {"city_admin", "town_clerk", "community_secretary", "branch_secretary"}
READERS = RUNNERS | {"committee_director", "property_manager", "building_head", "resident", "owner"}


def user_of(ew, role):
    return ew.owners[0].account if role == "owner" else ew.world.users[role]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_exact_status_on_each_meeting_page(ew, voting, clock, login, role):
    vote_plainly(ew, voting)
    clock(at(OPENS + dt.timedelta(days=3), 9))
    assembly.meeting_count(actor=ew.world.users["community_secretary"], meeting=voting)
    ballot = Ballot.objects.filter(motion__meeting=voting).first()  # an online ballot
    client = login(user_of(ew, role))
    pages = {
        "list": (reverse("elections:meeting_list"), 200),
        "create": (reverse("elections:meeting_create"), 200 if role in RUNNERS else 404),
        "detail": (detail(voting), 200 if role in READERS else 404),
        "results": (reverse("elections:meeting_results", args=[voting.pk]), 200 if role in READERS else 404),
        "electorate": (reverse("elections:meeting_electorate", args=[voting.pk]), 200 if role in RUNNERS else 404),
        "ballots": (reverse("elections:meeting_ballots", args=[voting.pk]), 200 if role in RUNNERS else 404),
        "rooms.csv": (
            reverse("elections:meeting_tally_files", args=[voting.pk, 2, "rooms"]),
            200 if role in RUNNERS else 404,
        ),
        "online ballot correction": (reverse("elections:ballot_correct", args=[voting.pk, ballot.pk]), 404),
    }
    got = {name: client.get(url).status_code for name, (url, _expected) in pages.items()}
    assert got == {name: expected for name, (_url, expected) in pages.items()}
    listed = client.get(reverse("elections:meeting_list")).content.decode()
    assert (voting.title in listed) == (role in READERS)
    publish = client.post(reverse("elections:meeting_publish", args=[voting.pk]))
    assert publish.status_code == (302 if role in RUNNERS else 404)


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_meeting_is_hidden_from_owners_and_a_meeting_elsewhere_from_everyone_outside(ew, db, login, role):
    w = ew.world
    draft = assembly.meeting_create(
        actor=w.users["community_secretary"],
        compound=w.compound_a,
        title="草稿会议",
        voting_opens=at(OPENS),
        voting_closes=at(OPENS + dt.timedelta(days=1)),
    )
    elsewhere = assembly.meeting_create(
        actor=w.users["city_admin"],
        compound=w.compound_b,
        title="南天裕会议",
        voting_opens=at(OPENS),
        voting_closes=at(OPENS + dt.timedelta(days=1)),
    )
    client = login(user_of(ew, role))
    staff_readers = READERS - {"resident", "owner"}
    assert client.get(detail(draft)).status_code == (200 if role in staff_readers else 404)
    assert client.get(detail(elsewhere)).status_code == (200 if role == "city_admin" else 404)
    assert client.post(
        reverse("elections:motion_add", args=[draft.pk]), {"matter": 4, "title": "续聘"}
    ).status_code == (302 if role in RUNNERS else 404)
