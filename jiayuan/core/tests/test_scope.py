import pytest

from jiayuan.core.scope import CITY, COMMUNITY, COMPOUND, DEPARTMENT, RESIDENT, TOWN, Scope, scope_for
from jiayuan.places.selectors import compound_list, room_list

pytestmark = pytest.mark.django_db

EXPECTED_ROLE = {
    "city_admin": CITY,
    "town_clerk": TOWN,
    "community_secretary": COMMUNITY,
    "branch_secretary": COMPOUND,
    "committee_director": COMPOUND,
    "property_manager": COMPOUND,
    "building_head": COMPOUND,
    "department_staff": DEPARTMENT,
    "resident": RESIDENT,
}


@pytest.mark.parametrize("persona", EXPECTED_ROLE)
def test_each_persona_gets_the_role_of_its_post(world, persona):
    assert scope_for(world.users[persona]).role == EXPECTED_ROLE[persona]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("city_admin", {"C0001", "C0002", "C0003"}),
        ("town_clerk", {"C0001", "C0002"}),
        ("community_secretary", {"C0001"}),
        ("branch_secretary", {"C0001"}),
        ("committee_director", {"C0001"}),
        ("property_manager", {"C0001"}),
        ("building_head", {"C0001"}),
        ("department_staff", set()),
        ("resident", set()),
    ],
)
def test_compound_list_holds_exactly_the_scope(world, persona, expected):
    codes = set(compound_list(viewer=world.users[persona]).values_list("code", flat=True))
    assert codes == expected


def test_resident_sees_only_own_room(world):
    rooms = list(room_list(viewer=world.users["resident"]))
    assert rooms == [world.rooms_a[0]]


def test_ended_post_no_longer_gives_scope(world):
    import datetime as dt

    from jiayuan.organisations.models import Post
    from jiayuan.organisations.services import post_end

    post = Post.objects.get(person=world.people["town_clerk"])
    post_end(actor=world.users["city_admin"], post=post, end_date=dt.date(2024, 6, 30))
    user = type(world.users["town_clerk"]).objects.get(pk=world.users["town_clerk"].pk)
    assert scope_for(user).role != TOWN
    assert scope_for(user, on=dt.date(2024, 3, 1)).role == TOWN


def _compound(pk, community, town):
    from types import SimpleNamespace

    return SimpleNamespace(pk=pk, community_id=community, community=SimpleNamespace(town_id=town))


@pytest.mark.parametrize(
    ("scope", "covers", "above", "supervises"),
    [
        (Scope(role=CITY, everything=True), True, True, True),
        (Scope(role=TOWN, town_ids=frozenset({7})), True, True, True),
        (Scope(role=COMMUNITY, community_ids=frozenset({5})), True, True, False),
        (Scope(role=COMPOUND, compound_ids=frozenset({3})), True, False, False),
        (Scope(role=COMPOUND, compound_ids=frozenset({4})), False, False, False),
        (Scope(role=TOWN, town_ids=frozenset({8})), False, False, False),
        (Scope(role=RESIDENT, room_ids=frozenset({3})), False, False, False),
    ],
)
def test_the_scope_predicates_name_each_level_over_a_compound(scope, covers, above, supervises):
    compound = _compound(3, community=5, town=7)
    assert scope.covers_compound(compound) is covers
    assert scope.covers_community(compound) is above
    assert scope.supervises(compound) is supervises
