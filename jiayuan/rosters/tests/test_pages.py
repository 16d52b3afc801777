"""The roster pages: staff only, templates, upload with its result or its row report."""

import io

import pytest
from openpyxl import load_workbook

from jiayuan.places.models import Room
from jiayuan.rosters.definitions import ROSTERS
from jiayuan.testing import settle

from .helpers import roster_file

STAFF = (
    "city_admin",
    "town_clerk",
    "community_secretary",
    "branch_secretary",
    "committee_director",
    "property_manager",
    "building_head",
)


@pytest.fixture
def english_client(as_role):
    def login(role):
        client = as_role(role)
        client.cookies["django_language"] = "en"
        return client

    return login


def _upload(client, kind, content, name="rooms.xlsx"):
    upload = io.BytesIO(content)
    upload.name = name
    return settle(client, client.post("/rosters/import/", {"kind": kind, "file": upload}))


@pytest.mark.parametrize("role", STAFF)
def test_staff_see_the_rosters_page_with_a_template_link_per_roster(as_role, role):
    response = as_role(role).get("/rosters/")
    assert response.status_code == 200
    for kind in ROSTERS:
        assert f'href="/rosters/template/{kind}.xlsx"' in response.content.decode()


@pytest.mark.parametrize("role", ["resident", "department_staff"])
@pytest.mark.parametrize(
    "path", ["/rosters/", "/rosters/import/", "/rosters/template/rooms.xlsx", "/rosters/export/compounds.xlsx"]
)
def test_residents_and_department_staff_get_404_on_every_roster_page(as_role, role, path):
    assert as_role(role).get(path).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/rosters/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("kind", list(ROSTERS))
def test_each_template_opens_with_its_headers_example_and_instructions(as_role, kind):
    response = as_role("town_clerk").get(f"/rosters/template/{kind}.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    roster = ROSTERS[kind]
    first, instructions = workbook.worksheets
    rows = list(first.iter_rows(values_only=True, max_row=2))
    assert list(rows[0]) == roster.headers
    assert [cell or "" for cell in rows[1]] == [str(v) for v in roster.example_row]
    explained = [row[0] for row in instructions.iter_rows(min_row=6, values_only=True)]
    assert explained == roster.headers


def test_an_unknown_template_is_a_404(as_role):
    assert as_role("town_clerk").get("/rosters/template/secrets.xlsx").status_code == 404


def test_a_good_upload_shows_the_rows_imported_and_the_counts(english_client, world):
    content = roster_file(
        "rooms",
        ["C0001", "2号楼", "1单元", "101", 1, 90, "登记面积"],
        ["C0001", "2号楼", "1单元", "102", 1, 91, "登记面积"],
    )
    response = _upload(english_client("town_clerk"), "rooms", content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 rows imported." in page
    assert 'data-testid="import-ok"' in page
    assert Room.objects.filter(unit__building__number="2号楼").count() == 2


def test_a_bad_upload_shows_the_report_and_says_nothing_was_written(english_client, world):
    content = roster_file(
        "rooms",
        ["C0001", "2号楼", "1单元", "101", 1, 90, "登记面积"],
        ["C0001", "2号楼", "1单元", "102", 1, -5, "登记面积"],
    )
    response = _upload(english_client("town_clerk"), "rooms", content)
    page = response.content.decode()
    assert "Nothing was written" in page
    assert "The area must be greater than zero." in page
    assert '<td class="num">3</td>' in page and "专有面积(㎡)" in page
    assert not Room.objects.filter(unit__building__number="2号楼").exists()


def test_a_renamed_text_file_gets_a_report_not_a_traceback(english_client):
    response = _upload(english_client("town_clerk"), "rooms", b"this is not a workbook", name="fake.xlsx")
    assert response.status_code == 200
    assert "The file is not an Excel workbook (.xlsx)." in response.content.decode()


def test_an_upload_without_a_file_shows_the_form_error(english_client):
    response = english_client("town_clerk").post("/rosters/import/", {"kind": "rooms"})
    assert response.status_code == 422
    assert 'class="errorlist' in response.content.decode()


def test_an_upload_over_the_cap_is_refused_with_the_limit_beside_the_field(english_client, settings):
    settings.ROSTER_MAX_UPLOAD_BYTES = 1024
    response = _upload(english_client("town_clerk"), "rooms", b"PK\x03\x04" + b"\0" * 4096)
    assert response.status_code == 422
    assert "The file is larger than 1.0\xa0KB; split it into several files." in response.content.decode()
