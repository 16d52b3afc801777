"""The campaign's steps posted from its page (views/campaign_steps.py): nominations, closing them, the slate,
interviews, objections, the campaign meeting and cancelling. Only those who run the election move it; bad input
is shown beside the field with status 422 and nothing saved."""

import datetime as dt
import re

import pytest

from jiayuan.elections.models import Campaign, Candidate, Interview, Objection, Review
from jiayuan.elections.services import campaign as svc

from .common import nominate, open_a, shift_today, today, url

pytestmark = pytest.mark.django_db


# --- Nobody acts on what is not theirs --------------------------------------------------------------------


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
    # A reviewer reaches the campaign of its reviews, but has no power to run it.
    assert (
        as_role("department_staff").post(url("campaign_cancel", campaign.pk), {"cancel-reason": "x"}).status_code == 403
    )
    assert as_role("town_clerk").post(url("campaign_cancel", chidian.pk), {"cancel-reason": "x"}).status_code == 404
    assert as_role("resident").post(url("objection_lodge", chidian.pk), {"lodge-text": "x"}).status_code == 404
    assert Campaign.objects.filter(pk__in=[campaign.pk, chidian.pk], status="cancelled").count() == 0


# --- Bad input: beside the field, status 422, nothing changed -----------------------------------------------


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
