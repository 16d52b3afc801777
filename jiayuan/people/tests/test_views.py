"""The people pages: scoped list and search, masked personal data, posts, ownerships and party membership."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from jiayuan.core.identity import make_id_number
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Post
from jiayuan.people import services as people_services
from jiayuan.testing import START

pytestmark = pytest.mark.django_db
_serial = itertools.count(400)


def url(name, *args):
    return reverse(f"people:{name}", args=args)


def names(response):
    return [person.name for person in response.context["page_obj"].object_list]


@pytest.fixture
def chidian_owner(world):
    """Someone who owns a flat in Chidian only: outside every persona's scope but the city admin's."""
    actor = world.users["city_admin"]
    owner = people_services.person_create(
        actor=actor,
        name="池业主",
        id_number=make_id_number("350582", dt.date(1970, 8, 8), next(_serial)),
        phone=f"1370000{next(_serial):04d}",
    )
    people_services.ownership_add(actor=actor, room=world.rooms_b[0], person=owner, start_date=START)
    return owner


def test_anonymous_visitor_is_sent_to_login(client, world):
    for target in (url("person_list"), url("person_detail", world.people["resident"].pk)):
        response = client.get(target)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_town_clerk_lists_the_people_of_their_town_only(as_role, world, chidian_owner):
    response = as_role("town_clerk").get(url("person_list"))
    assert response.status_code == 200
    listed = names(response)
    assert "吴业主" in listed and "邱书记" in listed and "陈镇员" in listed
    assert "池业主" not in listed
    assert "池业主" in names(as_role("city_admin").get(url("person_list")))


def test_community_secretary_does_not_list_people_of_another_community(as_role, world):
    listed = names(as_role("community_secretary").get(url("person_list")))
    assert "吴业主" in listed
    assert "陈镇员" not in listed


@pytest.mark.parametrize("persona", ["resident", "department_staff"])
def test_residents_and_department_staff_get_404_on_the_person_list(as_role, world, persona):
    assert as_role(persona).get(url("person_list")).status_code == 404


def test_person_list_searches_by_name_and_by_a_whole_id_or_phone_number(as_role, world):
    client = as_role("town_clerk")
    resident = world.people["resident"]
    assert names(client.get(url("person_list"), {"q": "吴"})) == ["吴业主"]
    assert names(client.get(url("person_list"), {"q": resident.id_number})) == ["吴业主"]
    assert names(client.get(url("person_list"), {"q": resident.phone})) == ["吴业主"]
    assert names(client.get(url("person_list"), {"q": resident.id_number[:10]})) == []


def test_person_list_links_the_excel_export_with_the_search(as_role, world):
    html = as_role("town_clerk").get(url("person_list"), {"q": "吴"}).content.decode()
    assert "/rosters/export/people.xlsx?q=%E5%90%B4" in html


def test_person_list_masks_numbers_for_a_town_clerk(as_role, world):
    resident = world.people["resident"]
    html = as_role("town_clerk").get(url("person_list")).content.decode()
    assert resident.masked_id_number in html and resident.masked_phone in html
    assert resident.id_number not in html and resident.phone not in html


def test_person_list_shows_numbers_to_the_city_admin(as_role, world):
    resident = world.people["resident"]
    html = as_role("city_admin").get(url("person_list")).content.decode()
    assert resident.id_number in html and resident.phone in html


def test_person_page_masks_id_and_phone_for_a_town_clerk(as_role, world):
    resident = world.people["resident"]
    response = as_role("town_clerk").get(url("person_detail", resident.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert resident.masked_id_number in html and resident.masked_phone in html
    assert resident.id_number not in html and resident.phone not in html
    assert resident.birth_date.isoformat() not in html


def test_person_page_shows_id_and_phone_to_the_city_admin(as_role, world):
    resident = world.people["resident"]
    html = as_role("city_admin").get(url("person_detail", resident.pk)).content.decode()
    assert resident.id_number in html and resident.phone in html


def test_person_sees_their_own_numbers_in_clear(as_role, world):
    me = world.people["town_clerk"]
    html = as_role("town_clerk").get(url("person_detail", me.pk)).content.decode()
    assert me.id_number in html and me.phone in html


def test_resident_opens_their_own_page_but_nobody_elses(as_role, world):
    client = as_role("resident")
    assert client.get(url("person_detail", world.people["resident"].pk)).status_code == 200
    assert client.get(url("person_detail", world.people["branch_secretary"].pk)).status_code == 404


def test_town_clerk_cannot_open_a_person_from_chidian(as_role, world, chidian_owner):
    assert as_role("town_clerk").get(url("person_detail", chidian_owner.pk)).status_code == 404
    assert as_role("city_admin").get(url("person_detail", chidian_owner.pk)).status_code == 200


def test_person_page_lists_current_and_past_posts_with_dates(as_role, world):
    actor = world.users["city_admin"]
    director = world.people["committee_director"]
    org_services.post_assign(
        actor=actor,
        person=director,
        organisation=world.branch_a,
        role=Post.Role.BRANCH_COMMITTEE,
        start_date=START,
        end_date=dt.date(2024, 6, 30),
    )
    response = as_role("town_clerk").get(url("person_detail", director.pk))
    assert [p.role for p in response.context["current_posts"]] == ["committee_director"]
    assert [p.role for p in response.context["past_posts"]] == ["branch_committee"]
    html = response.content.decode()
    assert "金利花园业委会" in html and "金利花园党支部" in html and "2024-06-30" in html


def test_person_page_lists_ownerships_and_residencies_in_scope(as_role, world, chidian_owner):
    actor = world.users["city_admin"]
    people_services.residency_add(
        actor=actor, room=world.rooms_a[2], person=chidian_owner, relation="tenant", start_date=START
    )
    response = as_role("town_clerk").get(url("person_detail", chidian_owner.pk))
    assert response.status_code == 200
    assert list(response.context["ownerships"]) == []  # the Chidian flat stays out of sight
    assert [r.room for r in response.context["residencies"]] == [world.rooms_a[2]]
    admin_view = as_role("city_admin").get(url("person_detail", chidian_owner.pk))
    assert [o.room for o in admin_view.context["ownerships"]] == [world.rooms_b[0]]


def test_person_page_shows_party_membership(as_role, world):
    secretary = world.people["branch_secretary"]
    people_services.party_membership_set(
        actor=world.users["city_admin"], person=secretary, joined_on=dt.date(2001, 7, 1), organisation=world.branch_a
    )
    response = as_role("community_secretary").get(url("person_detail", secretary.pk))
    assert response.context["membership"].joined_on == dt.date(2001, 7, 1)
    assert "2001-07-01" in response.content.decode()


def test_person_page_loads_its_history(as_role, world):
    resident = world.people["resident"]
    client = as_role("city_admin")
    history_url = reverse("history", args=["people.person", resident.pk])
    assert f'hx-get="{history_url}"' in client.get(url("person_detail", resident.pk)).content.decode()
    assert client.get(history_url).status_code == 200


def test_the_person_list_heads_the_name_column_full_name_not_name(as_role, world):
    client = as_role("town_clerk")
    client.cookies["django_language"] = "en"
    html = client.get(url("person_list")).content.decode()
    head = html[html.index("<thead>") : html.index("</thead>")]
    assert "<th>Full name</th>" in head and "<th>Name</th>" not in head
