"""The results page and its tally files (views/meeting_results.py): every number behind the verdict as exact
fractions, a tie across the last seat, and CSV downloads equal to the tally files with formulas neutralised."""

import csv
import datetime as dt
import io

from django.urls import reverse

from jiayuan.elections import selectors
from jiayuan.elections.models import Motion, Result
from jiayuan.elections.services import assembly

from .common import OPENS, at, cast, vote_plainly


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


def pdf_text(response) -> str:
    import pypdf

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)


def test_each_verdict_reads_in_words_with_the_exact_figures_folded_below(ew, voting, clock, login):
    vote_plainly(ew, voting)
    clock(at(OPENS + dt.timedelta(days=3), 9))
    assembly.meeting_count(actor=ew.world.users["community_secretary"], meeting=voting)
    client = login(ew.world.users["town_clerk"])
    client.cookies["django_language"] = "en"
    html = client.get(reverse("elections:meeting_results", args=[voting.pk])).content.decode()
    lift = html.split('data-testid="result-2"')[1].split("</section>")[0]
    words = lift.split('data-testid="words"')[1].split("</div>")[0]
    assert "11 of 16 owners (68.8%), holding 1,166.00 of 1,642.00 m² (71.0%), took part" in words
    assert "9 of the 11 owners taking part (81.8%)" in words and "The motion passed." in words
    assert lift.index('data-testid="words"') < lift.index('data-testid="exact-figures"') < lift.index("583/821")
    assert "jiayuan tally" not in html.split('data-testid="downloads')[0]  # the command is for staff, with the files


def test_the_results_notice_is_a_pdf_whose_text_reads_back_the_verdicts(ew, voting, clock, login):
    def chinese(user):  # the notice in the interface's default language, as it is posted
        client = login(user)
        client.cookies["django_language"] = "zh-hans"
        return client

    vote_plainly(ew, voting)
    clock(at(OPENS + dt.timedelta(days=3), 9))
    clerk = ew.world.users["community_secretary"]
    assembly.meeting_count(actor=clerk, meeting=voting)
    url = reverse("elections:meeting_results_notice", args=[voting.pk])
    assert login(ew.world.users["resident"]).get(url).status_code == 404  # counted, not yet published
    text = pdf_text(chinese(clerk).get(url))
    assert "公告" in text and "16 名业主中 11 名（68.8%）参与表决" in text
    assert "本议题通过" in text and "当选：" in text
    elected = Result.objects.filter(motion__meeting=voting, elected=True).select_related("candidate__person")
    assert all(result.candidate.person.name in text for result in elected)
    assembly.meeting_publish(actor=clerk, meeting=voting)
    assert "本议题通过" in pdf_text(chinese(ew.world.users["resident"]).get(url))  # published: owners may print it
