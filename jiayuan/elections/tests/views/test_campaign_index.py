"""The index and the form that opens a campaign (views/campaign_index.py): the index lists only campaigns in
scope with the review counts for those who run elections, and a bad campaign is refused beside the field."""

import re

import pytest

from jiayuan.elections.models import Campaign
from jiayuan.testing import PERSONAS

from .common import COMPOUND_A_VIEWERS, RUNNERS, campaign_ids, expected, pass_all, today, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_index_opens_for_everyone_and_lists_only_campaigns_in_scope(as_role, ew, reviewing, persona):
    campaign, _candidates, chidian = reviewing
    response = as_role(persona).get(url("index"))
    assert response.status_code == 200
    seen = campaign_ids(response.content.decode())
    wanted = set()
    if persona in COMPOUND_A_VIEWERS or persona == "department_staff":  # housing reviews its candidates
        wanted.add(campaign.pk)
    if persona == "city_admin":
        wanted.add(chidian.pk)
    assert seen == wanted


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_those_who_run_elections_may_open_a_campaign(as_role, ew, persona):
    assert as_role(persona).get(url("campaign_create")).status_code == expected(persona, RUNNERS)


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
