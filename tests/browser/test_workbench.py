"""Each persona logs in with a real browser, at a desktop's width and at a phone's, and lands on a workbench
holding its to-dos; on the phone the page is no wider than the screen and the menu opens from one button."""

import pytest

from jiayuan.testing import PASSWORD, PERSONAS

from .conftest import login, screenshot

# Who finds the resident's report of a blocked fire lane among the appeals to accept (乱停车 is the branch's and
# the committee's business; the property company and the building head do not accept it).
ACCEPTS = {"city_admin", "town_clerk", "community_secretary", "branch_secretary", "committee_director"}


@pytest.fixture
def reported(live_world):
    from jiayuan.appeals import services
    from jiayuan.appeals.models import Appeal, Category

    # The live server's database is flushed between tests, so the catalogue's branch is made here.
    general = Category.Kind.GENERAL
    top = Category.objects.create(code="W3", name="秩序与安全W", kind=general)
    middle = Category.objects.create(code="W301", name="停车W", parent=top, kind=general)
    parking = Category.objects.create(code="W30101", name="乱停车W", parent=middle, kind=general)
    return services.appeal_submit(
        actor=live_world.users["resident"],
        channel=Appeal.Channel.RESIDENT,
        category=parking,
        title="消防通道被占",
        description="2号楼门口长期停车。",
        compound=live_world.compound_a,
    )


@pytest.mark.parametrize("width", [1366, 375])
def test_every_persona_opens_on_its_workbench_with_its_to_dos(live_server, browser, reported, width):
    for persona in PERSONAS:
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 812})
        page = context.new_page()
        page.set_default_timeout(15_000)
        login(page, live_server, persona, PASSWORD)
        assert page.url == f"{live_server.url}/", persona
        assert page.locator("h1").inner_text() in ("工作台", "我家"), persona
        accept = page.locator("[data-testid='todo-appeals.accept']")
        assert (accept.count() == 1 and reported.number in accept.inner_text()) is (persona in ACCEPTS), persona
        if persona == "resident":
            assert reported.number in page.locator("[data-testid='todo-appeals.mine']").inner_text()
        if width == 375:
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, persona
            assert not page.locator(".mainnav").is_visible()
            page.click("[data-testid=menu-button]")
            assert page.locator("[data-testid=workbench-link]").is_visible(), persona
        screenshot(page, f"workbench-{persona}-{width}")
        context.close()


def test_on_a_phone_a_list_is_one_card_per_row_with_each_columns_name(live_server, browser, live_world):
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812})
    page = context.new_page()
    login(page, live_server, "town_clerk", PASSWORD)
    page.goto(f"{live_server.url}/places/compounds/{live_world.compound_a.pk}/")
    table = page.locator("table.table").first
    assert table.evaluate("t => getComputedStyle(t.querySelector('tbody tr')).display") == "block"
    cell = table.locator("tbody tr td").first
    assert cell.get_attribute("data-label")  # its column's header, shown beside the value
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "compound-cards-375px")
    context.close()
