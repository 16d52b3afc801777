"""The appeals API's permission matrix: every persona × every endpoint, exact status and exact rows.

Four appeals, made once for the module on top of the persona world (jiayuan/testing.py):
- "own":   the resident's own report in C0001 (金利花园, 青华社区, Qingyang), still received;
- "dept":  a hotline report in C0001 that the community whistled to 晋江市住建局 (world.department,
           where department_staff works);
- "C0002": a reception-desk report in C0002 (宝龙世家, 晓升社区, Qingyang);
- "C0003": a hotline report in C0003 (南天裕, Chidian), which only the city administrator sees.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from jiayuan.appeals import services
from jiayuan.appeals.models import Appeal, Category, Notification
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation
from jiayuan.testing import PERSONAS, START

pytestmark = pytest.mark.django_db

API = "/api/v1/appeals"
PHONE = "13905957788"
COMPOUND_STAFF = {"branch_secretary", "committee_director", "property_manager", "building_head"}
ALL = {"own", "dept", "C0002", "C0003"}
VISIBLE = {
    "city_admin": ALL,
    "town_clerk": {"own", "dept", "C0002"},
    "community_secretary": {"own", "dept"},
    **{persona: {"own", "dept"} for persona in COMPOUND_STAFF},
    "department_staff": {"dept"},
    "resident": {"own"},
}
# The contact phone of "own" in clear: its reporter and the city administrator.
SEES_CONTACT = {"city_admin", "resident"}


@pytest.fixture(scope="module")
def appeals(world, django_db_blocker):
    with django_db_blocker.unblock():
        repair = Category.Kind.REPAIR
        top = Category.objects.create(code="TM", name="公共设施", kind=repair)
        leaf = Category.objects.create(
            code="TM0101",
            name="路灯损坏",
            kind=repair,
            parent=Category.objects.create(code="TM01", name="照明", parent=top, kind=repair),
        )
        org_services.organisation_create(
            actor=None,
            kind=Organisation.Kind.COMPOUND_BRANCH,
            name="宝龙世家党支部",
            community=world.community_b,
            established_on=START,
            compounds=[world.compound_a2],
        )
        users = world.users

        def submit(actor, channel, compound, **extra):
            return services.appeal_submit(
                actor=actor,
                channel=channel,
                category=leaf,
                title="路灯不亮",
                description="小区东门路灯坏了",
                compound=compound,
                **extra,
            )

        own = submit(
            users["resident"], Appeal.Channel.RESIDENT, world.compound_a, room=world.rooms_a[0], contact_phone=PHONE
        )
        dept = submit(
            users["property_manager"],
            Appeal.Channel.HOTLINE,
            world.compound_a,
            contact_name="郑阿姨",
            contact_phone="13905950000",
        )
        dept = services.appeal_dispatch(actor=users["property_manager"], appeal=dept)
        dept = services.appeal_dispatch(actor=users["community_secretary"], appeal=dept, department=world.department)
        by_key = {
            "own": own,
            "dept": dept,
            "C0002": submit(users["town_clerk"], Appeal.Channel.RECEPTION, world.compound_a2),
            "C0003": submit(users["city_admin"], Appeal.Channel.HOTLINE, world.compound_b),
        }
        notes = {
            persona: Notification.objects.create(user=users[persona], appeal=own, message=persona).pk
            for persona in PERSONAS
        }
        return SimpleNamespace(by_key=by_key, notes=notes, root_id=top.pk)


def ids_of(appeals, keys) -> set[int]:
    return {appeals.by_key[key].pk for key in keys}


def items(response) -> set[int]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"])
    return {item["id"] for item in body["items"]}


@pytest.fixture
def login(world, appeals, client):
    def as_persona(persona):
        client.force_login(world.users[persona])
        return client

    return as_persona


# --- reads -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_holds_exactly_the_appeals_in_the_personas_scope(appeals, login, persona):
    assert items(login(persona).get(API, {"limit": 200})) == ids_of(appeals, VISIBLE[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_open_list_of_each_persona_is_the_same_scope(appeals, login, persona):
    assert items(login(persona).get(API, {"open": True, "limit": 200})) == ids_of(appeals, VISIBLE[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_detail_answers_200_in_scope_and_404_outside(appeals, login, persona):
    client = login(persona)
    statuses = {key: client.get(f"{API}/{appeal.pk}").status_code for key, appeal in appeals.by_key.items()}
    assert statuses == {key: 200 if key in VISIBLE[persona] else 404 for key in ALL}


@pytest.mark.parametrize("persona", [p for p in PERSONAS if "own" in VISIBLE[p]])
def test_the_contact_phone_is_in_clear_only_for_the_reporter_and_the_city_admin(appeals, login, persona):
    body = login(persona).get(f"{API}/{appeals.by_key['own'].pk}").json()
    expected = (PHONE, True) if persona in SEES_CONTACT else ("139****7788", False)
    assert (body["contact_phone"], body["contact_shown"]) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_open_work_holds_the_departments_order_for_its_staff_only(appeals, login, persona):
    expected = {"dept"} if persona == "department_staff" else set()
    assert items(login(persona).get(f"{API}/work")) == ids_of(appeals, expected)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_named_departments_work_is_for_its_staff_and_the_city_admin_only(world, appeals, login, persona):
    response = login(persona).get(f"{API}/work", {"department": world.department.pk})
    if persona in {"department_staff", "city_admin"}:
        assert items(response) == ids_of(appeals, {"dept"})
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_logged_in_reads_the_same_category_tree(appeals, login, persona):
    response = login(persona).get(f"{API}/categories")
    assert response.status_code == 200
    ours = [root for root in response.json() if root["id"] == appeals.root_id]
    assert [(c["code"], [g["code"] for g in c["children"]]) for root in ours for c in root["children"]] == [
        ("TM01", ["TM0101"])
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_notifications_hold_exactly_the_personas_own(appeals, login, persona):
    assert items(login(persona).get(f"{API}/notifications")) == {appeals.notes[persona]}


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_persona_marks_only_its_own_notification_read(appeals, login, persona):
    client = login(persona)
    statuses = {other: client.post(f"{API}/notifications/{pk}/read").status_code for other, pk in appeals.notes.items()}
    assert statuses == {other: 200 if other == persona else 404 for other in PERSONAS}
    assert set(Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True)) == {
        appeals.notes[persona]
    }


def _get_urls(world, appeals):
    return [API, f"{API}/{appeals.by_key['own'].pk}", f"{API}/work", f"{API}/categories", f"{API}/notifications"]


def test_anonymous_gets_401_on_every_get_endpoint(world, appeals, client):
    statuses = {url: client.get(url).status_code for url in _get_urls(world, appeals)}
    assert statuses == {url: 401 for url in statuses}


def test_anonymous_gets_401_on_every_write_endpoint_and_nothing_changes(world, appeals, client):
    own = appeals.by_key["own"]
    responses = {
        "create": client.post(
            API, {"category": "TM0101", "title": "x", "description": "x", "compound": world.compound_a.pk}
        ),
        "accept": client.post(
            f"{API}/{own.pk}/actions/accept", json.dumps({"version": 1}), content_type="application/json"
        ),
        "read": client.post(f"{API}/notifications/{appeals.notes['resident']}/read"),
    }
    assert {name: r.status_code for name, r in responses.items()} == {name: 401 for name in responses}
    assert (Appeal.objects.count(), Appeal.objects.get(pk=own.pk).status) == (4, "received")
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_the_matrix_covers_every_appeals_path_the_api_publishes(world, appeals, client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    published = {(path, method) for path, operations in paths.items() if path.startswith(API) for method in operations}
    assert published == {
        (API, "get"),
        (API, "post"),
        (f"{API}/{{id}}", "get"),
        (f"{API}/work", "get"),
        (f"{API}/categories", "get"),
        (f"{API}/notifications", "get"),
        (f"{API}/notifications/{{id}}/read", "post"),
        (f"{API}/{{id}}/actions/{{action}}", "post"),
        (f"{API}/{{id}}/public", "post"),
    }


# Making "own" public: staff over C0001 and its reporter; the department never saw it.
PUBLISH_OWN = {
    **{persona: 200 for persona in {"city_admin", "town_clerk", "community_secretary", "resident"} | COMPOUND_STAFF},
    "department_staff": 404,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_making_an_appeal_public_is_for_staff_over_its_compound_and_its_reporter(appeals, login, persona):
    own = appeals.by_key["own"]
    response = login(persona).post(
        f"{API}/{own.pk}/public", json.dumps({"public": True}), content_type="application/json"
    )
    assert response.status_code == PUBLISH_OWN[persona], response.content
    assert Appeal.objects.get(pk=own.pk).public == (response.status_code == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_making_an_appeal_in_chidian_public_is_for_the_city_admin_only(appeals, login, persona):
    far = appeals.by_key["C0003"]
    response = login(persona).post(
        f"{API}/{far.pk}/public", json.dumps({"public": True}), content_type="application/json"
    )
    assert response.status_code == (200 if persona == "city_admin" else 404)


# --- writes ---------------------------------------------------------------------------------------


def _act(client, appeal, action, **body):
    return client.post(f"{API}/{appeal.pk}/actions/{action}", json.dumps(body), content_type="application/json")


ACCEPT_C0001 = {
    **{persona: 200 for persona in {"city_admin", "town_clerk", "community_secretary"} | COMPOUND_STAFF},
    "building_head": 403,  # sees it, reports and follows; the street lamp is a repair for the company
    "resident": 403,  # the reporter sees it, but accepting is the compound's job
    "department_staff": 404,  # never sent to the department: not visible
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_accepting_a_received_appeal_in_c0001_is_for_staff_over_c0001(appeals, login, persona):
    own = appeals.by_key["own"]
    response = _act(login(persona), own, "accept", version=own.version)
    assert response.status_code == ACCEPT_C0001[persona], response.content
    after = Appeal.objects.get(pk=own.pk)
    if response.status_code == 200:
        assert (response.json()["status"], response.json()["version"]) == ("accepted", own.version + 1)
        assert (after.status, after.version) == ("accepted", own.version + 1)
    else:
        assert (after.status, after.version) == ("received", own.version)


@pytest.mark.parametrize("persona", PERSONAS)
def test_accepting_an_appeal_in_chidian_is_for_the_city_admin_only(appeals, login, persona):
    far = appeals.by_key["C0003"]
    response = _act(login(persona), far, "accept", version=far.version)
    assert response.status_code == (200 if persona == "city_admin" else 404)
    assert Appeal.objects.get(pk=far.pk).status == ("accepted" if persona == "city_admin" else "received")


START_AT_DEPARTMENT = {
    "city_admin": 200,
    "department_staff": 200,
    **{persona: 403 for persona in {"town_clerk", "community_secretary"} | COMPOUND_STAFF},  # visible, not theirs
    "resident": 404,  # not the reporter of the hotline report
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_starting_work_on_a_whistled_order_is_for_the_department(appeals, login, persona):
    dept = appeals.by_key["dept"]
    response = _act(login(persona), dept, "start", version=dept.version)
    assert response.status_code == START_AT_DEPARTMENT[persona], response.content
    assert Appeal.objects.get(pk=dept.pk).status == ("in_progress" if response.status_code == 200 else "dispatched")
