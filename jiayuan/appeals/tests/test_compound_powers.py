"""Each compound post has its own powers over appeals, by what the appeal is about.

The party branch and the owners' committee run the compound's business; the property company
acts on repair orders only and never judges a complaint about itself; a building head reports
and follows. The community, the town and the city may step in on any of them.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from jiayuan.appeals import services
from jiayuan.appeals.models import Appeal, Category
from jiayuan.core.scope import scope_for

pytestmark = pytest.mark.django_db

REPAIR = "010203"  # 设施设备 › 供水与排水 › 管道漏水
PROPERTY_COMPLAINT = "040101"  # 物业与邻里 › 物业服务 › 服务质量
GENERAL = "030101"  # 秩序与安全 › 停车 › 乱停车

MAY_ACCEPT = {
    REPAIR: {
        "branch_secretary",
        "committee_director",
        "property_manager",
        "community_secretary",
        "town_clerk",
        "city_admin",
    },
    PROPERTY_COMPLAINT: {"branch_secretary", "community_secretary", "town_clerk", "city_admin"},
    GENERAL: {"branch_secretary", "committee_director", "community_secretary", "town_clerk", "city_admin"},
}
COMPOUND_AND_ABOVE = (
    "city_admin",
    "town_clerk",
    "community_secretary",
    "branch_secretary",
    "committee_director",
    "property_manager",
    "building_head",
)


def received(world, code: str) -> Appeal:
    return services.appeal_submit(
        actor=world.users["resident"],
        channel=Appeal.Channel.RESIDENT,
        category=Category.objects.get(code=code),
        title="反映问题",
        description="小区里的问题",
        compound=world.compound_a,
    )


def test_the_seeded_catalogue_says_what_each_category_is_about():
    kinds = dict(Category.objects.filter(code__in=[REPAIR, PROPERTY_COMPLAINT, GENERAL]).values_list("code", "kind"))
    assert kinds == {REPAIR: "repair", PROPERTY_COMPLAINT: "property_complaint", GENERAL: "general"}


@pytest.mark.parametrize("code", list(MAY_ACCEPT))
@pytest.mark.parametrize("persona", COMPOUND_AND_ABOVE)
def test_who_may_accept_an_appeal_depends_on_the_post_and_the_category(world, persona, code):
    appeal = received(world, code)
    if persona in MAY_ACCEPT[code]:
        accepted = services.appeal_accept(actor=world.users[persona], appeal=appeal)
        assert accepted.status == "accepted"
    else:
        with pytest.raises(PermissionDenied):
            services.appeal_accept(actor=world.users[persona], appeal=appeal)
        assert Appeal.objects.get(pk=appeal.pk).status == "received"


def test_the_property_manager_cannot_resolve_and_reply_to_a_complaint_about_the_company(world, as_role):
    appeal = received(world, PROPERTY_COMPLAINT)
    appeal = services.appeal_accept(actor=world.users["branch_secretary"], appeal=appeal)
    response = as_role("property_manager").post(
        f"/api/v1/appeals/{appeal.pk}/actions/resolve",
        {"version": appeal.version, "resolution": "已处理"},
        content_type="application/json",
    )
    assert response.status_code == 403, response.content
    assert Appeal.objects.get(pk=appeal.pk).status == "accepted"
    resolved = services.appeal_resolve(actor=world.users["branch_secretary"], appeal=appeal, resolution="已约谈物业")
    assert resolved.status == "resolved"


def test_the_action_panel_offers_the_property_manager_nothing_on_a_complaint_about_the_company(world, as_role):
    appeal = received(world, PROPERTY_COMPLAINT)
    page = as_role("property_manager").get(f"/appeals/{appeal.pk}/")
    assert page.status_code == 200  # the company may read what is said about it
    assert 'name="action" value="accept"' not in page.content.decode()
    assert 'data-action="accept"' not in page.content.decode()


def test_a_building_head_reports_and_follows_but_does_not_handle(world):
    appeal = services.appeal_submit(
        actor=world.users["building_head"],
        channel=Appeal.Channel.BUILDING_HEAD,
        category=Category.objects.get(code=REPAIR),
        title="楼道灯坏",
        description="1号楼楼道灯不亮",
        compound=world.compound_a,
    )
    for action in (services.appeal_accept, services.appeal_dispatch):
        with pytest.raises(PermissionDenied):
            action(actor=world.users["building_head"], appeal=appeal)


@pytest.mark.parametrize(
    ("persona", "label"),
    [
        ("branch_secretary", "compound branch secretary"),
        ("committee_director", "owners' committee director"),
        ("property_manager", "property manager"),
        ("building_head", "party-member building head"),
    ],
)
def test_each_compound_post_has_its_own_label(world, persona, label):
    from django.utils import translation

    with translation.override("en"):
        assert str(scope_for(world.users[persona]).role_label) == label


def test_the_page_header_names_the_post_not_compound_staff(world, as_role):
    page = as_role("property_manager").get("/", follow=True).content.decode()
    assert "物业项目经理" in page and "小区工作人员" not in page


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("branch_secretary", {"/people/", "/committees/", "/outreach/"}, {"/dashboard/"}),
        ("committee_director", {"/people/", "/committees/"}, {"/dashboard/"}),
        ("property_manager", {"/appeals/"}, {"/people/", "/committees/", "/outreach/", "/rosters/", "/dashboard/"}),
        ("building_head", {"/appeals/"}, {"/people/", "/committees/", "/outreach/", "/rosters/", "/dashboard/"}),
        ("community_secretary", {"/dashboard/", "/people/", "/committees/"}, set()),
    ],
)
def test_each_compound_post_gets_its_own_navigation(world, as_role, persona, shown, hidden):
    import re

    page = as_role(persona).get("/appeals/").content.decode()
    nav = re.search(r'<nav class="mainnav".*?</nav>', page, re.S).group(0)
    links = set(re.findall(r'href="(/[a-z-]+/)', nav))
    assert shown <= links, links
    assert not (hidden & links), links
