"""Role × endpoint × stage on people: every persona opening, finding and registering a person, through the API and the
pages. 404: a person outside the viewer's scope, exactly as one who does not exist (and the person list to anyone
without a staff scope); 401 / the login page: nobody logged in; 422: a registration the rules refuse (an ID number
already registered, wherever, or a wrong one), nothing written; 200/201: done. Whoever may open a person sees the ID
and phone numbers masked, unless it is the city administrator or the person themselves.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest

from jiayuan.core.identity import make_id_number
from jiayuan.core.models import AuditEntry, User
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people import services as people_services
from jiayuan.people.models import Person
from jiayuan.testing import PASSWORD, PERSONAS, START

pytestmark = pytest.mark.django_db
API = "/api/v1/people"
_serial = itertools.count(700)
# The world's personas, an ordinary member of 金利花园业委会, the staff of another town (池店镇) and nobody at all.
EVERYONE = (*PERSONAS, "committee_member", "chidian_clerk", "anonymous")
NO_STAFF_SCOPE = {"resident", "department_staff"}
STAFF = [p for p in EVERYONE if p not in NO_STAFF_SCOPE | {"anonymous"}]
C0001_POSTS = {"branch_secretary", "committee_director", "committee_member", "property_manager", "building_head"}
QINGYANG_C0001 = {"city_admin", "town_clerk", "community_secretary"}  # the levels over 金利花园

# Whom each persona may open, by subject: 吴业主 owns a flat in 金利花园 (C0001, 青华社区, 青阳街道); 池业主 one in
# 南天裕 (C0003, 池店镇); 黄经理 manages 金利花园 for the property company; 陈镇员 is 青阳's town staff; 张科员 works in
# a city department. Everyone may open themselves besides.
SEES = {
    "resident": QINGYANG_C0001 | C0001_POSTS | {"resident"},
    "chidian_owner": {"city_admin", "chidian_clerk"},
    "property_manager": QINGYANG_C0001 | C0001_POSTS,
    "town_clerk": {"city_admin", "town_clerk"},
    "department_staff": {"city_admin", "department_staff"},
}
SUBJECTS = tuple(SEES)


def new_id() -> str:
    return make_id_number("350582", dt.date(1991, 6, 1), next(_serial))


@pytest.fixture(scope="module")
def cast(world, django_db_blocker):
    """The world, with 郑委员 (an ordinary member of 金利花园业委会), 池镇员 (the staff of 池店镇, another town) and 池业主,
    who owns a flat in 南天裕 (C0003) and nothing in 青阳."""
    with django_db_blocker.unblock():
        office = org_services.organisation_create(
            actor=None, kind=Organisation.Kind.TOWN_OFFICE, name="池店镇党委", town=world.chidian, established_on=START
        )
        for key, name, organisation, role in (
            ("committee_member", "郑委员", world.committee_a, Post.Role.COMMITTEE_MEMBER),
            ("chidian_clerk", "池镇员", office, Post.Role.TOWN_CLERK),
        ):
            person = people_services.person_create(
                actor=None, name=name, id_number=new_id(), phone=f"1380000{next(_serial):04d}"
            )
            org_services.post_assign(actor=None, person=person, organisation=organisation, role=role, start_date=START)
            world.people[key] = person
            world.users[key] = User.objects.create_user(username=key, password=PASSWORD, person=person)
        owner = people_services.person_create(
            actor=None, name="池业主", id_number=new_id(), phone=f"1370000{next(_serial):04d}"
        )
        people_services.ownership_add(actor=None, room=world.rooms_b[0], person=owner, start_date=START)
        world.people["chidian_owner"] = owner
    return world


@pytest.fixture
def caller(cast, client):
    def login(persona):
        client.cookies["django_language"] = "en"
        if persona != "anonymous":
            client.force_login(cast.users[persona])
        return client

    return login


def sees(persona: str, subject: str) -> bool:
    return persona in SEES[subject] or persona == subject


def clear(persona: str, subject: str) -> bool:
    """ID and phone numbers in clear: the city administrator, and a person looking at themselves."""
    return persona == "city_admin" or persona == subject


def counts() -> tuple[int, int]:
    return Person.objects.count(), AuditEntry.objects.count()


CELLS = [(persona, subject) for persona in EVERYONE for subject in SUBJECTS]
CELL_IDS = [f"{persona}-opens-{subject}" for persona, subject in CELLS]


# --- Opening a person ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "subject"), CELLS, ids=CELL_IDS)
def test_the_api_opens_a_person_in_scope_masked_and_answers_404_outside_it(cast, caller, persona, subject):
    person = cast.people[subject]
    response = caller(persona).get(f"{API}/{person.pk}")
    if persona == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == (200 if sees(persona, subject) else 404), response.content
    if response.status_code == 404:
        assert response.json() == caller(persona).get(f"{API}/999999").json()  # as for nobody at all
        return
    body = response.json()
    shown = (
        (person.id_number, person.phone) if clear(persona, subject) else (person.masked_id_number, person.masked_phone)
    )
    assert (body["id_number"], body["phone"]) == shown
    assert body["personal_data_shown"] == clear(persona, subject)
    assert (body["birth_date"] is None) == (not clear(persona, subject))  # the birth date is part of the ID number


@pytest.mark.parametrize(("persona", "subject"), CELLS, ids=CELL_IDS)
def test_the_person_page_opens_in_scope_masked_and_answers_404_outside_it(cast, caller, persona, subject):
    person = cast.people[subject]
    response = caller(persona).get(f"/people/{person.pk}/")
    if persona == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        return
    assert response.status_code == (200 if sees(persona, subject) else 404)
    if response.status_code == 200:
        html = response.content.decode()
        assert person.name in html
        assert (person.id_number in html, person.phone in html) == (clear(persona, subject),) * 2
        assert (person.masked_id_number in html) == (not clear(persona, subject))


# --- Finding people ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "subject"), CELLS, ids=[i.replace("-opens-", "-searches-") for i in CELL_IDS])
def test_the_api_list_finds_a_person_by_id_number_only_inside_the_scope(cast, caller, persona, subject):
    """The list is never a 404 (to a resident it holds themselves): it holds nobody outside the scope."""
    person = cast.people[subject]
    response = caller(persona).get(API, {"q": person.id_number})
    if persona == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["id"] for item in items] == ([person.pk] if sees(persona, subject) else [])
    for item in items:
        assert item["personal_data_shown"] == clear(persona, subject)
        assert item["id_number"] == (person.id_number if clear(persona, subject) else person.masked_id_number)


@pytest.mark.parametrize("persona", EVERYONE)
def test_the_person_list_page_is_for_staff_scopes_and_lists_only_whom_they_may_open(cast, caller, persona):
    response = caller(persona).get("/people/", {"q": ""})
    if persona == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        return
    assert response.status_code == (404 if persona in NO_STAFF_SCOPE else 200)
    if response.status_code == 200:
        listed = {p.pk for p in response.context["page_obj"].object_list}
        for subject in SUBJECTS:
            assert (cast.people[subject].pk in listed) == sees(persona, subject), subject
        html = response.content.decode()
        resident = cast.people["resident"]
        if sees(persona, "resident"):
            assert (resident.id_number in html) == clear(persona, "resident")


# --- Registering a person ----------------------------------------------------------------------------------


def register(client, **data):
    body = {"name": "郑新人", "phone": "13812345678", **data}
    return client.post(API, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("persona", EVERYONE)
def test_every_staff_scope_registers_a_person_and_nobody_else_writes_one(cast, caller, persona):
    before = counts()
    id_number = new_id()
    response = register(caller(persona), id_number=id_number)
    status = 401 if persona == "anonymous" else 404 if persona in NO_STAFF_SCOPE else 201
    assert response.status_code == status, response.content
    if status != 201:
        assert counts() == before
        return
    person = Person.objects.get(pk=response.json()["id"])
    assert person.id_number == id_number
    assert counts() == (before[0] + 1, before[1] + 1)  # the person and its audit row
    body = response.json()
    assert (body["id_number"], body["phone"]) == (
        (id_number, "13812345678") if persona == "city_admin" else (person.masked_id_number, person.masked_phone)
    )


# (who, what is registered, status): the stage of an ID number. One already registered is refused in the same words
# whether its holder is inside the registrant's scope or outside it, so the answer does not tell where they are.
REGISTER_CASES = [
    ("town_clerk", "new", 201),
    ("town_clerk", "in_scope", 422),  # 吴业主, an owner in 青阳
    ("town_clerk", "out_of_scope", 422),  # 池业主, an owner in 池店
    ("town_clerk", "wrong_checksum", 422),
    ("property_manager", "in_scope", 422),
    ("property_manager", "out_of_scope", 422),
    ("chidian_clerk", "in_scope", 422),  # 吴业主 is out of 池店's scope
    ("chidian_clerk", "new", 201),
    ("city_admin", "in_scope", 422),
    ("resident", "in_scope", 404),
    ("department_staff", "new", 404),
]


def id_for(cast, what: str) -> str:
    if what == "in_scope":
        return cast.people["resident"].id_number
    if what == "out_of_scope":
        return cast.people["chidian_owner"].id_number
    good = new_id()
    return good if what == "new" else good[:17] + ("0" if good[-1] != "0" else "1")


@pytest.mark.parametrize(
    ("persona", "what", "status"), REGISTER_CASES, ids=[f"{p}-registers-{w}" for p, w, _ in REGISTER_CASES]
)
def test_a_registration_answers_by_persona_and_id_number_and_writes_nothing_when_refused(
    cast, caller, persona, what, status
):
    before = counts()
    response = register(caller(persona), id_number=id_for(cast, what))
    assert response.status_code == status, response.content
    assert counts() == ((before[0] + 1, before[1] + 1) if status == 201 else before)
    if status == 422:
        [error] = response.json()["detail"]
        assert error["field"] == "id_number"
        if what in ("in_scope", "out_of_scope"):
            assert error["message"] == "A person with this ID number is already registered."
