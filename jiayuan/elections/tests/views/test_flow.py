"""A re-election driven through the campaign pages from opening to the campaign meeting."""

import datetime as dt

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from jiayuan.elections.models import Campaign, CampaignStep, Interview, Objection, Review, Speech
from jiayuan.elections.services import campaign as svc

from .common import HTMX, review_ids, shift_today, today, url

pytestmark = pytest.mark.django_db


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
