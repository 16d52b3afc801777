"""The organisation pages: scoped list with a kind filter, and kind-specific detail pages."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Post
from jiayuan.testing import START

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"organisations:{name}", args=args)


def names(response):
    return [organisation.name for organisation in response.context["page_obj"].object_list]


def test_anonymous_visitor_is_sent_to_login(client, world):
    for target in (url("organisation_list"), url("organisation_detail", world.branch_a.pk)):
        response = client.get(target)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_organisation_list_filters_by_kind_within_the_scope(as_role, world):
    admin = names(as_role("city_admin").get(url("organisation_list"), {"kind": "compound_branch"}))
    assert sorted(admin) == sorted(["金利花园党支部", "南天裕党支部"])
    clerk = names(as_role("town_clerk").get(url("organisation_list"), {"kind": "compound_branch"}))
    assert clerk == ["金利花园党支部"]


def test_organisation_list_searches_by_name(as_role, world):
    assert names(as_role("town_clerk").get(url("organisation_list"), {"q": "业委会"})) == ["金利花园业委会"]


def test_organisation_list_links_the_excel_export_with_the_filters(as_role, world):
    html = as_role("town_clerk").get(url("organisation_list"), {"kind": "owners_committee"}).content.decode()
    assert "/rosters/export/organisations.xlsx?kind=owners_committee" in html


@pytest.mark.parametrize("persona", ["resident", "department_staff"])
def test_residents_and_department_staff_get_404_on_the_organisation_list(as_role, world, persona):
    assert as_role(persona).get(url("organisation_list")).status_code == 404


def test_town_clerk_cannot_open_a_chidian_branch(as_role, world):
    assert as_role("town_clerk").get(url("organisation_detail", world.branch_b.pk)).status_code == 404
    assert as_role("city_admin").get(url("organisation_detail", world.branch_b.pk)).status_code == 200


def test_resident_cannot_open_the_community_party_committee(as_role, world):
    assert as_role("resident").get(url("organisation_detail", world.community_party.pk)).status_code == 404


def test_committee_page_shows_term_seats_members_and_compound(as_role, world):
    response = as_role("community_secretary").get(url("organisation_detail", world.committee_a.pk))
    assert response.status_code == 200
    assert [p.person.name for p in response.context["current_posts"]] == ["蔡主任"]
    assert list(response.context["compounds"]) == [world.compound_a]
    html = response.content.decode()
    assert "2024-01-01" in html and "2028-12-31" in html and "1 / 5" in html


def test_branch_page_lists_current_and_past_posts(as_role, world):
    actor = world.users["city_admin"]
    org_services.post_assign(
        actor=actor,
        person=world.people["resident"],
        organisation=world.branch_a,
        role=Post.Role.BRANCH_DEPUTY,
        start_date=START,
        end_date=dt.date(2024, 12, 31),
    )
    response = as_role("branch_secretary").get(url("organisation_detail", world.branch_a.pk))
    current = {(p.person.name, p.role) for p in response.context["current_posts"]}
    assert current == {("邱书记", "branch_secretary"), ("李楼长", "building_head")}
    assert [(p.person.name, p.end_date) for p in response.context["past_posts"]] == [("吴业主", dt.date(2024, 12, 31))]
    assert 'data-testid="past-posts"' in response.content.decode()


def test_branch_page_lists_its_venues(as_role, world):
    org_services.venue_create(
        actor=world.users["city_admin"],
        organisation=world.branch_a,
        compound=world.compound_a,
        name="金利党群驿站",
        feature="elderly",
        opened_on=START,
    )
    response = as_role("town_clerk").get(url("organisation_detail", world.branch_a.pk))
    assert [v.name for v in response.context["venues"]] == ["金利党群驿站"]


def test_property_company_page_shows_only_contracts_in_scope(as_role, world):
    org_services.contract_create(
        actor=world.users["city_admin"],
        company=world.company,
        compound=world.compound_b,
        start_date=dt.date(2023, 5, 1),
        fallback=True,
    )
    clerk = as_role("town_clerk").get(url("organisation_detail", world.company.pk))
    assert [c.compound for c in clerk.context["contracts"]] == [world.compound_a]
    assert "南天裕" not in clerk.content.decode()
    admin = as_role("city_admin").get(url("organisation_detail", world.company.pk))
    assert {c.compound for c in admin.context["contracts"]} == {world.compound_a, world.compound_b}
    assert "91350582MA31234567" in admin.content.decode()


def test_property_company_hides_managers_of_compounds_out_of_scope(as_role, world):
    response = as_role("community_secretary").get(url("organisation_detail", world.company.pk))
    assert [p.person.name for p in response.context["current_posts"]] == ["黄经理"]
    other = as_role("resident").get(url("organisation_detail", world.company.pk))
    assert other.status_code == 200  # a property company is public
    assert other.context["current_posts"] == []


def test_department_staff_open_their_department(as_role, world):
    response = as_role("department_staff").get(url("organisation_detail", world.department.pk))
    assert response.status_code == 200
    assert [p.person.name for p in response.context["current_posts"]] == ["张科员"]


def test_organisation_page_loads_its_history(as_role, world):
    client = as_role("town_clerk")
    history_url = reverse("history", args=["organisations.organisation", world.branch_a.pk])
    html = client.get(url("organisation_detail", world.branch_a.pk)).content.decode()
    assert f'hx-get="{history_url}"' in html
    assert "金利花园党支部" in client.get(history_url).content.decode()


# --- owners' committees: in office by default, the past ones behind a switch -------------------------------


def standing_of(html: str) -> str:
    match = re.search(r'data-testid="committee-standing" data-standing="([a-z_]+)"', html)
    assert match, "no committee standing badge"
    return match.group(1)


def test_the_committee_list_opens_on_the_committees_in_office(as_role, world, re_elected):
    response = as_role("town_clerk").get(url("organisation_list"), {"kind": "owners_committee"})
    assert names(response) == ["宝龙世家第二届业主委员会", "金利花园业委会"]
    assert response.context["page_obj"].paginator.count == 2
    assert 'data-testid="history-switch"' in response.content.decode()


def test_the_history_switch_adds_the_past_committees_with_their_standing(as_role, world, re_elected):
    response = as_role("town_clerk").get(url("organisation_list"), {"kind": "owners_committee", "history": "1"})
    assert names(response) == ["宝龙世家第一届业主委员会", "宝龙世家第二届业主委员会", "金利花园业委会"]
    rows = {organisation.name: organisation.standing for organisation in response.context["page_obj"]}
    assert rows["宝龙世家第一届业主委员会"] == "superseded"
    assert rows["宝龙世家第二届业主委员会"] == "in_office"
    assert 'data-standing="superseded"' in response.content.decode()
    assert "checked" in re.search(r'data-testid="history-switch">.*?</label>', response.content.decode()).group(0)


def test_the_history_switch_is_not_offered_for_kinds_without_terms(as_role, world):
    html = as_role("town_clerk").get(url("organisation_list"), {"kind": "department"}).content.decode()
    assert 'data-testid="history-switch"' not in html


def test_the_outgoing_committee_page_no_longer_says_in_office(as_role, world, re_elected):
    client = as_role("town_clerk")
    client.cookies["django_language"] = "en"
    old = client.get(url("organisation_detail", re_elected.old.pk))
    assert old.context["standing"] == "superseded"
    assert standing_of(old.content.decode()) == "superseded"
    assert "superseded by a new committee" in old.content.decode()
    assert ">in office<" not in old.content.decode()
    new = client.get(url("organisation_detail", re_elected.new.pk))
    assert standing_of(new.content.decode()) == "in_office"


def test_the_posts_list_heads_the_persons_column_full_name(as_role, world):
    client = as_role("community_secretary")
    client.cookies["django_language"] = "en"
    html = client.get(url("organisation_detail", world.committee_a.pk)).content.decode()
    head = re.search(r'data-testid="current-posts">\s*<thead>.*?</thead>', html, re.S).group(0)
    assert "<th>Full name</th>" in head and "<th>Name</th>" not in head


def test_organisations_keep_name_for_their_own_name(as_role, world):
    client = as_role("town_clerk")
    client.cookies["django_language"] = "en"
    html = client.get(url("organisation_list")).content.decode()
    assert "<th>Name</th>" in html and "Full name" not in html


def test_the_export_link_holds_the_committees_the_list_shows(as_role, world, re_elected):
    import io

    from openpyxl import load_workbook

    from jiayuan.testing import settle

    client = as_role("town_clerk")
    for history, expected in (("", 2), ("1", 3)):
        html = client.get(url("organisation_list"), {"kind": "owners_committee", "history": history}).content.decode()
        href = re.search(r'href="(/rosters/export/organisations\.xlsx[^"]*)"', html).group(1).replace("&amp;", "&")
        sheet = load_workbook(io.BytesIO(settle(client, client.get(href)).content)).active
        exported = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
        assert len(exported) == expected, (history, href)
    api = client.get("/api/v1/rosters/organisations/export", {"kind": "owners_committee"})  # every committee
    assert sum(1 for row in load_workbook(io.BytesIO(api.content)).active.iter_rows(min_row=2) if row[0].value) == 3
