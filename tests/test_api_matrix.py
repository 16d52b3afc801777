"""The API's permission matrix: every persona × every endpoint, exact status and exact rows.

What each persona may see is written out here by hand, from the persona world in
jiayuan/testing.py (Qingyang holds compounds C0001 and C0002, Chidian holds C0003;
the compound staff all work in C0001; the resident owns the first room of C0001).
"""

from __future__ import annotations

import json

import pytest

from jiayuan.places.models import Compound, Room
from jiayuan.testing import PERSONAS

pytestmark = pytest.mark.django_db

API = "/api/v1"

# Objects by a short key -> how to find them in the world.
TOWNS = {"qingyang": lambda w: w.qingyang, "chidian": lambda w: w.chidian}
COMMUNITIES = {"a": lambda w: w.community_a, "b": lambda w: w.community_b, "c": lambda w: w.community_c}
COMPOUNDS = {"C0001": lambda w: w.compound_a, "C0002": lambda w: w.compound_a2, "C0003": lambda w: w.compound_b}
BUILDINGS = {"C0001": lambda w: w.building_a, "C0002": lambda w: w.building_a2, "C0003": lambda w: w.building_b}
ROOMS = {
    "own": lambda w: w.rooms_a[0],  # the resident's room in C0001
    "C0001": lambda w: w.rooms_a[1],
    "C0002": lambda w: w.rooms_a2[0],
    "C0003": lambda w: w.rooms_b[0],
}
PEOPLE = {name: (lambda w, name=name: w.people[name]) for name in PERSONAS}
ORGANISATIONS = {
    name: (lambda w, name=name: getattr(w, name))
    for name in (
        "city_office",
        "town_office",
        "community_party",
        "branch_a",
        "branch_b",
        "committee_a",
        "company",
        "department",
    )
}

COMPOUND_STAFF = {"branch_secretary", "committee_director", "property_manager", "building_head"}
C0001_PEOPLE = COMPOUND_STAFF | {"resident"}
PUBLIC_ORGS = {"company", "department"}
C0001_ORGS = {"branch_a", "committee_a"}
COMPOUND_STAFF_VIEW = {
    "towns": set(),
    "communities": set(),
    "compounds": {"C0001"},
    "buildings": {"C0001"},
    "rooms": {"own", "C0001"},
    "people": C0001_PEOPLE,
    "organisations": PUBLIC_ORGS | C0001_ORGS,
}
VISIBLE = {
    "city_admin": {
        "towns": set(TOWNS),
        "communities": set(COMMUNITIES),
        "compounds": set(COMPOUNDS),
        "buildings": set(BUILDINGS),
        "rooms": set(ROOMS),
        "people": set(PEOPLE),
        "organisations": set(ORGANISATIONS),
    },
    "town_clerk": {
        "towns": {"qingyang"},
        "communities": {"a", "b"},
        "compounds": {"C0001", "C0002"},
        "buildings": {"C0001", "C0002"},
        "rooms": {"own", "C0001", "C0002"},
        "people": C0001_PEOPLE | {"town_clerk", "community_secretary"},
        "organisations": PUBLIC_ORGS | C0001_ORGS | {"town_office", "community_party"},
    },
    "community_secretary": {
        "towns": set(),
        "communities": {"a"},
        "compounds": {"C0001"},
        "buildings": {"C0001"},
        "rooms": {"own", "C0001"},
        "people": C0001_PEOPLE | {"community_secretary"},
        "organisations": PUBLIC_ORGS | C0001_ORGS | {"community_party"},
    },
    **{persona: COMPOUND_STAFF_VIEW for persona in COMPOUND_STAFF},
    "department_staff": {
        "towns": set(),
        "communities": set(),
        "compounds": set(),
        "buildings": set(),
        "rooms": set(),
        "people": {"department_staff"},
        "organisations": PUBLIC_ORGS,
    },
    "resident": {
        "towns": set(),
        "communities": set(),
        "compounds": set(),
        "buildings": set(),
        "rooms": {"own"},
        "people": {"resident"},
        "organisations": PUBLIC_ORGS | C0001_ORGS,
    },
}
EXPECTED_ROLE = {
    "city_admin": "city_admin",
    "town_clerk": "town_clerk",
    "community_secretary": "community_secretary",
    **{persona: "compound_staff" for persona in COMPOUND_STAFF},
    "department_staff": "department_staff",
    "resident": "resident",
}
# kind -> (objects, list URL or None, detail URL)
ENDPOINTS = {
    "towns": (TOWNS, "/places/towns", "/places/towns/{id}"),
    "communities": (COMMUNITIES, "/places/communities", "/places/communities/{id}"),
    "compounds": (COMPOUNDS, "/places/compounds", "/places/compounds/{id}"),
    "buildings": (BUILDINGS, None, "/places/buildings/{id}"),
    "rooms": (ROOMS, None, "/places/rooms/{id}"),
    "people": (PEOPLE, "/people", "/people/{id}"),
    "organisations": (ORGANISATIONS, "/organisations", "/organisations/{id}"),
}
# Lists that hang under a parent: URL -> (kind of the parent, what the list holds for a visible parent)
NESTED_LISTS = {
    "/places/compounds/{id}/buildings": ("compounds", lambda w, key: {BUILDINGS[key](w).pk}),
    "/places/buildings/{id}/rooms": (
        "buildings",
        lambda w, key: set(Room.objects.filter(unit__building=BUILDINGS[key](w)).values_list("pk", flat=True)),
    ),
}
# A compound's particulars and room areas (the weights of owners' votes) are changed by its community or
# town or the city; the compound's own posts see them (403) but may not change them.
MAY_EDIT_C0001 = {"city_admin", "town_clerk", "community_secretary"}


def ids_of(world, objects, keys):
    return {objects[key](world).pk for key in keys}


def get_list(client, url):
    response = client.get(f"{API}{url}", {"limit": 200})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"])
    return {item["id"] for item in body["items"]}


@pytest.fixture
def login(world, client):
    def as_persona(persona):
        client.force_login(world.users[persona])
        return client

    return as_persona


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", [kind for kind, (_, url, _) in ENDPOINTS.items() if url])
def test_each_list_holds_exactly_the_rows_in_the_personas_scope(world, login, persona, kind):
    objects, url, _ = ENDPOINTS[kind]
    assert get_list(login(persona), url) == ids_of(world, objects, VISIBLE[persona][kind])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", list(ENDPOINTS))
def test_each_detail_answers_200_in_scope_and_404_outside(world, login, persona, kind):
    objects, _, url = ENDPOINTS[kind]
    client = login(persona)
    statuses = {key: client.get(API + url.format(id=get(world).pk)).status_code for key, get in objects.items()}
    assert statuses == {key: 200 if key in VISIBLE[persona][kind] else 404 for key in objects}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", list(NESTED_LISTS))
def test_nested_lists_answer_only_under_a_visible_parent_and_hold_its_rows(world, login, persona, url):
    parent_kind, rows = NESTED_LISTS[url]
    client = login(persona)
    for key, get in ENDPOINTS[parent_kind][0].items():
        response = client.get(API + url.format(id=get(world).pk), {"limit": 200})
        if key in VISIBLE[persona][parent_kind]:
            assert response.status_code == 200, (key, response.content)
            assert {item["id"] for item in response.json()["items"]} == rows(world, key)
        else:
            assert response.status_code == 404, key


@pytest.mark.parametrize("persona", PERSONAS)
def test_me_names_the_account_its_person_and_its_role(world, login, persona):
    response = login(persona).get(f"{API}/me")
    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["person_name"], body["role"]) == (
        persona,
        world.people[persona].name,
        EXPECTED_ROLE[persona],
    )
    assert body["scope"]["visible_compound_count"] == len(VISIBLE[persona]["compounds"])


def _all_get_urls(world):
    urls = ["/me"]
    for objects, list_url, detail_url in ENDPOINTS.values():
        first = next(iter(objects.values()))(world)
        urls += [list_url] if list_url else []
        urls.append(detail_url.format(id=first.pk))
    urls += [url.format(id=world.compound_a.pk if "compounds" in url else world.building_a.pk) for url in NESTED_LISTS]
    return urls


def test_anonymous_gets_401_on_every_get_endpoint(world, client, db):
    statuses = {url: client.get(API + url).status_code for url in _all_get_urls(world)}
    assert statuses == {url: 401 for url in statuses}


def test_anonymous_gets_401_on_every_write_endpoint_and_nothing_changes(world, client, db):
    body = json.dumps({})
    writes = [
        ("patch", f"/places/compounds/{world.compound_a.pk}"),
        ("post", f"/places/rooms/{world.rooms_a[1].pk}/area"),
        ("post", "/people"),
        ("post", f"/organisations/{world.branch_a.pk}/posts"),
        ("post", "/organisations/committees"),
    ]
    statuses = {
        url: getattr(client, method)(API + url, body, content_type="application/json").status_code
        for method, url in writes
    }
    assert statuses == {url: 401 for _, url in writes}


def test_the_matrix_covers_every_get_path_the_api_publishes(world, client, db):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    published = {
        path.removeprefix(API)
        for path, operations in paths.items()
        if "get" in operations
        and path.startswith((f"{API}/places", f"{API}/people", f"{API}/organisations", f"{API}/me"))
    }
    covered = {"/me", *NESTED_LISTS}
    for _, list_url, detail_url in ENDPOINTS.values():
        covered |= {list_url, detail_url} - {None}
    assert published == covered


# --- writes ---------------------------------------------------------------------------


def _patch(client, compound, **changes):
    return client.patch(
        f"{API}/places/compounds/{compound.pk}",
        json.dumps({"reason": "更正", **changes}),
        content_type="application/json",
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_staff_over_c0001_may_patch_it(world, login, persona):
    response = _patch(login(persona), world.compound_a, name="金利花园（新）")
    name = Compound.objects.get(pk=world.compound_a.pk).name
    if persona in MAY_EDIT_C0001:
        assert response.status_code == 200, response.content
        assert name == "金利花园（新）"
    else:
        assert response.status_code == (403 if persona in COMPOUND_STAFF else 404)
        assert name == "金利花园"


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_city_admin_may_patch_a_compound_in_chidian(world, login, persona):
    response = _patch(login(persona), world.compound_b, year_built=2001)
    year = Compound.objects.get(pk=world.compound_b.pk).year_built
    assert (response.status_code, year) == ((200, 2001) if persona == "city_admin" else (404, 2010))


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_staff_over_c0001_may_correct_a_rooms_area_there_not_even_its_owner(world, login, persona):
    room = world.rooms_a[0]
    response = login(persona).post(
        f"{API}/places/rooms/{room.pk}/area",
        json.dumps({"area": "101.25", "area_source": "surveyed", "reason": "测绘更正"}),
        content_type="application/json",
    )
    area = str(Room.objects.get(pk=room.pk).area)
    if persona in MAY_EDIT_C0001:
        assert (response.status_code, area) == (200, "101.25")
    else:
        assert (response.status_code, area) == (403 if persona in COMPOUND_STAFF else 404, "90.50")
