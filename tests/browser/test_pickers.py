"""A long select of people gets a type-ahead box: typing keeps only the matching names, each shown with the posts
that tell namesakes apart, and picks the first match; the form posts the select as before."""

from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Post
from jiayuan.people import services as people_services
from jiayuan.testing import PASSWORD, START

from .conftest import login, screenshot


def test_typing_a_name_narrows_the_leaders_and_picks_the_match(live_server, live_world, page):
    admin = live_world.users["city_admin"]
    for n in range(20):
        person = people_services.person_create(actor=admin, name=f"干部{n:02d}")
        org_services.post_assign(
            actor=admin,
            person=person,
            organisation=live_world.community_party,
            role=Post.Role.TWO_COMMITTEE_MEMBER,
            start_date=START,
        )
    wanted = people_services.person_create(actor=admin, name="丁玲")
    org_services.post_assign(
        actor=admin, person=wanted, organisation=live_world.town_office, role=Post.Role.TOWN_CLERK, start_date=START
    )
    login(page, live_server, "town_clerk", PASSWORD)
    page.goto(f"{live_server.url}/outreach/reception/new/")
    page.fill("[data-testid=picker-leader]", "丁")
    shown = page.eval_on_selector_all("select[name=leader] option:not([hidden])", "os => os.map(o => o.text)")
    assert [text for text in shown if text.strip("-— ")] == [f"丁玲 · {live_world.town_office.name} 镇（街道）工作人员"]
    assert page.input_value("select[name=leader]") == str(wanted.pk)
    screenshot(page, "picker-leader")
