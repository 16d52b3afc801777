"""The appeal's states and the moves between them, declared in one place (a core `Machine`). Pure: no
model import, only gettext for the moves' names in messages.

    received ─accept→ accepted ─start→ in_progress ─resolve→ resolved ─close→ closed
        │                │                  │    ↑                │           │
        └──dispatch──────┴──dispatch→ dispatched  │ extension_*    └callback→ called_back ─close→ closed
                                       │  ↑       │                             closed ─reopen→ reopened ─start→ in_progress
                                       │  └reassign── returned ←return─┘ (only from dispatched)

`dispatch` escalates: from the compound to the community, or (the whistle) to a city
department. A returned order is reassigned by the dispatcher to another unit.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jiayuan.core.workflow import Machine, Move, MoveNotAllowed

RECEIVED = "received"
ACCEPTED = "accepted"
DISPATCHED = "dispatched"
IN_PROGRESS = "in_progress"
RETURNED = "returned"
REASSIGNED = "reassigned"
EXTENSION_REQUESTED = "extension_requested"
EXTENSION_GRANTED = "extension_granted"
RESOLVED = "resolved"
CALLED_BACK = "called_back"
CLOSED = "closed"
REOPENED = "reopened"
MERGED = "merged"

STATES = (
    RECEIVED,
    ACCEPTED,
    DISPATCHED,
    IN_PROGRESS,
    RETURNED,
    REASSIGNED,
    EXTENSION_REQUESTED,
    EXTENSION_GRANTED,
    RESOLVED,
    CALLED_BACK,
    CLOSED,
    REOPENED,
    MERGED,
)
OPEN_STATES = frozenset(set(STATES) - {CLOSED, MERGED})
# Open orders still waiting for a result: the handling unit has to act on them, and they can be late.
WAITING_STATES = frozenset(OPEN_STATES - {RESOLVED, CALLED_BACK})
# While the handling department may have the reporter's phone shown: the order is at it, waiting for its result.
CONTACT_REVEAL_STATES = WAITING_STATES
# Open311 knows only "open" and "closed": a resolved order is closed for the public.
PUBLIC_CLOSED = frozenset({RESOLVED, CALLED_BACK, CLOSED, MERGED})


# The moves, each with its name for messages ("“resolve” is not possible while the appeal is closed").
APPEAL = Machine(
    "appeal",
    states=STATES,
    initial=RECEIVED,
    moves=(
        Move("accept", {RECEIVED}, ACCEPTED, _("accept")),
        Move("dispatch", {RECEIVED, ACCEPTED, DISPATCHED, IN_PROGRESS, REOPENED}, DISPATCHED, _("dispatch")),
        Move(
            "start", {ACCEPTED, DISPATCHED, REASSIGNED, EXTENSION_GRANTED, REOPENED}, IN_PROGRESS, _("start handling")
        ),
        Move("return", {DISPATCHED}, RETURNED, _("return (退单)"), needs_reason=True),
        Move("reassign", {RETURNED}, REASSIGNED, _("reassign"), needs_reason=True),
        Move("request_extension", {IN_PROGRESS}, EXTENSION_REQUESTED, _("request an extension"), needs_reason=True),
        Move("grant_extension", {EXTENSION_REQUESTED}, EXTENSION_GRANTED, _("grant the extension")),
        Move("refuse_extension", {EXTENSION_REQUESTED}, IN_PROGRESS, _("refuse the extension"), needs_reason=True),
        Move("resolve", {ACCEPTED, IN_PROGRESS, EXTENSION_GRANTED}, RESOLVED, _("resolve")),
        Move("callback", {RESOLVED}, CALLED_BACK, _("call back")),
        Move("close", {RESOLVED, CALLED_BACK}, CLOSED, _("close")),
        Move("reopen", {RESOLVED, CALLED_BACK, CLOSED}, REOPENED, _("reopen"), needs_reason=True),
        # Only an order still waiting for a result is folded into another: a resolved or called-back one has had
        # its answer and a closed one is over (its reporter reopens it, then it may be merged).
        Move("merge", WAITING_STATES, MERGED, _("merge")),
    ),
)

# The two actions that are not moves of the workflow, with their names for messages: a supervisor's supervision and
# the resident's rating change no state.
OTHER_ACTIONS = {"supervise": _("supervise"), "rate": _("rate")}


def action_name(action: str) -> str:
    """An action's name for messages ("You may not resolve this appeal")."""
    if action in APPEAL.moves:
        return APPEAL.label(action)
    return str(OTHER_ACTIONS.get(action, action))


# The names the appeal code has always used for the machine's parts.
MOVES = APPEAL.moves
TransitionError = MoveNotAllowed
next_state = APPEAL.next


def allowed_actions(state: str) -> list[str]:
    return list(APPEAL.allowed(state))
