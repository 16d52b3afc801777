"""The campaign page (views/campaign_page.py): who may open it, and owners seeing the slate only."""

import pytest

from jiayuan.testing import PERSONAS

from .common import COMPOUND_A_VIEWERS, expected, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_campaign_page_opens_only_within_the_viewers_scope(as_role, ew, reviewing, persona):
    campaign, _candidates, chidian = reviewing
    client = as_role(persona)
    reviewers = ("department_staff",)  # housing reviews the candidates of 金利花园: it reaches their campaign
    assert client.get(url("campaign_detail", campaign.pk)).status_code == expected(
        persona, (*COMPOUND_A_VIEWERS, *reviewers)
    )
    assert client.get(url("campaign_detail", chidian.pk)).status_code == expected(persona, ("city_admin",))


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


def test_the_slate_notice_prints_once_the_slate_is_published(as_role, ew):
    import io

    import pypdf
    from django.urls import reverse

    from jiayuan.elections.testing import nominate_all, open_campaign, through_campaign_meeting

    campaign = open_campaign(ew)
    slate = nominate_all(ew, campaign, count=6)
    url = reverse("elections:slate_notice", args=[campaign.pk])
    assert as_role("community_secretary").get(url).status_code == 404  # nothing published yet
    through_campaign_meeting(ew, campaign, slate)
    client = as_role("resident")  # an owner of the compound: the notice is public
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("elections:campaign_detail", args=[campaign.pk])).content.decode()
    assert 'data-testid="slate-notice-pdf"' in page
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "业主大会将从中选举产生 5 名委员" in text
    assert all(candidate.person.name in text for candidate in slate)
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
