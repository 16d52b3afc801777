"""Three-rate scores as JSON, /api/v1/appeal-scores. The same selectors as the page and `jiayuan report appeals`.

Rates are given twice: as floats between 0 and 1 (`response_rate`, ...) and exactly, as
"n/d" strings (`response_rate_exact`, ...); a unit with no rated order in the month has null for both,
and no rank. A bad month or level answers 422 naming the field; viewers without a staff scope get 404.
"""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Schema

from . import scoring
from .scoring import Month

router = Router(tags=["appeal scores"])


class UnitScoreOut(Schema):
    id: int | None
    code: str | None
    name: str
    level: str
    orders: int
    rated: int
    contacted: int
    solved: int
    satisfied: int
    basically_satisfied: int
    returned: int | None
    # None (null) for a unit with no rated order: its rates are undefined, not 0, and it has no rank.
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    composite: float | None
    response_rate_exact: str | None
    resolution_rate_exact: str | None
    satisfaction_rate_exact: str | None
    composite_exact: str | None
    rank: int | None


class TrendPointOut(Schema):
    month: str
    orders: int
    rated: int
    response_rate: float
    resolution_rate: float
    satisfaction_rate: float
    composite: float
    composite_exact: str


class WeightsOut(Schema):
    response: str
    resolution: str
    satisfaction: str


class ScoresOut(Schema):
    month: str
    level: str
    weights: WeightsOut
    units: list[UnitScoreOut]
    total: UnitScoreOut
    trend: list[TrendPointOut]
    solved_by_departments: int
    solved_by_departments_in_month: int
    solved_by_four_party_meetings: int
    solved_by_four_party_meetings_in_month: int


@router.get(
    "",
    response=ScoresOut,
    summary="Response, resolution and satisfaction rates and the ranking of a month",
    operation_id="jiayuan_appeals_score_api_appeal_scores",  # the id it was published with, kept for clients
)
def appeal_scores(request, month: str | None = None, level: str | None = None):
    """The figures of every unit of `level` (town, community, compound or department; default: the
    level below the viewer's own area) for `month` (YYYY-MM, default this month, Asia/Shanghai),
    ranked by composite score; the total; the 12 months up to `month`; and the report counters."""
    if not scoring.may_see_scores(request.user):
        raise Http404
    chosen_month = Month.parse(month)
    chosen_level = scoring.check_level(request.user, level)
    board = scoring.scoreboard(viewer=request.user, month=chosen_month, level=chosen_level)
    points = scoring.trend(viewer=request.user, month=chosen_month, level=chosen_level)
    numbers = scoring.counters(viewer=request.user, month=chosen_month)
    return scoring.payload(board, points=points, numbers=numbers)
