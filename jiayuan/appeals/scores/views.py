"""The three-rate scores page (三率): /appeals/scores/?month=YYYY-MM&level=town|community|compound|department.
Without a month it opens on the last complete one (this month's figures are still coming in).

The figures come from appeals.scores.scoring; this module only turns them into a ranking table,
chart data and links to the appeals behind every number.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from jiayuan.core.scope import scope_for

from . import scoring
from .scoring import Month

# The appeal-list parameter that selects a unit's orders, per level.
UNIT_PARAM = {"town": "town", "community": "community", "compound": "compound", "department": "unit"}


def appeal_list_url(**params) -> str:
    """The appeal list filtered to `params` (empty values dropped)."""
    try:
        base = reverse("appeals:appeal_list")
    except NoReverseMatch:  # the list page is not wired (yet)
        base = "/appeals/"
    query = urlencode({key: value for key, value in params.items() if value not in (None, "", False)})
    return f"{base}?{query}" if query else base


# What a rate shows when no rated order stands behind it: it is undefined, not 0%.
NO_FIGURE = "—"


def _percent(value) -> str:
    return f"{float(value) * 100:.1f}%"


def _links(level: str, pk: int | None, month: Month) -> dict[str, str]:
    """The appeals behind each number of a row (pk None: the viewer's whole area, the totals row)."""
    base = {"month": str(month)}
    if pk is not None:
        base[UNIT_PARAM[level]] = pk
    if level == "department":
        base["level"] = "department"
    return {
        "orders": appeal_list_url(**base),
        "rated": appeal_list_url(**base, rated=1),
        "response": appeal_list_url(**base, rated=1, contacted=1),
        "resolution": appeal_list_url(**base, rated=1, solved=1),
        "satisfaction": appeal_list_url(**base, rating="satisfied,basic"),
        "composite": appeal_list_url(**base, rated=1),
        "returned": appeal_list_url(month=str(month), returned_by=pk) if level == "department" and pk else "",
    }


def _row(row: scoring.UnitScore, month: Month) -> dict:
    """A row of the table (or the totals): its figures as shown, "—" for each rate when none was rated."""
    shown = {"unit": row, "links": _links(row.level, row.pk, month), "has_figures": row.has_figures}
    if not row.has_figures:
        return shown | {
            "response": NO_FIGURE,
            "resolution": NO_FIGURE,
            "satisfaction": NO_FIGURE,
            "composite": NO_FIGURE,
            "exact": {"response": "", "resolution": "", "satisfaction": "", "composite": ""},
        }
    return shown | {
        "response": _percent(row.rates.response),
        "resolution": _percent(row.rates.resolution),
        "satisfaction": _percent(row.rates.satisfaction),
        "composite": f"{float(row.rates.composite) * 100:.2f}",
        "exact": {
            "response": scoring.exact(row.rates.response),
            "resolution": scoring.exact(row.rates.resolution),
            "satisfaction": scoring.exact(row.rates.satisfaction),
            "composite": scoring.exact(row.rates.composite),
        },
    }


def _chart_data(board: scoring.Scoreboard, rows: list[dict], points: list[scoring.TrendPoint]) -> dict:
    def pct(value):
        return round(float(value) * 100, 2)

    return {
        "units": [row["unit"].name for row in rows],
        "composite": [pct(row["unit"].rates.composite) if row["has_figures"] else None for row in rows],
        "ranked": [row["unit"].rank is not None for row in rows],
        "urls": [row["links"]["orders"] for row in rows],
        "trend": {
            "months": [str(point.month) for point in points],
            "composite": [pct(point.rates.composite) if point.tally.rated else None for point in points],
            "response": [pct(point.rates.response) if point.tally.rated else None for point in points],
            "resolution": [pct(point.rates.resolution) if point.tally.rated else None for point in points],
            "satisfaction": [pct(point.rates.satisfaction) if point.tally.rated else None for point in points],
            "rated": [point.tally.rated for point in points],
        },
        "labels": {
            "composite": _("Composite score"),
            "response": _("Response rate"),
            "resolution": _("Resolution rate"),
            "satisfaction": _("Satisfaction rate"),
            "rated": _("Rated orders"),
            "unranked": _("no rated orders"),
        },
    }


@login_required
def scores(request):
    if not scoring.may_see_scores(request.user):
        raise Http404
    errors: dict[str, list[str]] = {}
    raw_month, raw_level = request.GET.get("month", ""), request.GET.get("level", "")
    # With no month chosen (or a bad one) the page opens on the last complete month, not this partial one.
    try:
        month = Month.parse(raw_month) if raw_month.strip() else Month.last_complete()
    except ValidationError as exc:
        errors.update(exc.message_dict)
        month = Month.last_complete()
    try:
        level = scoring.check_level(request.user, raw_level)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        level = scoring.natural_level(request.user)
    board = scoring.scoreboard(viewer=request.user, month=month, level=level)
    points = scoring.trend(viewer=request.user, month=month, level=level)
    numbers = scoring.counters(viewer=request.user, month=month)
    rows = [_row(row, month) for row in board.rows]
    total = _row(board.total, month)
    if len(rows) == 1:  # the whole area is this one unit: its links list exactly what the totals count
        total["links"] = rows[0]["links"]
    own = _own_department(request.user)
    context = {
        "month": month,
        "month_value": raw_month if "month" in errors else str(month),
        "level": level,
        "level_label": scoring.LEVEL_LABELS[level],
        "levels": [(choice, scoring.LEVEL_LABELS[choice]) for choice in scoring.levels_for(request.user)],
        "errors": errors,
        "board": board,
        "rows": rows,
        "total": total,
        "is_department": level == "department",
        "weights": [scoring.exact(weight) for weight in board.weights],
        "numbers": numbers,
        "counter_links": {
            "departments": appeal_list_url(resolved_level="department", resolved=1, unit=own),
            "departments_month": appeal_list_url(resolved_level="department", resolved=1, month=str(month), unit=own),
            "four_party": appeal_list_url(four_party=1, resolved=1, unit=own),
            "four_party_month": appeal_list_url(four_party=1, resolved=1, month=str(month), unit=own),
        },
        "chart_data": _chart_data(board, rows, points),
        "previous_month": str(month.shift(-1)),
        "next_month": str(month.shift(1)) if month < Month.current() else "",
    }
    return render(request, "appeals/scores.html", context, status=422 if errors else 200)


def _own_department(viewer) -> int | None:
    """The department of a login that judges only its own (one) department, else None.

    Such a login also sees appeals of other departments (those it returned, those of its linked
    compounds), so its department-wide links name the department to list exactly what is counted.
    """
    scope = scope_for(viewer)
    if scope.is_staff_scope or len(scope.department_ids) != 1:
        return None
    return next(iter(scope.department_ids))
