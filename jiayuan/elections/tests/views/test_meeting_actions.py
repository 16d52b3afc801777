"""The meeting's actions posted from its page (views/meeting_actions.py): voting online, paper ballots entered
and checked by a second person, on-site ballots, motions, the count and publication. The clock of the pages is
frozen by replacing django.utils.timezone.now (the services read it when no `at=`/`now=` is given)."""

import datetime as dt
import re

from django.urls import reverse

from jiayuan.core.models import AuditEntry
from jiayuan.elections.models import Ballot
from jiayuan.elections.services import assembly
from jiayuan.organisations.models import Post

from .common import OPENS, at, detail, local, paper_data, vote_plainly

# --- Voting online ----------------------------------------------------------------------------------------


def online_votes(meeting, agree=(), against=(), lift="agree") -> dict:
    """POST data of the owner's ballot: candidates in `agree`/`against`, the rest abstain; motion 2 `lift`."""
    data = {}
    for candidate in meeting.slate:
        choice = "agree" if candidate in agree else "against" if candidate in against else "abstain"
        data[f"motion_1_c{candidate.pk}"] = choice
    data["motion_2"] = lift
    return data


REVIEWED = re.compile(r'name="confirmed" value="([0-9a-f]{16})"')


def cast_online(client, meeting, data):
    """The owner's two presses: review the ballot (nothing recorded), then cast the ballot reviewed."""
    url = reverse("elections:meeting_vote", args=[meeting.pk])
    review = client.post(url, data)
    assert review.status_code == 200 and 'data-testid="confirm-ballot"' in review.content.decode()
    return client.post(url, {**data, "confirmed": REVIEWED.search(review.content.decode()).group(1)})


def ballots_of(meeting, owner):
    return Ballot.objects.filter(motion__meeting=meeting, voter__members__person=owner)


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
    response = cast_online(client, voting, online_votes(voting, agree=slate[:3], against=slate[3:4], lift="against"))
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
    assert cast_online(client, voting, online_votes(voting, agree=voting.slate[:2], lift="agree")).status_code == 302
    clock(at(OPENS, 10))
    again = client.post(url, online_votes(voting, agree=voting.slate[2:4], lift="against"))
    assert again.status_code == 422
    assert "already been cast; one ballot per owner per motion" in again.content.decode()
    assert ballots_of(voting, owner).count() == 2
    assert ballots_of(voting, owner).get(motion__number=2).choice == "agree"


def test_the_first_press_reviews_the_ballot_in_words_and_records_nothing(ew, voting, clock, login):
    clock(at(OPENS, 9))
    owner = ew.owners[0]
    client = login(owner.account)
    client.cookies["django_language"] = "en"
    slate = voting.slate
    data = online_votes(voting, agree=slate[:2], lift="against")
    audited = AuditEntry.objects.count()
    review = client.post(reverse("elections:meeting_vote", args=[voting.pk]), data)
    assert review.status_code == 200 and not ballots_of(voting, owner).exists()
    assert AuditEntry.objects.count() == audited
    panel = review.content.decode().split('data-testid="confirm-ballot"')[1].split('data-testid="ballot-motion-1"')[0]
    agreed = "、".join(c.person.name for c in slate[:2])
    assert agreed in panel and "choice-against" in panel and "it cannot be changed once it is cast" in panel


def test_a_choice_changed_after_the_review_is_reviewed_again_not_cast(ew, voting, clock, login):
    clock(at(OPENS, 9))
    owner = ew.owners[0]
    client = login(owner.account)
    url = reverse("elections:meeting_vote", args=[voting.pk])
    data = online_votes(voting, agree=voting.slate[:2], lift="against")
    digest = REVIEWED.search(client.post(url, data).content.decode()).group(1)
    changed = client.post(url, {**data, "motion_2": "agree", "confirmed": digest})
    assert changed.status_code == 200 and 'data-testid="confirm-ballot"' in changed.content.decode()
    assert not ballots_of(voting, owner).exists()


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


# --- Staff: paper and on-site ballots ------------------------------------------------------------------


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


# --- Motions ----------------------------------------------------------------------------------------------


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


# --- Count and publication ----------------------------------------------------------------------------


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
