"""A reviewer working through the joint qualification review sees a flagged candidate's flag on the card's header,
without opening anything, and cannot pass the candidate without saying why."""

from jiayuan.elections.models import Review
from jiayuan.elections.services import campaign as svc
from jiayuan.elections.testing import election_world, nominate_all, open_campaign
from jiayuan.people import services as people_services
from jiayuan.testing import PASSWORD

from .conftest import login, screenshot


def test_the_reviewer_sees_the_flag_on_the_card_and_must_give_a_reason(live_server, live_world, page):
    w = live_world
    ew = election_world(w)
    campaign = open_campaign(ew)
    candidates = nominate_all(ew, campaign, count=5)
    people_services.kinship_add(
        actor=None, person=candidates[0].person, relative=w.people["property_manager"], relation="spouse"
    )
    svc.review_start(actor=w.users["community_secretary"], campaign=campaign)
    review = Review.objects.get(candidate=candidates[0], body__department=w.department)

    login(page, live_server, "department_staff", PASSWORD)
    page.goto(f"{live_server.url}/elections/reviews/")
    card = page.locator(f"#review-{review.pk}")
    header = card.locator("[data-testid=flags]")
    assert header.is_visible()  # on the header, not in a folded section
    assert w.people["property_manager"].name in header.inner_text()
    screenshot(page, "review-flag-on-card")
    assert page.locator("[data-testid=flags]").count() == 1  # only the flagged candidate's card carries one

    card.locator("input[value=pass]").check()
    card.locator("button[type=submit]").click()  # passing without a reason
    refused = page.locator(f"#review-{review.pk}")
    refused.locator(".errorlist").first.wait_for()  # the card comes back with the reason asked for
    review.refresh_from_db()
    assert review.outcome == "pending"
    refused.locator("input[value=pass]").check()
    refused.locator("[name$=reason]").fill("已核实：配偶已于上月离职")
    refused.locator("button[type=submit]").click()
    page.locator(f"#review-{review.pk}").get_by_text("已核实：配偶已于上月离职").wait_for()
    review.refresh_from_db()
    assert review.outcome == "pass" and review.reason == "已核实：配偶已于上月离职"
