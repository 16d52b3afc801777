"""Three roles log in with a real browser and each sees exactly its scope."""

from jiayuan.testing import PASSWORD

from .conftest import login, screenshot


def test_city_admin_sees_every_town_and_drills_down_to_a_room(live_server, live_world, page):
    login(page, live_server, "city_admin", PASSWORD)
    assert page.url == f"{live_server.url}/"  # the workbench; coverage is a click away
    page.click("[data-testid=coverage-link]")
    assert "/dashboard/" in page.url
    body = page.locator("main").inner_text()
    assert "青阳街道" in body and "池店镇" in body
    page.wait_for_selector("canvas")  # ECharts rendered from the locally served library
    screenshot(page, "city-admin-dashboard")
    page.goto(f"{live_server.url}/places/compounds/{live_world.compound_b.pk}/")
    assert "南天裕" in page.locator("h1").inner_text()
    page.click(f"a[href='/places/buildings/{live_world.building_b.pk}/']")
    assert "1号楼" in page.locator("main").inner_text()


def test_town_clerk_sees_only_their_town(live_server, live_world, page):
    login(page, live_server, "town_clerk", PASSWORD)
    page.click("[data-testid=coverage-link]")
    body = page.locator("main").inner_text()
    assert "青华社区" in body and "晓升社区" in body
    assert "池店" not in body
    screenshot(page, "town-clerk-dashboard")
    page.goto(f"{live_server.url}/places/compounds/")
    listing = page.locator("main").inner_text()
    assert "金利花园" in listing and "宝龙世家" in listing and "南天裕" not in listing
    response = page.goto(f"{live_server.url}/places/compounds/{live_world.compound_b.pk}/")
    assert response.status == 404


def test_resident_sees_only_their_household_and_public_facts(live_server, live_world, page):
    login(page, live_server, "resident", PASSWORD)
    body = page.locator("main").inner_text()
    assert "金利花园" in body and live_world.rooms_a[0].number in body
    assert "邱书记" in body  # the compound's branch secretary is public
    assert live_world.people["branch_secretary"].phone not in body
    screenshot(page, "resident-home")
    assert page.goto(f"{live_server.url}/places/compounds/").status == 404
    assert page.goto(f"{live_server.url}/dashboard/").status == 404


def test_interface_switches_to_english(live_server, live_world, page):
    login(page, live_server, "resident", PASSWORD)
    page.click("button[name=language][value=en]")
    page.wait_for_load_state("networkidle")
    assert "Log out" in page.locator("header").inner_text()
