"""Role × endpoint × stage on the rosters: every persona on every import, template and export, through the API and
the pages. 404: no staff scope (a resident, department staff); 401 / the login page: nobody logged in; 422: an
import refused whole, its rows outside what the importer may write (a compound of another town reads as an
unknown code, so nothing leaks) or one row wrong; 200: done. A refused import writes nothing at all, not even the
rows before the bad one.
"""

from __future__ import annotations

import io

import pytest

from jiayuan.core.models import AuditEntry, User
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people import services as people_services
from jiayuan.places.services import building_create
from jiayuan.rosters.definitions import ROSTERS
from jiayuan.rosters.selectors import EXPORT_TITLES
from jiayuan.testing import PASSWORD, PERSONAS, START, settle

from .helpers import counts, new_id, roster_file, sheet_rows

pytestmark = pytest.mark.django_db
API = "/api/v1/rosters"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The world's personas, an ordinary member of 金利花园业委会, the staff of another town (池店镇) and nobody at all.
EVERYONE = (*PERSONAS, "committee_member", "chidian_clerk", "anonymous")
NO_STAFF_SCOPE = {"resident", "department_staff"}
STAFF = [p for p in EVERYONE if p not in NO_STAFF_SCOPE | {"anonymous"}]
OVERSEERS = {"city_admin", "town_clerk", "community_secretary"}  # the community over 金利花园 and the levels above
TOWN_OR_CITY = {"city_admin", "town_clerk"}
BRANCH = OVERSEERS | {"branch_secretary"}  # who appoints in 金利花园's party branch
COMPOUND_POSTS = {"branch_secretary", "committee_director", "committee_member", "property_manager", "building_head"}
# Who may write each roster into 金利花园 (C0001): the compound map and its owners by its community or above, the
# party roster and building heads by the branch or above, committee members by the town or the city.
WRITERS = {
    "compounds": OVERSEERS,
    "rooms": OVERSEERS,
    "owners": OVERSEERS,
    "party_members": BRANCH,
    "building_heads": BRANCH,
    "committee_members": TOWN_OR_CITY,
}


@pytest.fixture(scope="module")
def cast(world, django_db_blocker):
    """The world, with 郑委员 (an ordinary member of 金利花园业委会) and 池镇员 (the staff of 池店镇, another town)."""
    with django_db_blocker.unblock():
        office = org_services.organisation_create(
            actor=None, kind=Organisation.Kind.TOWN_OFFICE, name="池店镇党委", town=world.chidian, established_on=START
        )
        for key, name, organisation, role in (
            ("committee_member", "郑委员", world.committee_a, Post.Role.COMMITTEE_MEMBER),
            ("chidian_clerk", "池镇员", office, Post.Role.TOWN_CLERK),
        ):
            person = people_services.person_create(actor=None, name=name, id_number=new_id())
            org_services.post_assign(actor=None, person=person, organisation=organisation, role=role, start_date=START)
            world.people[key] = person
            world.users[key] = User.objects.create_user(username=key, password=PASSWORD, person=person)
    return world


@pytest.fixture
def caller(cast, client):
    def login(persona):
        client.cookies["django_language"] = "en"
        if persona != "anonymous":
            client.force_login(cast.users[persona])
        return client

    return login


def good_row(kind: str) -> list:
    """One row each roster accepts from those who may write it into 金利花园 (C0001, community 青华社区)."""
    return {
        "compounds": ["C0101", "青华新苑", "350582001001", "青华路1号", "商品房", 2015, "物业公司"],
        "rooms": ["C0001", "2号楼", "1单元", "101", 1, 90, "登记面积"],
        "owners": ["C0001", "1号楼", "1单元", "102", "郑业主", new_id(), "13812345678", "2020-05-01"],
        "party_members": ["C0001", "党员甲", new_id(), "13912345678", "2001-07-01", "", "否", ""],
        "building_heads": ["C0001", "3号楼", "楼长甲", new_id(), "", "2024-03-01"],
        "committee_members": ["C0001", "委员甲", new_id(), "", "委员", "2024-06-01", ""],
    }[kind]


def bad_row(kind: str) -> list:
    """Another row of the same roster with one cell wrong (a type, a number, a date or a post that does not exist)."""
    return {
        "compounds": ["C0102", "青华二苑", "350582001001", "", "不对", "", "物业公司"],
        "rooms": ["C0001", "2号楼", "1单元", "102", 1, "不对", "登记面积"],
        "owners": ["C0001", "1号楼", "1单元", "201", "郑二", new_id(), "", "不对"],
        "party_members": ["C0001", "党员乙", new_id(), "", "不对", "", "否", ""],
        "building_heads": ["C0001", "4号楼", "楼长乙", new_id(), "", "不对"],
        "committee_members": ["C0001", "委员乙", new_id(), "", "不对", "2024-06-01", ""],
    }[kind]


def upload(content: bytes) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = "roster.xlsx"
    return file


def import_status(persona: str, kind: str) -> int:
    if persona == "anonymous":
        return 401
    if persona in NO_STAFF_SCOPE:
        return 404
    return 200 if persona in WRITERS[kind] else 422


def read_status(persona: str, *, page: bool) -> int:
    if persona == "anonymous":
        return 302 if page else 401
    return 404 if persona in NO_STAFF_SCOPE else 200


def batches() -> int:
    return AuditEntry.objects.filter(object_type="rosters.import").count()


# --- Imports ----------------------------------------------------------------------------------------------

# The owners' register (who votes, and the developer's unsold holding a first buyer ends) is the community's and
# above, never a compound post's (people.rules): the property company must not register the owners who vote on
# dismissing it. The party roster is the branch's and above.
IMPORT_CASES = [pytest.param(persona, kind, id=f"{persona}-imports-{kind}") for kind in ROSTERS for persona in EVERYONE]


@pytest.mark.parametrize(("persona", "kind"), IMPORT_CASES)
def test_an_api_import_answers_by_persona_and_writes_nothing_when_refused(cast, caller, persona, kind):
    building_create(actor=None, compound=cast.compound_a, number="3号楼")  # for the building head
    before, batches_before = counts(), batches()
    response = caller(persona).post(f"{API}/{kind}/import", {"file": upload(roster_file(kind, good_row(kind)))})
    status = import_status(persona, kind)
    assert response.status_code == status, response.content
    if status == 200:
        assert sum(response.json()["imported"].values()) >= 1
        assert batches() == batches_before + 1
    else:
        assert counts() == before
    if status == 422:
        [error] = response.json()["detail"]
        assert error["row"] == 2  # the row, not the file: out of scope reads as a row that cannot be written


@pytest.mark.parametrize(("persona", "kind"), IMPORT_CASES)
def test_a_page_upload_answers_by_persona_and_writes_nothing_when_refused(cast, caller, persona, kind):
    building_create(actor=None, compound=cast.compound_a, number="3号楼")
    before = counts()
    content = roster_file(kind, good_row(kind))
    client = caller(persona)
    response = settle(client, client.post("/rosters/import/", {"kind": kind, "file": upload(content)}))
    status = import_status(persona, kind)
    # The page runs the import as a job, whose page shows the row report of a refused file (200); an anonymous
    # visitor gets the login page.
    assert response.status_code == {401: 302, 422: 200}.get(status, status), response.content
    page = response.content.decode()
    if status == 200:
        assert 'data-testid="import-ok"' in page
        assert counts() != before
    else:
        assert counts() == before
        assert ('data-testid="import-errors"' in page) == (status == 422)


@pytest.mark.parametrize("stage", ["good", "one_bad_row"])
@pytest.mark.parametrize("kind", list(ROSTERS))
def test_one_bad_row_refuses_the_whole_file_even_from_those_who_may_write_it(cast, caller, kind, stage):
    """The stage of a file from the town (who may write every roster): its rows all good (200, written), or the same
    good row followed by one bad row (422, only the bad row reported and the good one not written either)."""
    for number in ("3号楼", "4号楼"):
        building_create(actor=None, compound=cast.compound_a, number=number)
    rows = [good_row(kind)] + ([bad_row(kind)] if stage == "one_bad_row" else [])
    before, batches_before = counts(), batches()
    response = caller("town_clerk").post(f"{API}/{kind}/import", {"file": upload(roster_file(kind, *rows))})
    if stage == "good":
        assert response.status_code == 200, response.content
        assert counts() != before and batches() == batches_before + 1
    else:
        assert response.status_code == 422, response.content
        assert [error["row"] for error in response.json()["detail"]] == [3]
        assert counts() == before and batches() == batches_before


@pytest.mark.parametrize("persona", sorted(OVERSEERS | {"chidian_clerk"}))
def test_a_row_in_another_town_refuses_the_file_like_an_unknown_compound(cast, caller, persona):
    """南天裕 (C0003) is in 池店镇: only the city and 池店镇's own staff may register its rooms."""
    content = roster_file("rooms", ["C0003", "2号楼", "1单元", "101", 1, 90, "登记面积"])
    before = counts()
    response = caller(persona).post(f"{API}/rooms/import", {"file": upload(content)})
    expected = 200 if persona in {"city_admin", "chidian_clerk"} else 422
    assert response.status_code == expected, response.content
    assert (counts() == before) == (expected == 422)


# --- Templates and exports ----------------------------------------------------------------------------------

READS = ("api-template", "api-export", "page-index", "page-import", "page-template", "page-export")


def read_urls(endpoint: str) -> list[str]:
    return {
        # Every template is the same file for every staff scope (each is opened in test_pages): one stands for all.
        "api-template": [f"{API}/owners/template"],
        "api-export": [f"{API}/{kind}/export" for kind in EXPORT_TITLES],
        "page-index": ["/rosters/"],
        "page-import": ["/rosters/import/"],
        "page-template": ["/rosters/template/owners.xlsx"],
        "page-export": [f"/rosters/export/{kind}.xlsx" for kind in EXPORT_TITLES],
    }[endpoint]


@pytest.mark.parametrize("endpoint", READS)
@pytest.mark.parametrize("persona", EVERYONE)
def test_templates_exports_and_pages_open_to_every_staff_scope_only(cast, caller, persona, endpoint):
    client = caller(persona)
    page = endpoint.startswith("page")
    for url in read_urls(endpoint):
        response = settle(client, client.get(url))  # a page's export is a job: its file
        status = read_status(persona, page=page)
        if endpoint == "page-import" and status == 200:
            status = 302  # the upload form lives on the index page
        assert response.status_code == status, (url, response.content[:200])
        if status == 302:
            assert response["Location"].startswith("/rosters/" if persona != "anonymous" else "/login/")
        if status == 200 and url.endswith(("export", ".xlsx", "template")):
            assert response["Content-Type"] == XLSX
            assert sheet_rows(response.content)[0]  # a workbook with its header row


# Which compounds each staff scope exports: its own and nothing beyond.
COMPOUNDS_SEEN = {
    "city_admin": {"C0001", "C0002", "C0003"},
    "town_clerk": {"C0001", "C0002"},
    "community_secretary": {"C0001"},
    "chidian_clerk": {"C0003"},
    **{persona: {"C0001"} for persona in COMPOUND_POSTS},
}


@pytest.mark.parametrize("persona", STAFF)
def test_an_export_holds_only_the_rows_in_the_viewers_scope(cast, caller, persona):
    client = caller(persona)
    compounds = sheet_rows(client.get(f"{API}/compounds/export").content)[1:]
    assert {row[0] for row in compounds} == COMPOUNDS_SEEN[persona]
    rooms = sheet_rows(client.get(f"{API}/rooms/export").content)[1:]
    assert {row[0] for row in rooms} == COMPOUNDS_SEEN[persona]
    owners = sheet_rows(client.get(f"{API}/owners/export").content)[1:]
    assert [row[4] for row in owners] == (["吴业主"] if "C0001" in COMPOUNDS_SEEN[persona] else [])


@pytest.mark.parametrize("persona", STAFF)
def test_an_export_shows_id_and_phone_in_clear_only_to_the_city_and_to_the_person_themselves(cast, caller, persona):
    rows = sheet_rows(caller(persona).get(f"{API}/people/export").content)[1:]
    by_name = {row[0]: row for row in rows}
    for key, person in cast.people.items():
        row = by_name.get(person.name)
        if row is None:
            continue
        clear = persona == "city_admin" or key == persona
        shown = (person.id_number, person.phone) if clear else (person.masked_id_number, person.masked_phone)
        assert (row[1] or "", row[2] or "") == shown, person.name
    assert cast.people[persona].name in by_name  # everyone exports their own row
    assert (cast.people["resident"].name in by_name) == ("C0001" in COMPOUNDS_SEEN[persona])


# (who, filter, status): a filter naming a place outside the viewer's scope is a 404, as the place itself is.
FILTER_CASES = [
    ("town_clerk", {"compound": "C0001"}, 200),
    ("town_clerk", {"compound": "C0003"}, 404),
    ("town_clerk", {"town": "350582101"}, 404),
    ("community_secretary", {"community": "350582001002"}, 404),
    ("property_manager", {"compound": "C0001"}, 200),
    ("property_manager", {"compound": "C0002"}, 404),
    ("chidian_clerk", {"compound": "C0001"}, 404),
    ("chidian_clerk", {"town": "350582101"}, 200),
    ("city_admin", {"compound": "C0003"}, 200),
]


@pytest.mark.parametrize(
    ("persona", "params", "status"), FILTER_CASES, ids=[f"{p}-{list(f.values())[0]}" for p, f, _ in FILTER_CASES]
)
def test_an_export_filtered_by_a_place_outside_the_scope_is_a_404(cast, caller, persona, params, status):
    client = caller(persona)
    for url in (f"{API}/compounds/export", "/rosters/export/compounds.xlsx"):
        response = settle(client, client.get(url, params))
        assert response.status_code == status, url
        if status == 200:
            codes = {row[0] for row in sheet_rows(response.content)[1:]}
            assert codes and codes <= COMPOUNDS_SEEN[persona]
