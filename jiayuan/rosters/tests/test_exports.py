"""Exports: valid .xlsx, only in-scope rows, personal data masked for non-administrators, re-importable."""

import io

import pytest
from django.http import Http404
from openpyxl import load_workbook

from jiayuan.core.xlsx import xlsx_bytes
from jiayuan.rosters.definitions import ROSTERS
from jiayuan.rosters.selectors import EXPORT_TITLES, export_table
from jiayuan.rosters.services import roster_import
from jiayuan.testing import settle

from .helpers import problems, sheet_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export(as_role, role, kind, **params):
    client = as_role(role)
    response = settle(client, client.get(f"/rosters/export/{kind}.xlsx", params))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    return sheet_rows(response.content)


@pytest.mark.parametrize("kind", list(EXPORT_TITLES))
def test_every_kind_exports_a_valid_workbook_with_a_header_row(as_role, kind):
    rows = _export(as_role, "town_clerk", kind)
    assert rows[0]
    if kind in ROSTERS:
        assert list(rows[0]) == ROSTERS[kind].headers


def test_the_compounds_export_holds_only_the_town_clerks_compounds(as_role):
    rows = _export(as_role, "town_clerk", "compounds")
    assert {row[0] for row in rows[1:]} == {"C0001", "C0002"}
    assert rows[1] == ("C0001", "金利花园", "350582001001", None, "商品房", 2010, "物业公司")


def test_the_list_filters_narrow_the_export(as_role, world):
    rows = _export(as_role, "town_clerk", "rooms", compound="C0002")
    assert {row[0] for row in rows[1:]} == {"C0002"}
    by_pk = _export(as_role, "town_clerk", "compounds", community=str(world.community_b.pk))
    assert [row[0] for row in by_pk[1:]] == ["C0002"]
    searched = _export(as_role, "town_clerk", "compounds", q="金利")
    assert [row[0] for row in searched[1:]] == ["C0001"]


def test_a_filter_naming_an_out_of_scope_place_is_a_404(as_role, world):
    client = as_role("town_clerk")
    assert client.get("/rosters/export/rooms.xlsx", {"compound": "C0003"}).status_code == 404
    assert client.get("/rosters/export/rooms.xlsx", {"town": str(world.chidian.pk)}).status_code == 404


def test_people_are_masked_for_a_town_clerk_except_themselves(as_role, world):
    rows = _export(as_role, "town_clerk", "people")
    by_name = {row[0]: row for row in rows[1:]}
    assert "李楼长" in by_name and "林市管" not in by_name
    clerk = world.people["town_clerk"]
    assert by_name["陈镇员"][1:3] == (clerk.id_number, clerk.phone)
    for name, row in by_name.items():
        if name != "陈镇员":
            assert "*" in row[1] and "*" in row[2], name
            assert row[4] is None  # the birth date would unmask the ID number


def test_the_city_administrator_exports_personal_data_in_clear(as_role, world):
    rows = _export(as_role, "city_admin", "owners")
    resident = world.people["resident"]
    assert ("C0001", "1号楼", "1单元", "101", "吴业主", resident.id_number, resident.phone) == rows[1][:7]


def test_owners_and_posts_exports_are_masked_and_scoped_for_a_community_secretary(as_role, world):
    owners = _export(as_role, "community_secretary", "owners")
    assert [row[:5] for row in owners[1:]] == [("C0001", "1号楼", "1单元", "101", "吴业主")]
    assert owners[1][5] == world.people["resident"].masked_id_number
    heads = _export(as_role, "community_secretary", "building_heads")
    assert [row[:3] for row in heads[1:]] == [("C0001", "1号楼", "李楼长")]
    assert "*" in heads[1][3]
    committee = _export(as_role, "community_secretary", "committee_members")
    assert [(row[0], row[1], row[4]) for row in committee[1:]] == [("C0001", "蔡主任", "主任")]
    posts = _export(as_role, "community_secretary", "posts")
    names = {row[2] for row in posts[1:]}
    assert "李楼长" in names and "林市管" not in names and "张科员" not in names


def test_residents_and_department_staff_cannot_export(as_role):
    for role in ("resident", "department_staff"):
        assert as_role(role).get("/rosters/export/people.xlsx").status_code == 404


def test_an_unknown_export_kind_is_a_404(world, db):
    with pytest.raises(Http404):
        export_table(viewer=world.users["city_admin"], kind="secrets", params={})


def test_an_exported_rooms_list_can_be_edited_and_imported_again(as_role, world):
    client = as_role("city_admin")
    response = settle(client, client.get("/rosters/export/rooms.xlsx", {"compound": "C0001"}))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=2):
        row[1].value = "5号楼"
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = roster_import(actor=world.users["town_clerk"], kind="rooms", data=buffer.getvalue(), filename="x.xlsx")
    assert result.ok, problems(result)
    assert result.counts == {"buildings": 1, "units": 1, "rooms": 4}


def test_text_that_looks_like_a_formula_is_exported_as_text():
    content = xlsx_bytes(["姓名"], [['=HYPERLINK("http://x")'], ["+86", 1]])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")'  # neutralised, not only typed as text
    assert sheet["A3"].value == "'+86"


def test_people_and_organisations_exports_follow_the_place_filters(as_role):
    people = _export(as_role, "city_admin", "people", compound="C0003")
    assert [row[0] for row in people[1:]] == []
    people = _export(as_role, "city_admin", "people", compound="C0001")
    assert {"吴业主", "李楼长", "蔡主任", "黄经理"} <= {row[0] for row in people[1:]}
    assert "张科员" not in {row[0] for row in people[1:]}
    organisations = _export(as_role, "city_admin", "organisations", compound="C0003")
    assert [row[0] for row in organisations[1:]] == ["南天裕党支部"]
