"""The three workflows of an election, declared in one place as core `Machine`s. Pure: no Django import.

The campaign:

    nominating ─review→ reviewing ─interview→ interviewing ─publish_slate→ notice ─campaign→ campaigning
        ─vote→ voting ─elect→ elected          (any stage before elected) ─cancel→ cancelled
    voting ─reschedule→ campaigning   (its general meeting was cancelled before the count; call another)

A candidate:

    nominated ─review→ under_review ⇄ qualified ⇄ disqualified   (qualify, disqualify, reconsider: the
        verdict follows every body's review, and a review decided again can change it)
    qualified ⇄ interview_failed   (pass_interview, fail_interview: the interview recorded again)
    qualified ─put_on_slate→ on_slate ─strike_off→ struck_off   (an objection upheld)
    on_slate ─elect→ elected / ─not_elect→ not_elected   (the general meeting's results published)
    (any state before the vote) ─withdraw→ withdrawn

The general meeting:

    draft ─announce→ announced ─count→ counted ─publish→ published     draft, announced ─cancel→ cancelled

Moves that stay (`STAY`) are what a stage permits without moving on: nominating while the campaign takes
nominations, casting ballots while the meeting is announced. A candidate's moves are checked together with
the campaign's: recording a review needs both the campaign reviewing and the candidate in review.

What each move requires besides (enough candidates, every review decided, objections answered…) is checked
by the service that makes it (`services.campaign`, `services.assembly`).
"""

from __future__ import annotations

from jiayuan.core.workflow import STAY, Machine, Move

# --- The campaign -------------------------------------------------------------------------------------

NOMINATING = "nominating"
REVIEWING = "reviewing"
INTERVIEWING = "interviewing"
NOTICE = "notice"
CAMPAIGNING = "campaigning"
VOTING = "voting"
ELECTED = "elected"  # the campaign's last stage, and a candidate's state: the same word
CANCELLED = "cancelled"  # a campaign's and a general meeting's state: the same word

STAGES = (NOMINATING, REVIEWING, INTERVIEWING, NOTICE, CAMPAIGNING, VOTING, ELECTED)
OPEN_STAGES = frozenset({NOMINATING, REVIEWING, INTERVIEWING, NOTICE, CAMPAIGNING, VOTING})

CAMPAIGN = Machine(
    "campaign",
    states=(*STAGES, CANCELLED),
    initial=NOMINATING,
    moves=(
        Move("review", {NOMINATING}, REVIEWING),
        Move("interview", {REVIEWING}, INTERVIEWING),
        Move("publish_slate", {INTERVIEWING}, NOTICE),
        Move("campaign", {NOTICE}, CAMPAIGNING),
        Move("vote", {CAMPAIGNING}, VOTING),
        Move("elect", {VOTING}, ELECTED),
        Move("reschedule", {VOTING}, CAMPAIGNING),
        Move("cancel", OPEN_STAGES, CANCELLED, needs_reason=True),
        # What the stages permit without moving on.
        Move("add_preparatory_member", OPEN_STAGES, STAY),
        Move("nominate", {NOMINATING}, STAY),
        Move("withdraw_candidate", OPEN_STAGES - {VOTING}, STAY),
        Move("record_review", {REVIEWING}, STAY),
        Move("record_interview", {INTERVIEWING}, STAY),
        Move("lodge_objection", {NOTICE}, STAY),
        Move("answer_objection", {NOTICE, CAMPAIGNING}, STAY),
        Move("record_campaign_meeting", {CAMPAIGNING}, STAY),
        Move("record_speech", {CAMPAIGNING}, STAY),
        Move("call_meeting", {CAMPAIGNING}, STAY),
        Move("choose_officers", {ELECTED}, STAY),  # the new committee's first meeting
    ),
)

# --- A candidate -------------------------------------------------------------------------------------

NOMINATED = "nominated"
UNDER_REVIEW = "under_review"
QUALIFIED = "qualified"
DISQUALIFIED = "disqualified"
INTERVIEW_FAILED = "interview_failed"
ON_SLATE = "on_slate"
STRUCK_OFF = "struck_off"
WITHDRAWN = "withdrawn"
NOT_ELECTED = "not_elected"

CANDIDATE_STATES = (
    NOMINATED,
    UNDER_REVIEW,
    QUALIFIED,
    DISQUALIFIED,
    INTERVIEW_FAILED,
    ON_SLATE,
    STRUCK_OFF,
    WITHDRAWN,
    ELECTED,
    NOT_ELECTED,
)
IN_REVIEW = frozenset({UNDER_REVIEW, QUALIFIED, DISQUALIFIED})
INTERVIEWABLE = frozenset({QUALIFIED, INTERVIEW_FAILED})
# Still standing: the candidate's page offers withdrawal only to these.
STANDING = frozenset({NOMINATED, UNDER_REVIEW, QUALIFIED, DISQUALIFIED, INTERVIEW_FAILED, ON_SLATE})

CANDIDATE = Machine(
    "candidate",
    states=CANDIDATE_STATES,
    initial=NOMINATED,
    moves=(
        Move("review", {NOMINATED}, UNDER_REVIEW),
        Move("record_review", IN_REVIEW, STAY),
        Move("qualify", IN_REVIEW - {QUALIFIED}, QUALIFIED),
        Move("disqualify", IN_REVIEW - {DISQUALIFIED}, DISQUALIFIED),
        Move("reconsider", IN_REVIEW - {UNDER_REVIEW}, UNDER_REVIEW),
        Move("record_interview", INTERVIEWABLE, STAY),
        Move("pass_interview", {INTERVIEW_FAILED}, QUALIFIED),
        Move("fail_interview", {QUALIFIED}, INTERVIEW_FAILED),
        Move("put_on_slate", {QUALIFIED}, ON_SLATE),
        Move("lodge_objection", {ON_SLATE}, STAY),
        Move("strike_off", {ON_SLATE}, STRUCK_OFF),
        Move("record_speech", {ON_SLATE}, STAY),
        # Only a candidate still standing withdraws: a struck-off one stays struck off.
        Move("withdraw", STANDING, WITHDRAWN, needs_reason=True),
        Move("elect", {ON_SLATE}, ELECTED),
        Move("not_elect", {ON_SLATE}, NOT_ELECTED),
    ),
)

# --- The general meeting -------------------------------------------------------------------------------

DRAFT = "draft"
ANNOUNCED = "announced"
COUNTED = "counted"
PUBLISHED = "published"

MEETING = Machine(
    "general meeting",
    states=(DRAFT, ANNOUNCED, COUNTED, PUBLISHED, CANCELLED),
    initial=DRAFT,
    moves=(
        Move("add_motion", {DRAFT}, STAY),
        Move("announce", {DRAFT}, ANNOUNCED),  # freezes the electorate
        Move("cast", {ANNOUNCED}, STAY),  # online, on paper or on site
        Move("check_paper", {ANNOUNCED}, STAY),
        Move("correct_ballot", {ANNOUNCED}, STAY),
        Move("count", {ANNOUNCED}, COUNTED),
        Move("publish", {COUNTED}, PUBLISHED),
        Move("cancel", {DRAFT, ANNOUNCED}, CANCELLED, needs_reason=True),
    ),
)
