"""The election campaign pages: a re-election driven through the pages from opening to the campaign meeting,
who may open which page, lists holding only rows in scope, and bad input shown beside the field with nothing saved."""

import datetime as dt
import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from jiayuan.elections.models import Campaign, CampaignStep, Candidate, Interview, Objection, Review, Speech
from jiayuan.elections.services import campaign as svc
from jiayuan.elections.testing import election_world
from jiayuan.people import services as people_services
from jiayuan.testing import PERSONAS

pytestmark = pytest.mark.django_db

RUNNERS = ("city_admin", "town_clerk", "community_secretary", "branch_secretary")
COMPOUND_A_VIEWERS = (*RUNNERS, "committee_director", "property_manager", "building_head", "resident")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(scope="module")
def ew(world, django_db_blocker):
    with django_db_blocker.unblock():
        return election_world(world)


def url(name, *args):
    return reverse(f"elections:{name}", args=args)


def expected(persona, allowed):
    return 200 if persona in allowed else 404


def today():
    return timezone.localdate()


def campaign_ids(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-campaign="(\d+)"', html)}


def review_ids(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-review="(\d+)"', html)}


def open_a(ew, **extra):
    return svc.campaign_open(
        actor=ew.world.users["community_secretary"],
        compound=ew.world.compound_a,
        kind="re_election",
        seats=5,
        opened_on=today(),
        co_nominators_required=3,
        **extra,
    )


def nominate(ew, campaign, count=5):
    clerk = ew.world.users["community_secretary"]
    return [
        svc.candidate_nominate(actor=clerk, campaign=campaign, person=p, route="community") for p in ew.owners[:count]
    ]


def pass_all(ew, campaign):
    for review in Review.objects.filter(candidate__campaign=campaign):
        svc.review_record(actor=ew.reviewers[review.body_id], review=review, outcome="pass")


@pytest.fixture
def reviewing(ew):
    """A campaign in 金利花园 under review (five candidates), and one in 南天裕 (Chidian) taking nominations."""
    campaign = open_a(ew)
    candidates = nominate(ew, campaign)
    svc.review_start(actor=ew.world.users["community_secretary"], campaign=campaign)
    chidian = svc.campaign_open(
        actor=ew.world.users["city_admin"], compound=ew.world.compound_b, kind="first", seats=5, opened_on=today()
    )
    return campaign, candidates, chidian


@pytest.fixture
def interviewing(ew):
    campaign = open_a(ew)
    candidates = nominate(ew, campaign, count=6)
    svc.review_start(actor=ew.world.users["community_secretary"], campaign=campaign)
    pass_all(ew, campaign)
    svc.interviews_start(actor=ew.world.users["community_secretary"], campaign=campaign)
    for candidate in candidates:
        svc.interview_record(
            actor=ew.world.users["community_secretary"],
            candidate=candidate,
            held_on=today(),
            panel="街道、社区",
            notes="表达清楚",
            passed=True,
        )
    return campaign, candidates


def shift_today(monkeypatch, days: int):
    """Move the platform's today (services, scopes and pages read timezone.localdate())."""
    original = timezone.localdate
    later = original() + dt.timedelta(days=days)

    def localdate(value=None, timezone=None):
        return original(value, timezone) if value is not None else later

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return later


# --- The whole campaign through the pages ----------------------------------------------------------------


def test_a_re_election_runs_through_the_pages_from_opening_to_the_campaign_meeting(ew, client, monkeypatch):
    w = ew.world
    clerk = w.users["community_secretary"]
    client.force_login(clerk)
    client.cookies["django_language"] = "en"
    assert client.get(url("campaign_create")).status_code == 200
    response = client.post(
        url("campaign_create"),
        {
            "compound": w.compound_a.pk,
            "kind": "re_election",
            "seats": 5,
            "term_years": 5,
            "co_nominators_required": 3,
            "notice_days": 7,
            "opened_on": today().isoformat(),
        },
    )
    campaign = Campaign.objects.get(compound=w.compound_a, status="nominating")
    assert response.status_code == 302 and response.url == url("campaign_detail", campaign.pk)
    assert campaign.predecessor == w.committee_a

    page = url("campaign_detail", campaign.pk)
    assert (
        client.post(
            url("preparatory_add", campaign.pk),
            {"prep-person": w.people["community_secretary"].pk, "prep-role": "leader", "prep-represents": "社区"},
        ).status_code
        == 302
    )
    for owner in ew.owners[:6]:
        response = client.post(
            url("candidate_nominate", campaign.pk), {"nom-person": owner.pk, "nom-route": "community"}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    client.post(
        url("candidate_nominate", campaign.pk),
        {
            "nom-person": ew.owners[6].pk,
            "nom-route": "owners",
            "nom-co_nominators": [p.pk for p in ew.owners[7:10]],
            "nom-statement": "热心公益",
        },
    )
    candidates = list(campaign.candidates.order_by("pk"))
    assert len(candidates) == 7 and candidates[6].co_nominations.count() == 3
    html = client.get(page).content.decode()
    assert html.count("data-candidate=") == 7 and "2号楼 1单元 101" in html

    assert client.post(url("campaign_step", campaign.pk, "review"), {"step-note": ""}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "reviewing"
    assert Review.objects.filter(candidate__campaign=campaign).count() == 7 * 9

    # Each reviewer decides in its own queue; one decision comes through htmx and is swapped in place.
    for body in ew.bodies:
        client.force_login(ew.reviewers[body.pk])
        queue = client.get(url("review_queue")).content.decode()
        mine = Review.objects.filter(candidate__campaign=campaign, body=body).order_by("pk")
        assert {r.pk for r in mine} <= review_ids(queue)
        for n, review in enumerate(mine):
            data = {f"review-{review.pk}-outcome": "pass", f"review-{review.pk}-reason": ""}
            if n == 0:
                response = client.post(url("review_record", review.pk), data, **HTMX)
                assert response.status_code == 200 and 'data-testid="saved"' in response.content.decode()
            else:
                assert client.post(url("review_record", review.pk), data).status_code == 302
    assert not Review.objects.filter(candidate__campaign=campaign).exclude(outcome="pass").exists()

    client.force_login(clerk)
    html = client.get(page).content.decode()
    assert html.count("9/9 passed") == 7
    assert client.post(url("campaign_step", campaign.pk, "interviews"), {}).status_code == 302
    for candidate in candidates:
        prefix = f"interview-{candidate.pk}"
        assert (
            client.post(
                url("interview_record", campaign.pk, candidate.pk),
                {
                    f"{prefix}-held_on": today().isoformat(),
                    f"{prefix}-panel": "街道、社区、党支部",
                    f"{prefix}-notes": "表达清楚",
                    f"{prefix}-passed": "yes",
                },
            ).status_code
            == 302
        )
    assert Interview.objects.filter(candidate__campaign=campaign, passed=True).count() == 7
    assert (
        client.post(
            url("slate_publish", campaign.pk),
            {
                "slate-candidates": [c.pk for c in candidates],
                "slate-seats": 5,
                "slate-notice_starts": today().isoformat(),
            },
        ).status_code
        == 302
    )
    campaign.refresh_from_db()
    assert campaign.status == "notice" and campaign.notice_ends == today() + dt.timedelta(days=7)

    # An owner sees the slate and objects in their own name; the clerk answers.
    owner = ew.owners[11]
    client.force_login(owner.account)
    html = client.get(page).content.decode()
    assert 'data-testid="lodge-form"' in html and candidates[0].person.name in html
    assert (
        client.post(
            url("objection_lodge", campaign.pk),
            {"lodge-candidate": candidates[0].pk, "lodge-text": "该候选人长期欠缴停车费"},
        ).status_code
        == 302
    )
    objection = Objection.objects.get(candidate__campaign=campaign)
    assert objection.lodged_by == owner
    assert "该候选人长期欠缴停车费" in client.get(page).content.decode()

    client.force_login(clerk)
    assert client.post(url("campaign_step", campaign.pk, "campaigning"), {}).status_code == 422  # notice still runs
    assert (
        client.post(
            url("objection_answer", campaign.pk, objection.pk),
            {f"answer-{objection.pk}-answer": "经核实与候选资格无关", f"answer-{objection.pk}-upheld": "no"},
        ).status_code
        == 302
    )
    shift_today(monkeypatch, 8)
    assert client.post(url("campaign_step", campaign.pk, "campaigning"), {}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "campaigning"

    html = client.get(page).content.decode()
    assert 'data-testid="ready-missing"' in html and 'data-testid="ready-to-vote"' not in html
    held = timezone.localdate() + dt.timedelta(days=1)
    assert (
        client.post(
            url("campaign_meeting", campaign.pk),
            {
                "meet-held_at": f"{held.isoformat()}T19:30",
                "meet-place": "小区广场",
                "meet-livestream_url": "https://live.example.cn/jinli",
                "meet-attendance": 320,
            },
        ).status_code
        == 302
    )
    for candidate in campaign.candidates.filter(status="on_slate"):
        prefix = f"speech-{candidate.pk}"
        assert (
            client.post(
                url("speech_record", campaign.pk, candidate.pk),
                {
                    f"{prefix}-summary": "改善停车",
                    f"{prefix}-pledge": "不收取物业公司任何好处",
                    f"{prefix}-pledge_signed_on": held.isoformat(),
                },
            ).status_code
            == 302
        )
    assert Speech.objects.filter(candidate__campaign=campaign).count() == 7
    assert svc.ready_to_vote(campaign) == []
    html = client.get(page).content.decode()
    assert 'data-testid="ready-to-vote"' in html
    try:
        create = reverse("elections:meeting_create")
    except NoReverseMatch:
        create = None
    if create:
        assert f'href="{create}?campaign={campaign.pk}"' in html
    assert list(CampaignStep.objects.filter(campaign=campaign).values_list("target", flat=True)) == [
        "nominating",
        "reviewing",
        "interviewing",
        "notice",
        "campaigning",
    ]
    assert 'aria-current="step" data-testid="current-stage" data-stage="campaigning"' in html


# --- Who may open which page -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_index_opens_for_everyone_and_lists_only_campaigns_in_scope(as_role, ew, reviewing, persona):
    campaign, _candidates, chidian = reviewing
    response = as_role(persona).get(url("index"))
    assert response.status_code == 200
    seen = campaign_ids(response.content.decode())
    wanted = set()
    if persona in COMPOUND_A_VIEWERS:
        wanted.add(campaign.pk)
    if persona == "city_admin":
        wanted.add(chidian.pk)
    assert seen == wanted


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_campaign_page_opens_only_within_the_viewers_scope(as_role, ew, reviewing, persona):
    campaign, _candidates, chidian = reviewing
    client = as_role(persona)
    assert client.get(url("campaign_detail", campaign.pk)).status_code == expected(persona, COMPOUND_A_VIEWERS)
    assert client.get(url("campaign_detail", chidian.pk)).status_code == expected(persona, ("city_admin",))


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_candidate_page_opens_for_those_who_run_the_election_and_its_reviewers(as_role, ew, reviewing, persona):
    campaign, candidates, _chidian = reviewing
    status = as_role(persona).get(url("candidate_detail", campaign.pk, candidates[0].pk)).status_code
    assert status == expected(persona, (*RUNNERS, "department_staff"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_those_who_run_elections_may_open_a_campaign(as_role, ew, persona):
    assert as_role(persona).get(url("campaign_create")).status_code == expected(persona, RUNNERS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_review_queue_opens_for_staff_and_department_staff(as_role, ew, reviewing, persona):
    allowed = tuple(p for p in PERSONAS if p != "resident")
    assert as_role(persona).get(url("review_queue")).status_code == expected(persona, allowed)


def test_each_reviewer_sees_only_its_own_bodys_queue(as_role, ew, reviewing):
    campaign, candidates, _chidian = reviewing
    for persona, body in (
        ("department_staff", "晋江市住建局"),
        ("community_secretary", "所在社区"),
        ("branch_secretary", "小区党支部"),
        ("city_admin", "晋江市委组织部"),
    ):
        html = as_role(persona).get(url("review_queue")).content.decode()
        wanted = set(Review.objects.filter(candidate__campaign=campaign, body__name=body).values_list("pk", flat=True))
        assert len(wanted) == 5 and review_ids(html) == wanted, persona
    assert review_ids(as_role("committee_director").get(url("review_queue")).content.decode()) == set()


def test_owners_see_the_slate_only_and_never_a_number(as_role, ew, reviewing):
    campaign, candidates, _chidian = reviewing
    names = [c.person.name for c in candidates]
    staff = as_role("community_secretary").get(url("campaign_detail", campaign.pk)).content.decode()
    assert all(name in staff for name in names)
    owner = as_role("resident").get(url("campaign_detail", campaign.pk)).content.decode()
    assert not any(name in owner for name in names)
    assert 'data-testid="no-slate"' in owner and 'data-testid="stage-actions"' not in owner
    admin = as_role("city_admin").get(url("candidate_detail", campaign.pk, candidates[0].pk)).content.decode()
    person = candidates[0].person
    for number in (person.phone, person.id_number):
        assert number not in admin and number not in staff


def test_the_person_review_counts_show_to_those_who_run_elections(as_role, ew, reviewing):
    campaign, candidates, _chidian = reviewing
    client = as_role("city_admin")
    client.cookies["django_language"] = "en"
    html = client.get(url("index")).content.decode()
    table = re.search(r'data-testid="review-counts".*?</table>', html, re.S).group(0)
    assert table.count("<tr>") == 1 + 9 + 1  # head, nine bodies, total
    pass_all(ew, campaign)
    html = client.get(url("index")).content.decode()
    assert re.search(r'data-testid="decided-total">45<', html)
    assert 'data-testid="review-counts"' not in as_role("property_manager").get(url("index")).content.decode()
    assert 'data-testid="review-counts"' not in as_role("department_staff").get(url("index")).content.decode()


def test_the_index_links_a_reviewer_to_the_review_queue(as_role, ew, reviewing):
    html = as_role("department_staff").get(url("index")).content.decode()
    assert f'href="{url("review_queue")}"' in html and 'data-testid="queue-notice"' in html
    assert 'data-testid="queue-notice"' not in as_role("resident").get(url("index")).content.decode()


def test_the_candidate_page_shows_the_enabled_bars_and_every_review(as_role, ew, reviewing):
    campaign, candidates, _chidian = reviewing
    html = as_role("community_secretary").get(url("candidate_detail", campaign.pk, candidates[0].pk)).content.decode()
    assert "是本小区业主" in html and "按时交纳物业服务费" not in html  # unpaid fees is off by default
    assert review_ids(html) == set(candidates[0].reviews.values_list("pk", flat=True)) and len(review_ids(html)) == 9
    assert 'data-concern="1"' not in html


def test_a_candidate_working_for_the_property_company_is_flagged_beside_the_review(as_role, ew):
    w = ew.world
    campaign = open_a(ew)
    people_services.ownership_add(
        actor=None, room=w.rooms_a[1], person=w.people["property_manager"], start_date=dt.date(2024, 1, 1)
    )
    manager = svc.candidate_nominate(
        actor=w.users["community_secretary"], campaign=campaign, person=w.people["property_manager"], route="community"
    )
    html = as_role("community_secretary").get(url("candidate_detail", campaign.pk, manager.pk)).content.decode()
    assert 'data-concern="1"' in html and "晋江城投物业" in html


def test_a_department_reviewer_sees_only_its_own_review_of_a_candidate(as_role, ew, reviewing):
    campaign, candidates, _chidian = reviewing
    html = as_role("department_staff").get(url("candidate_detail", campaign.pk, candidates[0].pk)).content.decode()
    mine = Review.objects.get(candidate=candidates[0], body__name="晋江市住建局")
    assert review_ids(html) == {mine.pk}
    assert 'data-testid="withdraw-form"' not in html and 'data-testid="status"' not in html


# --- Nobody acts on what is not theirs --------------------------------------------------------------------


def test_a_reviewer_posting_to_another_bodys_review_gets_404_and_nothing_changes(as_role, ew, reviewing):
    campaign, candidates, _chidian = reviewing
    police = Review.objects.get(candidate=candidates[0], body__name="晋江市公安局")
    client = as_role("department_staff")
    assert client.get(url("review_record", police.pk)).status_code == 404
    response = client.post(url("review_record", police.pk), {f"review-{police.pk}-outcome": "pass"})
    assert response.status_code == 404
    police.refresh_from_db()
    assert police.outcome == "pending" and police.reviewer is None and police.reviewed_at is None


@pytest.mark.parametrize("persona", ("resident", "committee_director", "property_manager", "building_head"))
def test_those_who_see_a_campaign_but_do_not_run_it_cannot_move_it(as_role, ew, reviewing, persona):
    campaign, candidates, _chidian = reviewing
    client = as_role(persona)
    assert client.post(url("campaign_step", campaign.pk, "interviews"), {}).status_code == 403
    assert client.post(url("campaign_cancel", campaign.pk), {"cancel-reason": "不想选了"}).status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == "reviewing"


def test_people_outside_the_scope_cannot_post_to_a_campaign(as_role, ew, reviewing):
    campaign, candidates, chidian = reviewing
    assert (
        as_role("department_staff").post(url("campaign_cancel", campaign.pk), {"cancel-reason": "x"}).status_code == 404
    )
    assert as_role("town_clerk").post(url("campaign_cancel", chidian.pk), {"cancel-reason": "x"}).status_code == 404
    assert as_role("resident").post(url("objection_lodge", chidian.pk), {"lodge-text": "x"}).status_code == 404
    assert Campaign.objects.filter(pk__in=[campaign.pk, chidian.pk], status="cancelled").count() == 0


# --- Bad input: beside the field, status 422, nothing changed -----------------------------------------------


def test_an_even_number_of_seats_is_refused_beside_the_field(as_role, ew):
    client = as_role("town_clerk")
    client.cookies["django_language"] = "en"
    response = client.post(
        url("campaign_create"),
        {
            "compound": ew.world.compound_a.pk,
            "kind": "re_election",
            "seats": 6,
            "term_years": 5,
            "co_nominators_required": 3,
            "notice_days": 7,
            "opened_on": today().isoformat(),
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert re.search(r'id="id_seats_errors"[^>]*><li>An owners(&#x27;|\')? committee has an odd number', html)
    assert not Campaign.objects.filter(compound=ew.world.compound_a).exists()


def test_a_first_election_where_a_committee_is_in_office_is_refused(as_role, ew):
    response = as_role("town_clerk").post(
        url("campaign_create"),
        {
            "compound": ew.world.compound_a.pk,
            "kind": "first",
            "seats": 5,
            "term_years": 5,
            "co_nominators_required": 3,
            "notice_days": 7,
            "opened_on": today().isoformat(),
        },
    )
    assert response.status_code == 422 and 'id="id_kind_errors"' in response.content.decode()
    assert not Campaign.objects.filter(compound=ew.world.compound_a).exists()


def test_a_compound_outside_the_viewers_area_cannot_be_chosen(as_role, ew):
    response = as_role("town_clerk").post(
        url("campaign_create"),
        {
            "compound": ew.world.compound_b.pk,
            "kind": "first",
            "seats": 5,
            "term_years": 5,
            "co_nominators_required": 3,
            "notice_days": 7,
            "opened_on": today().isoformat(),
        },
    )
    assert response.status_code == 422 and 'id="id_compound_errors"' in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_joint_nomination_with_too_few_co_nominators_is_refused(as_role, ew):
    campaign = open_a(ew)
    client = as_role("community_secretary")
    client.cookies["django_language"] = "en"
    response = client.post(
        url("candidate_nominate", campaign.pk),
        {"nom-person": ew.owners[0].pk, "nom-route": "owners", "nom-co_nominators": [ew.owners[1].pk, ew.owners[2].pk]},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert re.search(r'id="id_nom-co_nominators_errors"[^>]*><li>A joint nomination needs 3', html)
    assert not campaign.candidates.exists()


def test_someone_who_owns_no_room_in_the_compound_cannot_be_nominated(as_role, ew):
    campaign = open_a(ew)
    response = as_role("community_secretary").post(
        url("candidate_nominate", campaign.pk),
        {"nom-person": ew.world.people["town_clerk"].pk, "nom-route": "community"},
    )
    assert response.status_code == 422 and 'id="id_nom-person_errors"' in response.content.decode()
    assert not campaign.candidates.exists()


def test_closing_nominations_with_fewer_candidates_than_seats_is_refused(as_role, ew):
    campaign = open_a(ew)
    nominate(ew, campaign, count=4)
    client = as_role("community_secretary")
    client.cookies["django_language"] = "en"
    response = client.post(url("campaign_step", campaign.pk, "review"), {})
    assert response.status_code == 422 and "There are 4 candidates for 5 seats" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "nominating" and not Review.objects.filter(candidate__campaign=campaign).exists()


def test_an_unknown_step_is_not_found(as_role, ew):
    campaign = open_a(ew)
    assert as_role("community_secretary").post(url("campaign_step", campaign.pk, "elect"), {}).status_code == 404


def test_a_fail_without_a_reason_is_refused_beside_the_reason(as_role, ew, reviewing):
    campaign, candidates, _chidian = reviewing
    review = Review.objects.get(candidate=candidates[0], body__name="晋江市住建局")
    client = as_role("department_staff")
    client.cookies["django_language"] = "en"
    data = {f"review-{review.pk}-outcome": "fail", f"review-{review.pk}-reason": " "}
    response = client.post(url("review_record", review.pk), data)
    assert response.status_code == 422
    errors = rf'id="id_review-{review.pk}-reason_errors"[^>]*><li>A fail needs a reason'
    assert re.search(errors, response.content.decode())
    response = client.post(url("review_record", review.pk), data, **HTMX)  # htmx swaps only 2xx answers
    assert response.status_code == 200 and f'id="id_review-{review.pk}-reason_errors"' in response.content.decode()
    review.refresh_from_db()
    assert review.outcome == "pending"
    response = client.post(
        url("review_record", review.pk), {**data, f"review-{review.pk}-reason": "与物业公司存在利害关系"}
    )
    assert response.status_code == 302
    candidates[0].refresh_from_db()
    assert candidates[0].status == "disqualified"


def test_a_review_posted_from_the_candidate_page_returns_there(as_role, ew, reviewing):
    campaign, candidates, _chidian = reviewing
    review = Review.objects.get(candidate=candidates[1], body__name="所在社区")
    back = url("candidate_detail", campaign.pk, candidates[1].pk)
    response = as_role("community_secretary").post(
        url("review_record", review.pk), {f"review-{review.pk}-outcome": "pass", "next": back}
    )
    assert response.status_code == 302 and response.url == back
    response = as_role("community_secretary").post(
        url("review_record", review.pk), {f"review-{review.pk}-outcome": "pass", "next": "https://evil.example.com/"}
    )
    assert response.url == url("review_queue")


def test_an_even_slate_is_refused_and_nothing_is_published(as_role, ew, interviewing):
    campaign, candidates = interviewing
    response = as_role("community_secretary").post(
        url("slate_publish", campaign.pk),
        {"slate-candidates": [c.pk for c in candidates], "slate-seats": 6, "slate-notice_starts": today().isoformat()},
    )
    assert response.status_code == 422 and 'id="id_slate-seats_errors"' in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "interviewing" and campaign.notice_starts is None
    assert not Candidate.objects.filter(campaign=campaign, status="on_slate").exists()


def test_an_interview_without_notes_is_refused_beside_the_field(as_role, ew, interviewing):
    campaign, candidates = interviewing
    prefix = f"interview-{candidates[0].pk}"
    response = as_role("community_secretary").post(
        url("interview_record", campaign.pk, candidates[0].pk),
        {
            f"{prefix}-held_on": today().isoformat(),
            f"{prefix}-panel": "社区",
            f"{prefix}-notes": "",
            f"{prefix}-passed": "no",
        },
    )
    assert response.status_code == 422 and f'id="id_{prefix}-notes_errors"' in response.content.decode()
    assert Interview.objects.get(candidate=candidates[0]).passed is True


def test_an_objection_outside_the_notice_or_without_text_is_refused(as_role, ew, interviewing):
    campaign, candidates = interviewing
    svc.slate_publish(
        actor=ew.world.users["community_secretary"],
        campaign=campaign,
        candidates=candidates[:5],
        seats=5,
        notice_starts=today() + dt.timedelta(days=1),
    )
    client = as_role("resident")
    client.cookies["django_language"] = "en"
    page = client.get(url("campaign_detail", campaign.pk)).content.decode()
    assert 'data-testid="lodge-form"' not in page  # the notice has not begun
    response = client.post(
        url("objection_lodge", campaign.pk), {"lodge-candidate": candidates[0].pk, "lodge-text": "有异议"}
    )
    assert response.status_code == 422
    assert "Objections are lodged during the public notice" in response.content.decode()
    Campaign.objects.filter(pk=campaign.pk).update(notice_starts=today())
    response = client.post(url("objection_lodge", campaign.pk), {"lodge-candidate": candidates[0].pk, "lodge-text": ""})
    assert response.status_code == 422 and 'id="id_lodge-text_errors"' in response.content.decode()
    response = client.post(
        url("objection_lodge", campaign.pk), {"lodge-candidate": candidates[5].pk, "lodge-text": "不在名单上"}
    )
    assert response.status_code == 422 and 'id="id_lodge-candidate_errors"' in response.content.decode()
    assert not Objection.objects.filter(candidate__campaign=campaign).exists()


def test_an_objection_upheld_strikes_the_candidate_off_the_slate(as_role, ew, interviewing):
    campaign, candidates = interviewing
    clerk = ew.world.users["community_secretary"]
    svc.slate_publish(actor=clerk, campaign=campaign, candidates=candidates, seats=5, notice_starts=today())
    objection = svc.objection_lodge(
        actor=ew.owners[10].account, candidate=candidates[0], person=ew.owners[10], text="在物业公司任职"
    )
    client = as_role("community_secretary")
    prefix = f"answer-{objection.pk}"
    response = client.post(
        url("objection_answer", campaign.pk, objection.pk), {f"{prefix}-answer": "", f"{prefix}-upheld": "yes"}
    )
    assert response.status_code == 422 and f'id="id_{prefix}-answer_errors"' in response.content.decode()
    assert (
        client.post(
            url("objection_answer", campaign.pk, objection.pk),
            {f"{prefix}-answer": "经核实属实", f"{prefix}-upheld": "yes"},
        ).status_code
        == 302
    )
    candidates[0].refresh_from_db()
    assert candidates[0].status == "struck_off"
    # The owner who objected reads the answer; another owner does not see the objection at all.
    client.force_login(ew.owners[10].account)
    assert "经核实属实" in client.get(url("campaign_detail", campaign.pk)).content.decode()
    client.force_login(ew.world.users["resident"])
    assert "在物业公司任职" not in client.get(url("campaign_detail", campaign.pk)).content.decode()


def test_cancelling_needs_a_reason(as_role, ew):
    campaign = open_a(ew)
    client = as_role("branch_secretary")
    response = client.post(url("campaign_cancel", campaign.pk), {"cancel-reason": ""})
    assert response.status_code == 422 and 'id="id_cancel-reason_errors"' in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "nominating"
    assert client.post(url("campaign_cancel", campaign.pk), {"cancel-reason": "小区合并"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "cancelled"
    assert 'data-testid="cancelled"' in client.get(url("campaign_detail", campaign.pk)).content.decode()


def test_a_withdrawal_needs_a_reason_and_is_recorded(as_role, ew):
    campaign = open_a(ew)
    candidate = nominate(ew, campaign, count=1)[0]
    client = as_role("community_secretary")
    target = url("candidate_withdraw", campaign.pk, candidate.pk)
    assert client.post(target, {"withdraw-reason": ""}).status_code == 422
    assert client.post(target, {"withdraw-reason": "本人申请退出"}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "withdrawn"
    assert as_role("resident").post(target, {"withdraw-reason": "x"}).status_code == 403


def test_a_struck_off_candidate_cannot_be_withdrawn_over_the_record(as_role, ew):
    campaign = open_a(ew)
    candidate = nominate(ew, campaign, count=1)[0]
    Candidate.objects.filter(pk=candidate.pk).update(status="struck_off")
    client = as_role("community_secretary")
    client.cookies["django_language"] = "en"
    response = client.post(url("candidate_withdraw", campaign.pk, candidate.pk), {"withdraw-reason": "本人申请退出"})
    assert response.status_code == 422 and "no longer standing" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == "struck_off"


def test_a_campaign_meeting_with_a_bad_link_is_refused(as_role, ew, interviewing, monkeypatch):
    campaign, candidates = interviewing
    clerk = ew.world.users["community_secretary"]
    svc.slate_publish(actor=clerk, campaign=campaign, candidates=candidates[:5], seats=5, notice_starts=today())
    shift_today(monkeypatch, 8)
    svc.campaigning_start(actor=clerk, campaign=campaign)
    response = as_role("community_secretary").post(
        url("campaign_meeting", campaign.pk),
        {"meet-held_at": "2026-12-01T19:00", "meet-place": "广场", "meet-livestream_url": "不是链接"},
    )
    assert response.status_code == 422 and 'id="id_meet-livestream_url_errors"' in response.content.decode()
    assert not hasattr(Campaign.objects.get(pk=campaign.pk), "campaign_meeting")


def test_a_nomination_after_nominations_closed_is_refused_above_the_actions(as_role, ew, reviewing):
    campaign, candidates, _chidian = reviewing
    client = as_role("community_secretary")
    client.cookies["django_language"] = "en"
    response = client.post(
        url("candidate_nominate", campaign.pk), {"nom-person": ew.owners[8].pk, "nom-route": "community"}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert re.search(r'data-testid="action-errors"><li>The campaign is at the stage', html)
    assert campaign.candidates.count() == 5


def test_a_review_after_the_review_closed_is_refused_with_the_reason(as_role, ew, interviewing):
    campaign, candidates = interviewing
    review = Review.objects.get(candidate=candidates[0], body__name="晋江市住建局")
    client = as_role("department_staff")
    client.cookies["django_language"] = "en"
    assert 'data-testid="review-form"' not in client.get(url("review_record", review.pk)).content.decode()
    response = client.post(
        url("review_record", review.pk),
        {f"review-{review.pk}-outcome": "fail", f"review-{review.pk}-reason": "补充意见"},
    )
    assert response.status_code == 422 and "this step is not possible now" in response.content.decode()
    review.refresh_from_db()
    assert review.outcome == "pass"
