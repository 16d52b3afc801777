"""The campaign's plain steps (elections.steps) against the campaign's machine (workflow.CAMPAIGN): every step
names a move the machine knows and that moves the campaign on, takes what its service takes, is offered on the page
only at a stage the machine allows it from; run through the services at every stage it moves the campaign exactly
where the machine says, or is refused with nothing written; and hypothesis walks of random steps and the writes
between them never bring a campaign to a state, or through a move, the machine does not declare.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import get_template
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from jiayuan.core.models import AuditEntry
from jiayuan.core.workflow import STAY
from jiayuan.elections import workflow as wf
from jiayuan.elections.models import Campaign, CampaignStep, Candidate, GeneralMeeting, Review, ReviewBody
from jiayuan.elections.services import assembly
from jiayuan.elections.services import campaign as svc
from jiayuan.elections.steps import API_STEPS, PAGE_STEPS, STEPS
from jiayuan.elections.testing import CAMPAIGN_DAY as DAY
from jiayuan.elections.testing import at, election_world, nominate_all, open_campaign, review_all

# The move each step makes, written out by hand: the table the steps are checked against.
STEP_MOVES = {
    "review_start": "review",
    "interviews_start": "interview",
    "campaigning_start": "campaign",
    "cancel": "cancel",
}
DATA = {"note": "", "reason": "改期"}  # what a step may read: a note, and the reason cancelling needs
SEATS = 5


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# --- The table itself ------------------------------------------------------------------------------------


def test_the_hand_written_table_covers_every_step_once():
    assert set(STEP_MOVES) == set(API_STEPS) and len(API_STEPS) == len(STEPS)
    assert list(PAGE_STEPS.values()) == [step for step in STEPS if step.page]
    assert len(PAGE_STEPS) == len({step.page for step in STEPS if step.page})


@pytest.mark.parametrize("api", list(STEP_MOVES))
def test_every_step_names_a_move_the_machine_knows_and_that_moves_the_campaign_on(api):
    move = wf.CAMPAIGN.moves[STEP_MOVES[api]]
    assert move.target is not STAY and move.target in wf.CAMPAIGN.states
    assert move.source and move.source <= set(wf.CAMPAIGN.states) - wf.CAMPAIGN.terminal
    assert {wf.CAMPAIGN.next(state, move.name) for state in move.source} == {move.target}
    assert move.source <= wf.CAMPAIGN.reachable()  # no stage it starts from is out of a campaign's reach


@pytest.mark.parametrize("api", list(STEP_MOVES))
def test_every_step_takes_what_its_service_takes_and_a_reason_where_the_move_needs_one(api):
    step = API_STEPS[api]
    parameters = inspect.signature(step.service).parameters
    keyword = {name for name, p in parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    required = {name for name in keyword if parameters[name].default is inspect.Parameter.empty}
    assert {"actor", "campaign"} <= required
    assert set(step.takes) <= keyword - {"actor", "campaign"}
    assert required - {"actor", "campaign"} <= set(step.takes)
    assert ("reason" in step.takes) == wf.CAMPAIGN.moves[STEP_MOVES[api]].needs_reason


@pytest.mark.parametrize("page", list(PAGE_STEPS))
def test_every_page_step_says_when_it_is_done_and_is_offered_only_where_the_machine_allows_it(page):
    """The staff's campaign page offers a step's form inside the branch of one stage: one its move may start from."""
    step = PAGE_STEPS[page]
    assert step.done and str(step.done)
    source = get_template("elections/_campaign_staff.html").template.source
    branches = [(m.start(), m.group(1)) for m in re.finditer(r'campaign\.status == "(\w+)"', source)]
    offered = [m.start() for m in re.finditer(rf"'elections:campaign_step' campaign\.pk '{page}'", source)]
    assert offered, f"the page never offers {page}"
    for position in offered:
        stage = [state for start, state in branches if start < position][-1]
        assert wf.CAMPAIGN.can(stage, STEP_MOVES[step.api]), (page, stage)


# --- Every step at every stage, through the services --------------------------------------------------------


@pytest.fixture(scope="module")
def ew(world, django_db_blocker):
    """The election world with two reviewing bodies left active (the community and the branch), so that a walk
    through the joint review stays short; the other seven are switched off for this module only."""
    with django_db_blocker.unblock():
        ew = election_world(world)
        ReviewBody.objects.exclude(kind__in=[ReviewBody.Kind.COMMUNITY, ReviewBody.Kind.BRANCH]).update(active=False)
        return ew


@pytest.fixture
def clock():
    """Two months after the campaign opened: every notice period and voting window below is over."""
    with mock.patch("django.utils.timezone.now", return_value=at(DAY + days(60))):
        yield


def clerk(ew):
    return ew.world.users["community_secretary"]


def interviewed(ew, campaign):
    for candidate in campaign.candidates.filter(status=Candidate.Status.QUALIFIED):
        svc.interview_record(actor=clerk(ew), candidate=candidate, held_on=DAY, panel="社区", notes="清楚", passed=True)
    return list(campaign.candidates.filter(status=Candidate.Status.QUALIFIED))


def nominating(ew):
    campaign = open_campaign(ew)
    nominate_all(ew, campaign, count=SEATS + 1)
    return campaign


def reviewing(ew):
    """Reviewing, every review decided: nothing but the stage stands between it and the interviews."""
    campaign = svc.review_start(actor=clerk(ew), campaign=nominating(ew))
    review_all(ew, campaign)
    return campaign


def interviewing(ew):
    return svc.interviews_start(actor=clerk(ew), campaign=reviewing(ew))


def notice(ew):
    campaign = interviewing(ew)
    chosen = interviewed(ew, campaign)
    return svc.slate_publish(actor=clerk(ew), campaign=campaign, candidates=chosen, seats=SEATS, notice_starts=DAY)


def campaigning(ew):
    return svc.campaigning_start(actor=clerk(ew), campaign=notice(ew))


def voting(ew):
    campaign = campaigning(ew)
    held = at(DAY + days(9))
    svc.campaign_meeting_record(actor=clerk(ew), campaign=campaign, held_at=held, place="小区广场")
    for candidate in campaign.candidates.filter(status=Candidate.Status.ON_SLATE):
        svc.speech_record(
            actor=clerk(ew), candidate=candidate, summary="讲话", pledge="承诺", pledge_signed_on=held.date()
        )
    opens = DAY + days(30)
    meeting = assembly.meeting_create(
        actor=clerk(ew),
        compound=ew.world.compound_a,
        title="选举",
        voting_opens=at(opens),
        voting_closes=at(opens + days(2)),
        campaign=campaign,
    )
    assembly.motion_add(actor=clerk(ew), meeting=meeting, matter=2, title="修订管理规约")
    assembly.meeting_announce(actor=clerk(ew), meeting=meeting, on=opens - days(15))
    return campaign


def elected(ew):
    campaign = voting(ew)
    meeting = GeneralMeeting.objects.get(campaign=campaign)
    slate = list(campaign.candidates.filter(status=Candidate.Status.ON_SLATE).order_by("pk"))
    for owner in ew.owners:
        votes = {1: {c.pk: "agree" for c in slate[:SEATS]}, 2: "agree"}
        assembly.ballots_cast_online(actor=owner.account, meeting=meeting, votes=votes, at=at(DAY + days(31)))
    assembly.meeting_count(actor=clerk(ew), meeting=meeting, now=at(DAY + days(33)))
    assembly.meeting_publish(actor=clerk(ew), meeting=meeting, on=DAY + days(33))
    return campaign


def cancelled(ew):
    return svc.campaign_cancel(actor=clerk(ew), campaign=nominating(ew), reason="改期")


STAGES = {
    wf.NOMINATING: nominating,
    wf.REVIEWING: reviewing,
    wf.INTERVIEWING: interviewing,
    wf.NOTICE: notice,
    wf.CAMPAIGNING: campaigning,
    wf.VOTING: voting,
    wf.ELECTED: elected,
    wf.CANCELLED: cancelled,
}
CELLS = [(stage, api) for stage in STAGES for api in STEP_MOVES]


def test_the_stages_built_here_are_every_state_of_the_machine():
    assert set(STAGES) == set(wf.CAMPAIGN.states)


def trail(campaign) -> list[tuple[str, str]]:
    return list(CampaignStep.objects.filter(campaign=campaign).order_by("at", "pk").values_list("source", "target"))


@pytest.mark.parametrize(("stage", "api"), CELLS, ids=[f"{api}-at-{stage}" for stage, api in CELLS])
def test_a_step_moves_the_campaign_where_the_machine_says_or_is_refused_with_nothing_written(ew, db, clock, stage, api):
    campaign = STAGES[stage](ew)
    campaign.refresh_from_db()
    assert campaign.status == stage
    before, audit_rows = trail(campaign), AuditEntry.objects.count()
    move = STEP_MOVES[api]
    if wf.CAMPAIGN.can(stage, move):
        API_STEPS[api].run(actor=clerk(ew), campaign=campaign, data=DATA)
        campaign.refresh_from_db()
        assert campaign.status == wf.CAMPAIGN.next(stage, move)
        assert trail(campaign) == [*before, (stage, campaign.status)]
    else:
        with pytest.raises(ValidationError):
            API_STEPS[api].run(actor=clerk(ew), campaign=campaign, data=DATA)
        campaign.refresh_from_db()
        assert campaign.status == stage
        assert trail(campaign) == before and AuditEntry.objects.count() == audit_rows


# --- Random walks through the services ---------------------------------------------------------------------


def _nominate(ew, campaign) -> bool:
    """The next three owners not standing yet (at most the seats and one more in all)."""
    taken = set(campaign.candidates.values_list("person_id", flat=True))
    people = [p for p in ew.owners[: SEATS + 1] if p.pk not in taken][:3] or [ew.owners[0]]
    for person in people:
        svc.candidate_nominate(actor=clerk(ew), campaign=campaign, person=person, route="community", on=DAY)
    return True


def _decide_reviews(ew, campaign) -> bool:
    """Every pending review passes; with none pending, the first review is decided again (so that a stage refuses)."""
    reviews = Review.objects.filter(candidate__campaign=campaign).order_by("pk")
    pending = list(reviews.filter(outcome=Review.Outcome.PENDING)) or list(reviews[:1])
    for review in pending:
        svc.review_record(actor=ew.reviewers[review.body_id], review=review, outcome="pass")
    return bool(pending)


def _interview(ew, campaign) -> bool:
    """Every interviewable candidate passes; with none, the first candidate is tried (so that a stage refuses)."""
    candidates = list(campaign.candidates.filter(status__in=wf.INTERVIEWABLE)) or list(campaign.candidates.all()[:1])
    for candidate in candidates:
        svc.interview_record(actor=clerk(ew), candidate=candidate, held_on=DAY, panel="社区", notes="清楚", passed=True)
    return bool(candidates)


def _publish_slate(ew, campaign) -> bool:
    chosen = list(campaign.candidates.filter(status=Candidate.Status.QUALIFIED, interview__passed=True))
    svc.slate_publish(actor=clerk(ew), campaign=campaign, candidates=chosen, seats=SEATS, notice_starts=DAY)
    return True


# The writes between the steps, each with the move it is declared as (all stay in their stage but the slate). Each
# answers whether it found anything to write (no review or candidate to decide or interview: nothing is tried).
WRITES = {
    "nominate": ("nominate", _nominate),
    "decide_reviews": ("record_review", _decide_reviews),
    "interview": ("record_interview", _interview),
    "publish_slate": ("publish_slate", _publish_slate),
}
ACTIONS = sorted([*STEP_MOVES, *WRITES])
# What goes on along the happy path from each stage (none: the campaign is past what these walks drive).
AHEAD = {
    wf.NOMINATING: lambda c: "nominate" if c.candidates.count() < SEATS + 1 else "review_start",
    wf.REVIEWING: lambda c: (
        "decide_reviews"
        if Review.objects.filter(candidate__campaign=c, outcome=Review.Outcome.PENDING).exists()
        else "interviews_start"
    ),
    wf.INTERVIEWING: lambda c: (
        "interview"
        if c.candidates.filter(status=Candidate.Status.QUALIFIED, interview__isnull=True).exists()
        else "publish_slate"
    ),
    wf.NOTICE: lambda c: "campaigning_start",
}
DONE, REFUSED, NOTHING = "done", "refused", "nothing to do"


def act(ew, campaign, action: str, reason: str) -> tuple[str, str]:
    """Take `action` through the services, all or nothing: the move it is declared as, and what came of it."""
    move = STEP_MOVES.get(action) or WRITES[action][0]
    try:
        with transaction.atomic():
            if action in STEP_MOVES:
                API_STEPS[action].run(actor=clerk(ew), campaign=campaign, data={"note": "", "reason": reason})
                return move, DONE
            return move, DONE if WRITES[action][1](ew, campaign) else NOTHING
    except (ValidationError, PermissionDenied):
        return move, REFUSED


def assert_declared(campaign) -> None:
    """The campaign's recorded history is a chain of declared moves from where a campaign starts to where it is."""
    steps = trail(campaign)
    assert steps[0] == ("", wf.CAMPAIGN.initial)
    for (_, reached), (source, target) in zip(steps, steps[1:], strict=False):
        assert source == reached
        assert any(wf.CAMPAIGN.can(source, m) and wf.CAMPAIGN.next(source, m) == target for m in wf.CAMPAIGN.moves)
    assert steps[-1][1] == campaign.status
    assert campaign.status in wf.CAMPAIGN.reachable()
    assert set(campaign.candidates.values_list("status", flat=True)) <= set(wf.CANDIDATE.states)


# A walk's plan: each turn goes on along the happy path (True) or tries the action beside it, a cancel with the reason
# or without one.
TURNS = st.lists(
    st.tuples(st.booleans(), st.sampled_from(ACTIONS), st.sampled_from(["改期", ""])), min_size=6, max_size=24
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(turns=TURNS)
def test_random_walks_through_the_services_only_ever_take_declared_moves(ew, db, clock, turns):
    """Each turn either goes on along the happy path or tries any step or write at random, a cancel with or without
    its reason. Whatever is done is a move the machine declares from the stage the campaign is at, and leads where the
    machine says; whatever is refused leaves the stage, the campaign's history and the audit trail as they were."""
    with transaction.atomic():
        campaign = open_campaign(ew)
        stage = wf.CAMPAIGN.initial
        for go_on, tried, reason in turns:
            ahead = AHEAD.get(stage)
            action = ahead(campaign) if go_on and ahead is not None else tried
            before, audit_rows = trail(campaign), AuditEntry.objects.count()
            move, outcome = act(ew, campaign, action, reason if action == "cancel" else "")
            campaign = Campaign.objects.get(pk=campaign.pk)
            if outcome == DONE:
                assert wf.CAMPAIGN.can(stage, move), f"{action} was done at {stage}"
                following = wf.CAMPAIGN.next(stage, move)
                assert campaign.status == following
                assert trail(campaign) == before + ([(stage, following)] if following != stage else [])
                stage = following
            else:
                assert campaign.status == stage
                assert trail(campaign) == before and AuditEntry.objects.count() == audit_rows
            assert_declared(campaign)
        event(f"reached {stage}")
        transaction.set_rollback(True)
