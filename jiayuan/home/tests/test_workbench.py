"""Every login lands on its workbench: its posts by name, what is waiting for it, the coverage dashboard only for
the levels above the compounds, and a resident's household with the compound's public numbers."""

import pytest
from django.urls import reverse
from django.utils import translation

from jiayuan.appeals import services
from jiayuan.appeals.models import Appeal, Category
from jiayuan.organisations.models import Organisation, Post, ServiceContract
from jiayuan.testing import PERSONAS

pytestmark = pytest.mark.django_db

Role = Post.Role
# Each persona's post, as the page names it (in the interface's default language).
POSTS = {
    "town_clerk": Role.TOWN_CLERK,
    "community_secretary": Role.COMMUNITY_SECRETARY,
    "branch_secretary": Role.BRANCH_SECRETARY,
    "committee_director": Role.COMMITTEE_DIRECTOR,
    "property_manager": Role.PROPERTY_MANAGER,
    "building_head": Role.BUILDING_HEAD,
    "department_staff": Role.DEPARTMENT_STAFF,
}


def page(client, persona) -> str:
    response = client(persona).get(reverse("home"))
    assert response.status_code == 200, persona  # the workbench itself, never a redirect
    assert "home/workbench.html" in [t.name for t in response.templates]
    return response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_lands_on_its_workbench_headed_with_its_own_post(as_role, persona):
    html = page(as_role, persona)
    if persona in POSTS:
        with translation.override("zh-hans"):
            label = str(POSTS[persona].label)
        assert f'<span class="badge status">{label}</span>' in html
    labels = {str(role.label) for role in POSTS.values()}
    assert len(labels) == len(POSTS)  # no two posts share a label
    oversees = persona in ("city_admin", "town_clerk", "community_secretary")
    assert ('data-testid="coverage-link"' in html) is oversees
    assert "相关功能上线后" not in html  # the old placeholder


def test_a_received_appeal_waits_on_the_workbench_of_those_who_may_accept_it(world, as_role):
    appeal = services.appeal_submit(
        actor=world.users["resident"],
        channel=Appeal.Channel.RESIDENT,
        category=Category.objects.get(code="030101"),  # 乱停车: the branch and the committee's business
        title="消防通道被占",
        description="2号楼门口长期停车。",
        compound=world.compound_a,
    )
    for persona in PERSONAS:
        html = page(as_role, persona)
        accepting = 'data-testid="todo-appeals.accept"' in html and appeal.number in html
        assert accepting is (
            persona in ("city_admin", "town_clerk", "community_secretary", "branch_secretary", "committee_director")
        ), persona
    assert 'data-testid="todo-appeals.mine"' in page(as_role, "resident")


def test_nothing_waiting_says_so(as_role):
    assert 'data-testid="nothing-waiting"' in page(as_role, "building_head")


def test_a_resident_sees_whom_to_call_and_only_their_own_rooms(world, as_role):
    Organisation.objects.filter(pk=world.branch_a.pk).update(public_phone="0595-85001234")
    Organisation.objects.filter(pk=world.committee_a.pk).update(public_phone="13905950000")
    ServiceContract.objects.filter(compound=world.compound_a).update(service_desk_phone="0595-87001234")
    html = page(as_role, "resident")
    assert 'href="tel:0595-85001234"' in html and 'href="tel:13905950000"' in html
    assert 'href="tel:0595-87001234"' in html
    assert html.count('data-testid="my-rooms"') == 1
    staff = page(as_role, "community_secretary")
    assert 'data-testid="my-rooms"' not in staff  # a staff scope's rooms are not its household


def test_a_public_phone_must_be_a_mobile_or_a_landline(world):
    from django.core.exceptions import ValidationError

    branch = Organisation.objects.get(pk=world.branch_a.pk)
    branch.public_phone = "call 110"
    with pytest.raises(ValidationError) as error:
        branch.full_clean()
    assert "public_phone" in error.value.message_dict
