"""/api/v1/rosters: import returns counts or 422 with every problem; template downloads; staff only."""

import io

from openpyxl import load_workbook

from jiayuan.places.models import Room
from jiayuan.rosters.definitions import ROSTERS

from .helpers import roster_file


def _post(client, kind, content):
    upload = io.BytesIO(content)
    upload.name = "roster.xlsx"
    return client.post(f"/api/v1/rosters/{kind}/import", {"file": upload})


def test_an_api_import_returns_the_counts(as_role):
    content = roster_file("rooms", ["C0001", "2号楼", "1单元", "101", 1, 90, "登记面积"])
    response = _post(as_role("town_clerk"), "rooms", content)
    assert response.status_code == 200
    assert response.json() == {"imported": {"buildings": 1, "units": 1, "rooms": 1}}


def test_an_api_import_with_problems_answers_422_and_writes_nothing(as_role):
    content = roster_file(
        "rooms",
        ["C0001", "2号楼", "1单元", "101", 1, "abc", "登记面积"],
        ["C0003", "2号楼", "1单元", "102", 1, 90, "登记面积"],
    )
    before = Room.objects.count()
    response = _post(as_role("town_clerk"), "rooms", content)
    assert response.status_code == 422
    errors = response.json()["detail"]  # the API's documented error shape, with the cell's place
    assert [(e["row"], e["column"], e["value"]) for e in errors] == [
        (2, "专有面积(㎡)", "abc"),
        (3, "小区编码", "C0003"),
    ]
    assert all(e["message"] and e["field"] == e["column"] for e in errors)
    assert Room.objects.count() == before


def test_an_api_import_of_a_non_excel_file_answers_422(as_role):
    response = _post(as_role("town_clerk"), "owners", b"\x89PNG\r\n\x1a\n")
    assert response.status_code == 422
    [error] = response.json()["detail"]  # the documented shape: the field (the upload) and the reason
    assert (error["field"], error["row"], error["column"]) == ("file", None, "")
    assert ".xlsx" in error["message"]


def test_an_unknown_roster_answers_404(as_role):
    assert _post(as_role("town_clerk"), "secrets", b"").status_code == 404


def test_residents_cannot_import_or_download_templates_through_the_api(as_role):
    client = as_role("resident")
    assert _post(client, "rooms", roster_file("rooms")).status_code == 404
    assert client.get("/api/v1/rosters/rooms/template").status_code == 404


def test_the_api_serves_the_template(as_role):
    response = as_role("community_secretary").get("/api/v1/rosters/committee_members/template")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == ROSTERS["committee_members"].headers


def test_the_api_exports_within_scope(as_role):
    response = as_role("community_secretary").get("/api/v1/rosters/compounds/export")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["C0001"]


def test_an_api_upload_over_the_cap_is_refused_before_it_is_read(as_role, settings):
    """The issue's reproduction: a 30 MB random file was read into memory before it was refused."""
    import os

    settings.ROSTER_MAX_UPLOAD_BYTES = 1024 * 1024
    response = _post(as_role("town_clerk"), "owners", os.urandom(2 * 1024 * 1024))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["file"]


def test_a_shared_strings_bomb_is_refused_without_being_expanded(as_role, settings):
    """The issue's reproduction: a small .xlsx whose shared strings expand far beyond its size."""
    import io
    import zipfile

    settings.ROSTER_MAX_PART_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>" + "业" * 4_000_000 + "</t></si></sst>")
    assert len(buffer.getvalue()) < 200_000
    response = _post(as_role("town_clerk"), "owners", buffer.getvalue())
    assert response.status_code == 422
    assert response.json()["detail"][0]["row"] is None


def test_a_request_body_over_the_platform_cap_answers_413_before_it_is_read(as_role, settings):
    settings.MAX_REQUEST_BYTES = 1024
    response = _post(as_role("town_clerk"), "owners", b"x" * 4096)
    assert response.status_code == 413
    assert response.json()["detail"][0]["message"]
