"""The whole appeal loop in a real browser: a resident reports a leaking pipe from a phone,
the compound escalates it, the community blows the whistle to the water department, the
department resolves it, and the resident reads the reply and rates it."""

import datetime as dt
import io

from jiayuan.appeals.models import Appeal, Category, DispatchRule
from jiayuan.core.identity import make_id_number
from jiayuan.core.models import User
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people import services as people_services
from jiayuan.testing import PASSWORD, START

from .conftest import login, screenshot

PHONE_WIDTH = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def water_department(world):
    """The water department, its staff member and a dispatch rule sending leaks to it."""
    water = org_services.organisation_create(
        actor=None, kind=Organisation.Kind.DEPARTMENT, name="晋江市水务局", city=world.city, established_on=START
    )
    person = people_services.person_create(
        actor=None, name="郑水务", id_number=make_id_number("350582", dt.date(1985, 3, 4), 777)
    )
    org_services.post_assign(
        actor=None, person=person, organisation=water, role=Post.Role.DEPARTMENT_STAFF, start_date=START
    )
    User.objects.create_user(username="water_staff", password=PASSWORD, person=person)
    return water


def leak_category(water):
    repair = Category.Kind.REPAIR  # the property company acts on repair orders
    top = Category.objects.create(code="B9", name="设施设备B", kind=repair)
    pipes = Category.objects.create(code="B901", name="供水与排水B", parent=top, kind=repair)
    leak = Category.objects.create(code="B90101", name="管道漏水B", parent=pipes, deadline_days=5, kind=repair)
    DispatchRule.objects.create(category=pipes, department=water)
    return leak


def photo_file(tmp_path):
    from PIL import Image

    path = tmp_path / "leak.jpg"
    image = Image.new("RGB", (640, 480), (90, 140, 200))
    for x in range(200, 440):  # a dark "pipe" so the picture is recognisable in the screenshot
        for y in range(220, 260):
            image.putpixel((x, y), (60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username, PASSWORD)


def wait_for_state(appeal_pk, **expected):
    appeal = Appeal.objects.get(pk=appeal_pk)
    assert {name: getattr(appeal, name) for name in expected} == expected
    return appeal


def take(page, live_server, appeal, action, screenshot_name=None):
    """Open the action's panel entry (if folded), submit it with htmx, wait for the swapped panel."""
    live = page.locator("#appeal-live")
    version = live.get_attribute("data-version")
    details = page.locator(f"details.action[data-action={action}]")
    if details.count() and not details.evaluate("element => element.open"):
        details.locator("summary").click()
    if screenshot_name:
        screenshot(page, screenshot_name)
    page.locator(f"form.action-form[data-action={action}] button[type=submit]").click()
    page.wait_for_function(
        "v => document.querySelector('#appeal-live') && document.querySelector('#appeal-live').dataset.version !== v",
        arg=version,
    )
    assert page.locator("[data-testid=notice]").count() == 1


def test_a_resident_reports_a_leak_and_rates_the_water_departments_fix(live_server, live_world, page, tmp_path):
    w = live_world
    water = water_department(w)
    leak = leak_category(water)

    # 1. The resident reports from a phone-sized screen, with a photo.
    page.set_viewport_size(PHONE_WIDTH)
    login(page, live_server, "resident", PASSWORD)
    page.goto(f"{live_server.url}/appeals/new/")
    assert page.locator("select[name=compound]").input_value() == str(w.compound_a.pk)
    page.select_option("select[name=category]", str(leak.pk))
    page.fill("input[name=title]", "楼道水管漏水")
    page.fill("textarea[name=description]", "3楼楼道的水管接口一直在漏水，地面全湿了，老人容易滑倒。")
    page.select_option("select[name=room]", str(w.rooms_a[0].pk))
    page.set_input_files("input[name=photos]", str(photo_file(tmp_path)))
    page.fill("input[name=contact_phone]", "13912345678")
    no_sideways_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_sideways_scroll, "the intake page must fit a 375px-wide phone"
    screenshot(page, "appeal-01-resident-intake-375px")
    page.click("form[data-testid=intake-form] button.primary")
    page.wait_for_url("**/appeals/*/")
    appeal = Appeal.objects.get(title="楼道水管漏水")
    assert appeal.photos.count() == 1
    page.wait_for_function("() => { const i = document.querySelector('.photos img'); return i && i.naturalWidth > 0; }")
    screenshot(page, "appeal-02-resident-after-report")

    # 2. The property manager (compound staff) accepts it and escalates to the community.
    page.set_viewport_size(DESKTOP)
    switch_user(page, live_server, "property_manager")
    page.goto(f"{live_server.url}/appeals/")
    page.click(f"a[href='/appeals/{appeal.pk}/'] >> nth=0")
    assert "139****5678" in page.locator("[data-testid=facts]").inner_text()
    take(page, live_server, appeal, "accept")
    wait_for_state(appeal.pk, status="accepted")
    take(page, live_server, appeal, "dispatch", "appeal-03-property-manager-escalates")
    wait_for_state(appeal.pk, status="dispatched", level="community")
    screenshot(page, "appeal-04-escalated-to-community")

    # 3. The community secretary blows the whistle: the catalogue's department is preselected.
    switch_user(page, live_server, "community_secretary")
    page.goto(f"{live_server.url}/appeals/{appeal.pk}/")
    page.locator("details.action[data-action=dispatch] summary").click()
    assert page.locator("form[data-action=dispatch] select[name=department]").input_value() == str(water.pk)
    take(page, live_server, appeal, "dispatch", "appeal-05-community-whistles-to-water")
    wait_for_state(appeal.pk, status="dispatched", level="department", unit_id=water.pk)

    # 4. The water department finds it on its open-work list, starts and resolves it.
    switch_user(page, live_server, "water_staff")
    page.goto(f"{live_server.url}/appeals/work/")
    assert "楼道水管漏水" in page.locator("[data-testid=appeals]").inner_text()
    assert page.locator("[data-testid=unread-count]").count() == 1
    screenshot(page, "appeal-06-water-department-open-work")
    page.click("[data-testid=appeals] a >> text=楼道水管漏水")
    take(page, live_server, appeal, "start")
    wait_for_state(appeal.pk, status="in_progress")
    page.locator("details.action[data-action=resolve] summary").click()
    page.fill("form[data-action=resolve] textarea[name=resolution]", "已派维修队更换老化的水管接口，楼道已清理干净。")
    take(page, live_server, appeal, "resolve", "appeal-07-department-resolves")
    appeal = wait_for_state(appeal.pk, status="resolved", resolved_level="department")
    assert appeal.resolved_at.date() <= appeal.deadline
    screenshot(page, "appeal-08-resolved-timeline")

    # 5. The resident reads the reply on the phone, answers that the department contacted them and solved the
    #    problem, and rates it satisfied.
    page.set_viewport_size(PHONE_WIDTH)
    switch_user(page, live_server, "resident")
    assert page.locator("[data-testid=unread-count]").count() == 1
    page.goto(f"{live_server.url}/appeals/mine/")
    card = page.locator(f"#appeal-{appeal.pk}")
    assert "已派维修队更换老化的水管接口" in card.locator("[data-testid=reply]").inner_text()
    card.locator("form[data-action=rate] input[name=contacted][value=yes]").check()
    card.locator("form[data-action=rate] input[name=solved][value=yes]").check()
    card.locator("input[name=rating][value=satisfied]").check()
    card.locator("form[data-action=rate] textarea[name=comment]").fill("处理很及时，谢谢！")
    screenshot(page, "appeal-09-resident-rates")
    card.locator("form[data-action=rate] button[type=submit]").click()
    page.wait_for_url("**/appeals/mine/**")
    wait_for_state(appeal.pk, rating="satisfied", status="closed", rated_contacted=True, rated_solved=True)
    assert page.locator(f"#appeal-{appeal.pk} form[data-action=rate]").count() == 0
    screenshot(page, "appeal-10-resident-after-rating")


def test_a_conflicting_click_shows_the_current_state_instead_of_failing_silently(live_server, live_world, page):
    from jiayuan.appeals import services

    w = live_world
    leak = leak_category(water_department(w))
    appeal = services.appeal_submit(
        actor=w.users["resident"],
        channel=Appeal.Channel.RESIDENT,
        category=leak,
        title="电梯异响",
        description="2号电梯运行时有异响。",
        compound=w.compound_a,
    )
    login(page, live_server, "property_manager", PASSWORD)
    page.goto(f"{live_server.url}/appeals/{appeal.pk}/")
    services.appeal_accept(actor=w.users["branch_secretary"], appeal=appeal)  # someone else, meanwhile
    page.locator("form.action-form[data-action=accept] button[type=submit]").click()
    alert = page.locator("[data-testid=alert]")
    alert.wait_for()
    assert page.locator("#appeal-live").get_attribute("data-version") == str(Appeal.objects.get(pk=appeal.pk).version)
    assert page.locator("form.action-form[data-action=accept]").count() == 0  # the panel shows the current state
    screenshot(page, "appeal-11-conflict-409")
