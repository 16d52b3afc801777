"""The election campaign's stages and the moves between them, declared in one place. Pure: no Django import.

    nominating ─review→ reviewing ─interview→ interviewing ─publish_slate→ notice ─campaign→ campaigning
        ─vote→ voting ─elect→ elected          (any stage before elected) ─cancel→ cancelled
    voting ─reschedule→ campaigning   (its general meeting was cancelled before the count; call another)

What each move requires (enough candidates, every review decided, objections answered…) is checked
by the service that makes it (`services.campaign`).
"""

from __future__ import annotations

NOMINATING = "nominating"
REVIEWING = "reviewing"
INTERVIEWING = "interviewing"
NOTICE = "notice"
CAMPAIGNING = "campaigning"
VOTING = "voting"
ELECTED = "elected"
CANCELLED = "cancelled"

STAGES = (NOMINATING, REVIEWING, INTERVIEWING, NOTICE, CAMPAIGNING, VOTING, ELECTED)
OPEN_STAGES = frozenset({NOMINATING, REVIEWING, INTERVIEWING, NOTICE, CAMPAIGNING, VOTING})

MOVES = {
    "review": (frozenset({NOMINATING}), REVIEWING),
    "interview": (frozenset({REVIEWING}), INTERVIEWING),
    "publish_slate": (frozenset({INTERVIEWING}), NOTICE),
    "campaign": (frozenset({NOTICE}), CAMPAIGNING),
    "vote": (frozenset({CAMPAIGNING}), VOTING),
    "elect": (frozenset({VOTING}), ELECTED),
    "reschedule": (frozenset({VOTING}), CAMPAIGNING),
    "cancel": (OPEN_STAGES, CANCELLED),
}


class StageError(ValueError):
    def __init__(self, action: str, stage: str):
        super().__init__(f"cannot {action} a campaign at stage {stage}")
        self.action = action
        self.stage = stage


def next_stage(stage: str, action: str) -> str:
    source, target = MOVES.get(action, (frozenset(), ""))
    if stage not in source:
        raise StageError(action, stage)
    return target


def allowed_moves(stage: str) -> list[str]:
    return [action for action, (source, _target) in MOVES.items() if stage in source]
