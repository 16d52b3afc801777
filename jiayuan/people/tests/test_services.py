import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from jiayuan.core.crypto import lookup_hash
from jiayuan.people.models import Ownership, Person
from jiayuan.people.services import ownership_add, person_create, person_find_by_id_number

pytestmark = pytest.mark.django_db
GOOD_ID = "11010519491231002X"


def test_person_is_stored_encrypted_and_found_by_hash(world):
    person = person_create(actor=None, name="测试人", id_number=GOOD_ID, phone="13812345678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM people_person WHERE id = %s", [person.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert GOOD_ID not in stored_id and "13812345678" not in stored_phone
    assert person_find_by_id_number(GOOD_ID) == person
    assert Person.objects.get(pk=person.pk).id_number == GOOD_ID
    assert person.birth_date == dt.date(1949, 12, 31) and person.gender == "F"


@pytest.mark.parametrize(
    ("id_number", "fragment"),
    [("110105194912310021", "checksum"), ("110105199902310024", "not a real date")],
)
def test_bad_id_number_is_refused_with_the_reason_and_nothing_saved(world, id_number, fragment):
    from django.utils import translation

    before = Person.objects.count()
    with translation.override("en"), pytest.raises(ValidationError) as info:
        person_create(actor=None, name="测试人", id_number=id_number)
    assert fragment in info.value.message_dict["id_number"][0]
    assert Person.objects.count() == before


def test_same_id_number_cannot_be_registered_twice(world):
    person_create(actor=None, name="甲", id_number=GOOD_ID)
    with pytest.raises(ValidationError) as info:
        person_create(actor=None, name="乙", id_number=GOOD_ID)
    assert "id_number" in info.value.message_dict


def test_bad_phone_is_refused(world):
    with pytest.raises(ValidationError) as info:
        person_create(actor=None, name="丙", phone="12345")
    assert "phone" in info.value.message_dict


def test_co_owners_share_a_room_and_a_sale_ends_the_developer_holding(world):
    from jiayuan.organisations.services import organisation_create

    developer = organisation_create(actor=None, kind="developer", name="宝龙地产", established_on=dt.date(2000, 1, 1))
    room = world.rooms_a[3]
    ownership_add(actor=None, room=room, developer=developer, start_date=dt.date(2010, 1, 1))
    buyer = person_create(actor=None, name="买家")
    spouse = person_create(actor=None, name="配偶")
    ownership_add(actor=None, room=room, person=buyer, start_date=dt.date(2024, 5, 1))
    ownership_add(actor=None, room=room, person=spouse, start_date=dt.date(2024, 5, 1))
    current = Ownership.objects.filter(room=room, end_date__isnull=True)
    assert {o.person for o in current} == {buyer, spouse}
    assert Ownership.objects.get(room=room, developer=developer).end_date == dt.date(2024, 5, 1)


def test_same_owner_cannot_be_registered_twice_on_a_room(world):
    with pytest.raises(ValidationError):
        ownership_add(
            actor=None, room=world.rooms_a[0], person=world.people["resident"], start_date=dt.date(2025, 1, 1)
        )


def test_lookup_hash_depends_on_the_key(world, settings):
    first = lookup_hash(GOOD_ID)
    settings.PERSONAL_DATA_HASH_KEY = "another-key"
    assert lookup_hash(GOOD_ID) != first


# --- Who writes the registers people are counted by ---------------------------------------------------------

COMPOUND_POSTS = ("branch_secretary", "committee_director", "property_manager", "building_head")


@pytest.mark.parametrize("persona", [*COMPOUND_POSTS, "resident", "department_staff"])
def test_no_compound_post_registers_an_owner_and_nothing_is_written(world, persona):
    from django.core.exceptions import PermissionDenied

    buyer = person_create(actor=None, name="新业主")
    before = Ownership.objects.count()
    with pytest.raises(PermissionDenied):
        ownership_add(actor=world.users[persona], room=world.rooms_a[2], person=buyer, start_date=dt.date(2025, 1, 1))
    assert Ownership.objects.count() == before


@pytest.mark.parametrize("persona", ["community_secretary", "town_clerk", "city_admin"])
def test_the_community_and_above_register_owners(world, persona):
    buyer = person_create(actor=None, name="新业主")
    owned = ownership_add(
        actor=world.users[persona], room=world.rooms_a[2], person=buyer, start_date=dt.date(2025, 1, 1)
    )
    assert owned.person == buyer


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("branch_secretary", True),
        ("community_secretary", True),
        ("committee_director", False),
        ("property_manager", False),
        ("building_head", False),
    ],
)
def test_the_party_roster_is_kept_by_the_branch_and_above(world, persona, allowed):
    from django.core.exceptions import PermissionDenied

    from jiayuan.people.models import PartyMembership
    from jiayuan.people.services import party_membership_set

    member = person_create(actor=None, name="新党员")

    def enrol():
        return party_membership_set(
            actor=world.users[persona], person=member, joined_on=dt.date(2010, 7, 1), organisation=world.branch_a
        )

    if allowed:
        assert enrol().organisation == world.branch_a
    else:
        with pytest.raises(PermissionDenied):
            enrol()
        assert not PartyMembership.objects.filter(person=member).exists()
