"""The compound map pages: drill-down, compound list, edit forms and the home of residents and departments."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse

from jiayuan.core.identity import make_id_number
from jiayuan.core.models import AuditEntry
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people import services as people_services
from jiayuan.places.models import Compound, Room
from jiayuan.testing import START, settle

pytestmark = pytest.mark.django_db


def english(client):
    """The client with the language switch's cookie set to English."""
    client.cookies["django_language"] = "en"
    return client


_serial = itertools.count(300)


def url(name, *args):
    return reverse(f"places:{name}", args=args)


def person(world, name):
    return people_services.person_create(
        actor=world.users["city_admin"],
        name=name,
        id_number=make_id_number("350582", dt.date(1991, 2, 3), next(_serial)),
        phone=f"1380000{next(_serial):04d}",
    )


def rows(response):
    return list(response.context["page_obj"].object_list)


# --- Anonymous visitors ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["town_list", "compound_list"])
def test_anonymous_visitor_is_sent_to_login_from_list_pages(client, world, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_visitor_is_sent_to_login_from_a_compound_page(client, world):
    response = client.get(url("compound_detail", world.compound_a.pk))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Towns and communities ------------------------------------------------------------


def test_city_admin_sees_every_town_with_its_counts(as_role, world):
    response = as_role("city_admin").get(url("town_list"))
    assert response.status_code == 200
    towns = {town.name: (town.community_count, town.compound_count) for town in rows(response)}
    assert towns == {"青阳街道": (2, 2), "池店镇": (1, 1)}


def test_town_clerk_sees_only_their_town(as_role, world):
    response = as_role("town_clerk").get(url("town_list"))
    assert [town.name for town in rows(response)] == ["青阳街道"]
    assert "池店镇" not in response.content.decode()


def test_town_list_search_narrows_the_rows(as_role, world):
    response = as_role("city_admin").get(url("town_list"), {"q": "池店"})
    assert [town.name for town in rows(response)] == ["池店镇"]


def test_compound_staff_start_from_their_compound_on_the_map_page(as_role, world):
    response = as_role("branch_secretary").get(url("town_list"))
    assert response.status_code == 200
    assert list(response.context["compounds"]) == [world.compound_a]
    assert reverse("places:compound_detail", args=[world.compound_a.pk]) in response.content.decode()


def test_town_page_lists_its_communities_with_compound_counts(as_role, world):
    response = as_role("town_clerk").get(url("town_detail", world.qingyang.pk))
    assert response.status_code == 200
    assert {c.name: c.compound_count for c in rows(response)} == {"青华社区": 1, "晓升社区": 1}
    assert f"/rosters/export/compounds.xlsx?town={world.qingyang.pk}" in response.content.decode()


def test_town_clerk_cannot_open_another_town(as_role, world):
    assert as_role("town_clerk").get(url("town_detail", world.chidian.pk)).status_code == 404


def test_community_secretary_cannot_open_their_town(as_role, world):
    assert as_role("community_secretary").get(url("town_detail", world.qingyang.pk)).status_code == 404


def test_community_page_lists_its_compounds_and_grids(as_role, world):
    response = as_role("community_secretary").get(url("community_detail", world.community_a.pk))
    assert response.status_code == 200
    assert rows(response) == [world.compound_a]
    assert [grid.name for grid in response.context["grids"]] == ["第一网格"]
    assert "宝龙世家" not in response.content.decode()


def test_community_secretary_cannot_open_a_neighbouring_community(as_role, world):
    assert as_role("community_secretary").get(url("community_detail", world.community_b.pk)).status_code == 404


def test_compound_staff_cannot_open_their_community(as_role, world):
    assert as_role("branch_secretary").get(url("community_detail", world.community_a.pk)).status_code == 404


# --- Compound page ----------------------------------------------------------------------


def test_compound_page_shows_the_three_carriages(as_role, world):
    response = as_role("branch_secretary").get(url("compound_detail", world.compound_a.pk))
    assert response.status_code == 200
    gov = response.context["gov"]
    assert gov["branch"] == world.branch_a
    assert gov["secretary"] == world.people["branch_secretary"]
    assert gov["committee"] == world.committee_a
    assert gov["director"] == world.people["committee_director"]
    assert gov["contract"].company == world.company
    html = response.content.decode()
    for text in ("金利花园党支部", "邱书记", "金利花园业委会", "蔡主任", "2028-12-31", "晋江城投物业", "2024-01-01"):
        assert text in html


def test_compound_page_lists_buildings_with_unit_and_room_counts_and_heads(as_role, world):
    response = as_role("town_clerk").get(url("compound_detail", world.compound_a.pk))
    [building] = rows(response)
    assert (building.number, building.unit_count, building.room_count) == ("1号楼", 1, 4)
    assert building.head == world.people["building_head"]
    assert response.context["totals"] == {"rooms": 4, "area": Decimal("364.00")}
    html = response.content.decode()
    assert f"/rosters/export/buildings.xlsx?compound={world.compound_a.pk}" in html
    assert f"/rosters/export/posts.xlsx?compound={world.compound_a.pk}" in html


def test_compound_page_marks_yijiantiao_when_secretary_is_also_director(as_role, world):
    actor = world.users["city_admin"]
    both = person(world, "郑双职")
    branch = org_services.organisation_create(
        actor=actor,
        kind=Organisation.Kind.COMPOUND_BRANCH,
        name="宝龙世家党支部",
        community=world.community_b,
        established_on=START,
        compounds=[world.compound_a2],
    )
    committee = org_services.committee_create(
        actor=actor,
        compound=world.compound_a2,
        name="宝龙世家业委会",
        established_on=START,
        term_end=dt.date(2028, 12, 31),
        seats=5,
    )
    org_services.post_assign(
        actor=actor, person=both, organisation=branch, role=Post.Role.BRANCH_SECRETARY, start_date=START
    )
    org_services.post_assign(
        actor=actor, person=both, organisation=committee, role=Post.Role.COMMITTEE_DIRECTOR, start_date=START
    )

    response = english(as_role("town_clerk")).get(url("compound_detail", world.compound_a2.pk))
    assert response.context["facts"].yijiantiao is True
    assert "yijiantiao (一肩挑)" in response.content.decode()
    other = as_role("town_clerk").get(url("compound_detail", world.compound_a.pk))
    assert other.context["facts"].yijiantiao is False


def test_compound_page_loads_its_history_with_htmx_and_a_plain_link(as_role, world):
    response = as_role("branch_secretary").get(url("compound_detail", world.compound_a.pk))
    history_url = reverse("history", args=["places.compound", world.compound_a.pk])
    html = response.content.decode()
    assert f'hx-get="{history_url}"' in html
    assert f'href="{history_url}"' in html


def test_town_clerk_of_qingyang_cannot_open_a_chidian_compound(as_role, world):
    assert as_role("town_clerk").get(url("compound_detail", world.compound_b.pk)).status_code == 404


def test_community_secretary_cannot_open_a_compound_in_another_community(as_role, world):
    assert as_role("community_secretary").get(url("compound_detail", world.compound_a2.pk)).status_code == 404


@pytest.mark.parametrize("persona", ["resident", "department_staff"])
def test_residents_and_department_staff_cannot_open_compound_pages(as_role, world, persona):
    client = as_role(persona)
    assert client.get(url("compound_detail", world.compound_a.pk)).status_code == 404
    assert client.get(url("building_detail", world.building_a.pk)).status_code == 404


# --- Breadcrumbs --------------------------------------------------------------------------


def crumb_labels(response):
    return [label for label, _ in response.context["crumbs"]]


def test_city_admin_breadcrumbs_run_from_the_city_to_the_room(as_role, world):
    response = as_role("city_admin").get(url("room_detail", world.rooms_a[0].pk))
    assert crumb_labels(response) == ["晋江市", "青阳街道", "青华社区", "金利花园", "1号楼", "1单元 101"]


def test_town_clerk_breadcrumbs_start_at_their_town(as_role, world):
    response = as_role("town_clerk").get(url("building_detail", world.building_a.pk))
    assert crumb_labels(response) == ["青阳街道", "青华社区", "金利花园", "1号楼"]


def test_compound_staff_breadcrumbs_start_at_their_compound(as_role, world):
    response = as_role("branch_secretary").get(url("compound_detail", world.compound_a.pk))
    assert crumb_labels(response) == ["金利花园"]
    assert reverse("places:community_detail", args=[world.community_a.pk]) not in response.content.decode()


# --- Building and room pages ----------------------------------------------------------------


def test_building_page_lists_rooms_with_floor_area_source_and_owner_count(as_role, world):
    response = as_role("community_secretary").get(url("building_detail", world.building_a.pk))
    assert response.status_code == 200
    listed = {(r.number, r.floor, r.area, r.area_source, r.owner_count) for r in rows(response)}
    assert listed == {
        ("101", 1, Decimal("90.50"), "registered", 1),
        ("102", 1, Decimal("91.50"), "registered", 0),
        ("201", 2, Decimal("90.50"), "registered", 0),
        ("202", 2, Decimal("91.50"), "registered", 0),
    }
    assert response.context["heads"][0].person == world.people["building_head"]
    assert f"/rosters/export/rooms.xlsx?compound={world.compound_a.pk}" in response.content.decode()


def test_town_clerk_cannot_open_a_chidian_building_or_room(as_role, world):
    client = as_role("town_clerk")
    assert client.get(url("building_detail", world.building_b.pk)).status_code == 404
    assert client.get(url("room_detail", world.rooms_b[0].pk)).status_code == 404


def test_room_page_shows_owners_masked_to_a_town_clerk(as_role, world):
    owner = world.people["resident"]
    response = as_role("town_clerk").get(url("room_detail", world.rooms_a[0].pk))
    html = response.content.decode()
    assert owner.name in html
    assert owner.masked_id_number in html and owner.masked_phone in html
    assert owner.id_number not in html and owner.phone not in html


def test_room_page_shows_owners_in_clear_to_the_city_admin(as_role, world):
    owner = world.people["resident"]
    html = as_role("city_admin").get(url("room_detail", world.rooms_a[0].pk)).content.decode()
    assert owner.id_number in html and owner.phone in html


def test_resident_opens_their_own_room_and_sees_their_own_numbers(as_role, world):
    owner = world.people["resident"]
    response = as_role("resident").get(url("room_detail", world.rooms_a[0].pk))
    assert response.status_code == 200
    assert owner.id_number in response.content.decode()
    assert as_role("resident").get(url("room_detail", world.rooms_a[1].pk)).status_code == 404


def test_room_page_shows_co_owners_the_developer_and_residents(as_role, world):
    actor = world.users["city_admin"]
    co_owner = person(world, "吴太太")
    tenant = person(world, "租客甲")
    developer = org_services.organisation_create(
        actor=actor, kind=Organisation.Kind.DEVELOPER, name="晋江置业", established_on=START
    )
    people_services.ownership_add(actor=actor, room=world.rooms_a[0], person=co_owner, start_date=START)
    people_services.residency_add(
        actor=actor, room=world.rooms_a[0], person=tenant, relation="tenant", start_date=START
    )
    people_services.ownership_add(actor=actor, room=world.rooms_a[1], developer=developer, start_date=START)

    response = as_role("town_clerk").get(url("room_detail", world.rooms_a[0].pk))
    assert {o.person.name for o in response.context["owners"]} == {"吴业主", "吴太太"}
    assert [r.person.name for r in response.context["residents"]] == ["租客甲"]
    assert tenant.masked_phone in response.content.decode()
    unsold = as_role("town_clerk").get(url("room_detail", world.rooms_a[1].pk))
    assert [o.developer for o in unsold.context["owners"]] == [developer]
    assert "晋江置业" in unsold.content.decode()


# --- Compound list ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "codes"),
    [
        ("city_admin", ["C0001", "C0002", "C0003"]),
        ("town_clerk", ["C0001", "C0002"]),
        ("community_secretary", ["C0001"]),
        ("branch_secretary", ["C0001"]),
        ("property_manager", ["C0001"]),
        ("building_head", ["C0001"]),
    ],
)
def test_compound_list_holds_exactly_the_viewers_compounds(as_role, world, persona, codes):
    response = as_role(persona).get(url("compound_list"))
    assert response.status_code == 200
    assert [c.code for c in rows(response)] == codes


@pytest.mark.parametrize("persona", ["resident", "department_staff"])
def test_residents_and_department_staff_get_404_on_the_compound_list(as_role, world, persona):
    assert as_role(persona).get(url("compound_list")).status_code == 404


def test_compound_list_filters_by_town_community_type_management_and_search(as_role, world):
    client = as_role("city_admin")

    def codes(**params):
        return [c.code for c in rows(client.get(url("compound_list"), params))]

    assert codes(town=world.chidian.pk) == ["C0003"]
    assert codes(community=world.community_b.pk) == ["C0002"]
    assert codes(kind="commercial") == ["C0001", "C0002", "C0003"]
    assert codes(kind="old") == []
    assert codes(management="none") == []
    assert codes(q="宝龙") == ["C0002"]
    assert codes(q="c0003") == ["C0003"]


def test_compound_list_ignores_a_town_outside_the_scope(as_role, world):
    response = as_role("town_clerk").get(url("compound_list"), {"town": world.chidian.pk})
    assert "town" in response.context["form"].errors
    assert [c.code for c in rows(response)] == ["C0001", "C0002"]


def test_compound_list_links_the_excel_export_with_the_same_filters(as_role, world):
    response = as_role("city_admin").get(url("compound_list"), {"q": "宝龙", "kind": "commercial", "page": "1"})
    html = response.content.decode()
    assert "/rosters/export/compounds.xlsx?q=%E5%AE%9D%E9%BE%99&amp;kind=commercial" in html
    assert "page=1" not in html.split("/rosters/export/compounds.xlsx")[1].split('"')[0]


def test_compound_list_shows_fifty_rows_a_page(as_role, world):
    Compound.objects.bulk_create(
        Compound(community=world.community_c, code=f"X{n:04d}", name=f"测试小区{n}", kind="old", management="none")
        for n in range(60)
    )
    client = as_role("city_admin")
    first = client.get(url("compound_list"))
    assert len(rows(first)) == 50
    assert first.context["page_obj"].paginator.count == 63
    second = client.get(url("compound_list"), {"page": 2})
    assert len(rows(second)) == 13


def test_compound_list_search_answers_htmx_with_the_results(as_role, world):
    response = as_role("city_admin").get(url("compound_list"), {"q": "南天"}, headers={"hx-request": "true"})
    assert response.status_code == 200
    assert 'id="results"' in response.content.decode()
    assert [c.code for c in rows(response)] == ["C0003"]


# --- Editing a compound and correcting an area -------------------------------------------------


def compound_post(compound, **changes):
    data = {
        "name": compound.name,
        "kind": compound.kind,
        "year_built": compound.year_built or "",
        "management": compound.management,
        "address": compound.address,
        "reason": "竣工资料更正",
    }
    data.update(changes)
    return data


def test_the_community_edits_the_facts_and_the_history_shows_the_person_and_the_reason(as_role, world):
    client = as_role("community_secretary")
    response = client.post(
        url("compound_edit", world.compound_a.pk),
        compound_post(world.compound_a, name="金利花园（一期）", management="self", address="青华路1号"),
    )
    assert response.status_code == 302
    assert response.url == url("compound_detail", world.compound_a.pk)
    compound = Compound.objects.get(pk=world.compound_a.pk)
    assert (compound.name, compound.management, compound.address) == ("金利花园（一期）", "self", "青华路1号")
    entry = AuditEntry.objects.filter(object_type="places.compound", object_id=str(compound.pk)).first()
    assert entry.action == "update" and entry.actor == world.users["community_secretary"]
    assert entry.note == "竣工资料更正"

    history = client.get(reverse("history", args=["places.compound", compound.pk])).content.decode()
    assert "金利花园（一期）" in history and "竣工资料更正" in history
    assert "王立新" in history and "community_secretary" not in history  # the person, not the login


@pytest.mark.parametrize("persona", ["branch_secretary", "committee_director", "property_manager", "building_head"])
def test_the_compounds_own_posts_may_not_change_its_facts_or_room_areas(as_role, world, persona):
    """The issue's reproduction: a building head renamed the compound and moved a room's area (a vote weight)."""
    client = as_role(persona)
    room = world.rooms_a[1]
    assert client.get(url("compound_edit", world.compound_a.pk)).status_code == 403
    assert (
        client.post(
            url("compound_edit", world.compound_a.pk), compound_post(world.compound_a, name="HACKED")
        ).status_code
        == 403
    )
    assert (
        client.post(
            url("room_area_edit", room.pk), {"area": "121.5", "area_source": "surveyed", "reason": "x"}
        ).status_code
        == 403
    )
    assert Compound.objects.get(pk=world.compound_a.pk).name == "金利花园"
    assert Room.objects.get(pk=room.pk).area == room.area
    page = client.get(url("compound_detail", world.compound_a.pk)).content.decode()
    assert url("compound_edit", world.compound_a.pk) not in page


def test_an_area_correction_without_a_reason_is_refused_beside_the_field(as_role, world):
    room = world.rooms_a[1]
    response = as_role("community_secretary").post(
        url("room_area_edit", room.pk), {"area": "88.25", "area_source": "surveyed", "reason": ""}
    )
    assert "reason" in response.context["form"].errors
    assert Room.objects.get(pk=room.pk).area == room.area


def test_compound_edit_form_starts_with_the_current_facts(as_role, world):
    response = as_role("town_clerk").get(url("compound_edit", world.compound_a.pk))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["name"] == "金利花园" and form.initial["year_built"] == 2010


def test_compound_edit_rejects_an_impossible_year_next_to_the_field(as_role, world):
    response = english(as_role("town_clerk")).post(
        url("compound_edit", world.compound_a.pk), compound_post(world.compound_a, year_built=1850, name="改名")
    )
    assert response.status_code == 422
    assert "year_built" in response.context["form"].errors
    assert "1900" in response.content.decode()
    assert Compound.objects.get(pk=world.compound_a.pk).name == "金利花园"


def test_compound_edit_rejects_a_name_taken_in_the_community_and_saves_nothing(as_role, world):
    from jiayuan.places import services as place_services

    place_services.compound_create(
        actor=world.users["city_admin"],
        community=world.community_a,
        code="C0009",
        name="金利二期",
        kind="old",
        management="none",
    )
    before = AuditEntry.objects.count()
    response = as_role("town_clerk").post(
        url("compound_edit", world.compound_a.pk), compound_post(world.compound_a, name="金利二期")
    )
    assert response.status_code == 422
    assert response.context["form"].errors
    assert Compound.objects.get(pk=world.compound_a.pk).name == "金利花园"
    assert AuditEntry.objects.count() == before


def test_town_clerk_cannot_edit_a_chidian_compound(as_role, world):
    client = as_role("town_clerk")
    assert client.get(url("compound_edit", world.compound_b.pk)).status_code == 404
    assert (
        client.post(url("compound_edit", world.compound_b.pk), compound_post(world.compound_b, name="X")).status_code
        == 404
    )
    assert Compound.objects.get(pk=world.compound_b.pk).name == "南天裕"


def test_resident_cannot_open_the_edit_form(as_role, world):
    assert as_role("resident").get(url("compound_edit", world.compound_a.pk)).status_code == 404


@pytest.mark.parametrize("area", ["0", "-12.5"])
def test_area_correction_rejects_zero_or_negative_with_the_field_named_and_nothing_changed(as_role, world, area):
    room = world.rooms_a[1]
    before = AuditEntry.objects.count()
    response = english(as_role("community_secretary")).post(
        url("room_area_edit", room.pk), {"area": area, "area_source": "surveyed", "reason": "更正"}
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == ["area"]
    assert "greater than zero" in errors["area"][0]
    assert "greater than zero" in response.content.decode()
    room.refresh_from_db()
    assert (room.area, room.area_source) == (Decimal("91.50"), "registered")
    assert AuditEntry.objects.count() == before


def test_area_correction_rejects_text_with_the_field_named(as_role, world):
    response = as_role("community_secretary").post(
        url("room_area_edit", world.rooms_a[1].pk), {"area": "ninety", "area_source": "surveyed", "reason": "更正"}
    )
    assert list(response.context["form"].errors) == ["area"]


def test_area_correction_saves_and_is_recorded_in_the_room_history(as_role, world):
    room = world.rooms_a[1]
    client = as_role("community_secretary")
    response = client.post(
        url("room_area_edit", room.pk), {"area": "88.25", "area_source": "surveyed", "reason": "测绘报告第12号"}
    )
    assert response.status_code == 302
    room.refresh_from_db()
    assert (room.area, room.area_source) == (Decimal("88.25"), "surveyed")
    history = client.get(reverse("history", args=["places.room", room.pk])).content.decode()
    assert "88.25" in history


def test_area_correction_outside_the_scope_is_404(as_role, world):
    response = as_role("town_clerk").post(
        url("room_area_edit", world.rooms_b[0].pk), {"area": "50", "area_source": "surveyed", "reason": "更正"}
    )
    assert response.status_code == 404
    assert Room.objects.get(pk=world.rooms_b[0].pk).area == Decimal("90.50")


def test_resident_cannot_correct_the_area_of_their_own_room(as_role, world):
    assert as_role("resident").get(url("room_area_edit", world.rooms_a[0].pk)).status_code == 404


# --- Home of residents and department staff ------------------------------------------------------


def test_resident_home_shows_their_household_and_the_public_facts_of_their_compound(as_role, world):
    response = as_role("resident").get(reverse("home"))
    assert response.status_code == 200
    assert response.context["rooms"] == [world.rooms_a[0]]
    html = response.content.decode()
    for text in (
        "金利花园",
        "101",
        "金利花园党支部",
        "邱书记",
        "金利花园业委会",
        "蔡主任",
        "2028-12-31",
        "晋江城投物业",
    ):
        assert text in html
    for key in ("branch_secretary", "committee_director"):
        other = world.people[key]
        assert other.phone not in html and other.masked_phone not in html
        assert other.id_number not in html and other.masked_id_number not in html


def test_resident_home_shows_the_venues_of_their_compound(as_role, world):
    org_services.venue_create(
        actor=world.users["city_admin"],
        organisation=world.branch_a,
        compound=world.compound_a,
        name="金利邻里茶室",
        feature="tea",
        opened_on=START,
    )
    assert "金利邻里茶室" in as_role("resident").get(reverse("home")).content.decode()


def test_department_staff_home_names_the_department_and_its_current_staff(as_role, world):
    response = as_role("department_staff").get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "晋江市住建局" in html and "张科员" in html
    assert response.context["rooms"] == []


def test_the_export_link_of_the_compound_list_downloads_the_same_rows(as_role, world):
    import io
    import re

    from openpyxl import load_workbook

    client = as_role("town_clerk")
    html = client.get(url("compound_list"), {"q": "宝龙"}).content.decode()
    href = re.search(r'href="(/rosters/export/compounds\.xlsx[^"]*)"', html).group(1).replace("&amp;", "&")
    response = settle(client, client.get(href))  # the export runs as a background job; this is its file
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response))).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert codes == ["C0002"]


def test_the_compound_list_sorts_by_a_column_and_back_and_keeps_the_sort_when_filtered(as_role, world):
    client = as_role("town_clerk")
    by_code = [c.code for c in client.get(url("compound_list")).context["page_obj"]]
    assert by_code == sorted(by_code)
    page = client.get(url("compound_list"), {"sort": "-code"})
    assert [c.code for c in page.context["page_obj"]] == sorted(by_code, reverse=True)
    html = page.content.decode()
    assert 'aria-sort="descending" data-sort="code"' in html and "?sort=code" in html  # a second click: back
    assert 'name="sort" value="-code" form="compound-filter"' in html  # the filter form sends the sort on
    by_name = client.get(url("compound_list"), {"sort": "name", "q": ""}).context["page_obj"]
    assert [c.name for c in by_name] == sorted(c.name for c in by_name)


def test_an_unknown_sort_lists_the_compounds_by_code(as_role, world):
    client = as_role("town_clerk")
    listed = [c.code for c in client.get(url("compound_list"), {"sort": "password"}).context["page_obj"]]
    assert listed == sorted(listed)
