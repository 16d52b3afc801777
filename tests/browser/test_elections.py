"""An owners' general meeting in a real browser: an owner votes online from a phone on every motion, including
the committee election, and sees the ballot recorded; a clerk enters a paper ballot, a second staff member
checks it and the turnout counts it; after the window closes the clerk counts and publishes, and the result
page shows every number behind each verdict.

The election and the meeting are built with the services in the per-test live world; the voting window is
set around the real time, since the live server's clock is not frozen."""

import datetime as dt

from django.utils import timezone

from jiayuan.elections.models import Ballot, GeneralMeeting
from jiayuan.elections.services import assembly
from jiayuan.elections.testing import campaign_ready_to_vote, election_world
from jiayuan.testing import PASSWORD

from .conftest import login, screenshot

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def announced_meeting(ew, opens: dt.datetime, closes: dt.datetime):
    clerk = ew.world.users["community_secretary"]
    campaign, candidates = campaign_ready_to_vote(ew)
    meeting = assembly.meeting_create(
        actor=clerk,
        compound=ew.world.compound_a,
        title="金利花园第二届业委会选举大会",
        voting_opens=opens,
        voting_closes=closes,
        place="物业服务中心一楼",
        campaign=campaign,
    )
    assembly.motion_add(
        actor=clerk,
        meeting=meeting,
        matter=7,
        title="2号楼加装电梯",
        text="在2号楼1单元加装电梯一部，费用由该单元业主按楼层分摊。",
    )
    assembly.motion_add(
        actor=clerk, meeting=meeting, matter=2, title="修订管理规约", text="修订管理规约第十二条（停车管理）。"
    )
    assembly.meeting_announce(actor=clerk, meeting=meeting, on=timezone.localdate(opens) - dt.timedelta(days=15))
    meeting.refresh_from_db()
    return meeting, candidates


def open_now(ew):
    now = timezone.now().replace(second=0, microsecond=0)
    return announced_meeting(ew, now - dt.timedelta(hours=2), now + dt.timedelta(days=2))


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username, PASSWORD)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_owner_votes_online_from_a_phone_and_sees_the_recorded_ballot(live_server, live_world, page):
    ew = election_world(live_world)
    meeting, candidates = open_now(ew)
    owner = ew.owners[6]  # 业主7, not a candidate

    page.set_viewport_size(PHONE)
    login(page, live_server, owner.account.username, PASSWORD)
    page.goto(f"{live_server.url}/elections/meetings/")
    page.click(f"a[href='/elections/meetings/{meeting.pk}/']")
    form = page.locator("[data-testid=ballot-form]")
    form.wait_for()
    assert "5" in form.locator("[data-testid=seats-note]").inner_text()
    for candidate in candidates[:4]:
        page.check(f"input[name=motion_1_c{candidate.pk}][value=agree]")
    page.check(f"input[name=motion_1_c{candidates[4].pk}][value=against]")
    page.check("input[name=motion_2][value=agree]")
    page.check("input[name=motion_3][value=abstain]")
    assert "4 / 5" in form.locator("[data-agree-count]").inner_text()
    assert fits_the_screen(page), "the ballot must fit a 375px-wide phone"
    screenshot(page, "meeting-01-owner-ballot-375px")
    page.click("[data-testid=cast]")  # the first press reviews the ballot; nothing is recorded yet
    review = page.locator("[data-testid=confirm-ballot]")
    assert "、".join(c.person.name for c in candidates[:4]) in review.inner_text()
    assert fits_the_screen(page), "the review must fit a 375px-wide phone"
    screenshot(page, "meeting-01b-owner-reviews-ballot-375px")
    page.click("[data-testid=confirm-cast]")
    page.wait_for_url("**#your-ballot")
    recorded = page.locator("[data-testid=your-ballot]")
    text = recorded.inner_text()
    assert "、".join(c.person.name for c in candidates[:4]) in text
    assert candidates[4].person.name in text and "2号楼加装电梯" in text
    assert page.locator("[data-testid=ballot-form]").count() == 0
    assert fits_the_screen(page)
    screenshot(page, "meeting-02-owner-ballot-recorded-375px")

    ballots = Ballot.objects.filter(motion__meeting=meeting, voter__members__person=owner)
    assert sorted(ballots.values_list("motion__number", "choice")) == [(1, ""), (2, "agree"), (3, "abstain")]
    election = ballots.get(motion__number=1)
    assert dict(election.candidate_choices.values_list("candidate_id", "choice")) == {
        **{c.pk: "agree" for c in candidates[:4]},
        candidates[4].pk: "against",
        candidates[5].pk: "abstain",
    }

    page.set_viewport_size(DESKTOP)
    page.reload()
    screenshot(page, "meeting-03-owner-after-voting-desktop")


def test_a_clerk_enters_a_paper_ballot_a_second_person_checks_it_and_it_counts(live_server, live_world, page):
    ew = election_world(live_world)
    meeting, candidates = open_now(ew)

    page.set_viewport_size(DESKTOP)
    login(page, live_server, "community_secretary", PASSWORD)
    page.goto(f"{live_server.url}/elections/meetings/{meeting.pk}/")
    paper = page.locator("[data-testid=paper-form]")
    paper.locator("input[name=room]").fill("1号楼 1单元 101")
    paper.locator("input[name=paper_number]").fill("P-0001")
    for candidate in candidates[:3]:
        paper.locator(f"select[name=motion_1_c{candidate.pk}]").select_option("agree")
    paper.locator("select[name=motion_2]").select_option("against")
    paper.locator("select[name=motion_3]").select_option("agree")
    screenshot(page, "meeting-04-clerk-enters-paper-ballot")
    page.click("[data-testid=paper-enter]")
    page.wait_for_url("**#paper")
    assert page.locator("[data-testid=paper-P-0001]").count() == 1
    assert page.locator("[data-testid=turnout-2] [data-testid=counted]").inner_text() == "0"

    # The clerk who entered it cannot check it.
    page.click("[data-testid=check-P-0001]")
    alert = page.locator("[data-testid=check-errors]")
    alert.wait_for()
    assert "另一人复核" in alert.inner_text()  # the one who entered it cannot check it: a second person must
    screenshot(page, "meeting-05-same-clerk-cannot-check")
    assert not Ballot.objects.filter(paper_number="P-0001", checked_by__isnull=False).exists()

    switch_user(page, live_server, "branch_secretary")
    page.goto(f"{live_server.url}/elections/meetings/{meeting.pk}/")
    page.click("[data-testid=check-P-0001]")
    page.wait_for_url("**#paper")
    assert page.locator("[data-testid=paper-P-0001]").count() == 0
    for number in (1, 2, 3):
        assert page.locator(f"[data-testid=turnout-{number}] [data-testid=counted]").inner_text() == "1"
    screenshot(page, "meeting-06-second-person-checked-turnout")
    checked = Ballot.objects.filter(paper_number="P-0001")
    assert checked.count() == 3
    assert set(checked.values_list("checked_by__username", flat=True)) == {"branch_secretary"}

    page.set_viewport_size(PHONE)
    page.reload()
    screenshot(page, "meeting-07-staff-page-375px")


def test_after_the_window_the_clerk_counts_and_publishes_and_the_results_show_every_number(
    live_server, live_world, page
):
    ew = election_world(live_world)
    now = timezone.now().replace(second=0, microsecond=0)
    opens = now - dt.timedelta(days=3)
    meeting, candidates = announced_meeting(ew, opens, now - dt.timedelta(hours=1))
    for n, owner in enumerate(ew.owners[:11], start=1):
        assembly.ballots_cast_online(
            actor=owner.account,
            meeting=meeting,
            at=opens + dt.timedelta(hours=n),
            votes={
                1: {c.pk: "agree" for c in candidates[:5]},
                2: "agree" if n <= 8 else "against",
                3: "agree" if n <= 5 else "abstain",
            },
        )

    page.set_viewport_size(DESKTOP)
    login(page, live_server, "community_secretary", PASSWORD)
    page.goto(f"{live_server.url}/elections/meetings/{meeting.pk}/")
    page.click("[data-testid=count-button]")
    page.wait_for_url(f"**/elections/meetings/{meeting.pk}/results/#results")
    assert GeneralMeeting.objects.get(pk=meeting.pk).status == "counted"
    page.goto(f"{live_server.url}/elections/meetings/{meeting.pk}/")
    page.click("[data-testid=publish-button]")
    page.wait_for_url(f"**/elections/meetings/{meeting.pk}/results/#results")
    lift = page.locator("[data-testid=result-2]")
    assert "参与表决的 11 名业主中 8 名（72.7%）同意" in lift.inner_text()  # in words, below 3/4: the lift fails
    assert "583/821" not in lift.inner_text()  # the exact fractions are folded away until asked for
    lift.locator("[data-testid=exact-figures] summary").first.click()
    exact = lift.inner_text()
    assert "583/821" in exact and "11/16" in exact  # owners 1–11 hold 1166 of 1642 m²
    assert "8/11" in exact
    covenant = page.locator("[data-testid=result-3]")
    assert "参与表决的 11 名业主中 5 名" in covenant.inner_text()
    assert page.locator("[data-testid=result-1] .elected-mark").count() == 5
    page.wait_for_selector("[data-chart=choices] canvas")
    screenshot(page, "meeting-08-results-desktop")

    switch_user(page, live_server, "resident")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/elections/meetings/{meeting.pk}/results/")
    assert "参与表决的 11 名业主中 8 名（72.7%）同意" in page.locator("[data-testid=result-2]").inner_text()
    assert page.locator("a[href*='tally-ballots.csv']").count() == 0
    screenshot(page, "meeting-09-results-resident-375px")
