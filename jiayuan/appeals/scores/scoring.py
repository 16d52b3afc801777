"""The three rates (三率) per unit and month, read from the appeals with aggregate queries.

Definitions (the same on the scores page, in the API and in `jiayuan report appeals`):

- An order counts for the month in which it was received: `received_at` from 00:00 on the
  1st of the month, Asia/Shanghai (the project's TIME_ZONE), up to 00:00 on the 1st of the
  next month. Merged duplicates are not orders of their own (their original is).
- Rated orders: the month's orders that carry a rating. As the 12345 hotlines do, the resident
  answers three questions when rating (on their own page, or to the staff member whose callback
  reached them when they have no account): were you contacted by the handling unit (yes/no), was
  the problem solved (yes/no), and how satisfied are you.
- Contacted: rated orders whose resident answered yes to "contacted" (`rated_contacted`).
- Solved: rated orders whose resident answered yes to "solved" (`rated_solved`). What the
  handling unit recorded (`contacted_at`, `resolved_at`) does not count: the resident judges.
- Satisfied and basically satisfied: the rating.
- The rates and the composite are computed by `rates.rates` with exact fractions:
  response = contacted / rated, resolution = solved / rated,
  satisfaction = (satisfied + 9/10 × basically satisfied) / rated, composite = the weighted sum
  with settings.APPEAL_SCORE_WEIGHTS (response, resolution, satisfaction; "1/10", "1/2", "2/5"
  by default; they must add up to 1, otherwise ImproperlyConfigured).

Units judged, both the whistle-blowing side and the departments:
- town, community, compound: by the appeal's compound (where the problem was reported);
- department: orders whose handling unit is the department (level "department"; for a rated
  order that is the department which resolved it, `resolved_level` = department), plus the
  number of the month's orders the department returned (退单).

Rankings use `rates.rank` (competition ranking: ties share a rank, the next rank skips) over
the composite of the units with at least one rated order; units without a rated order are
listed unranked (rank None), after the ranked ones.

Scope: everything is read within what the viewer may see (the staff part of the appeals
selectors' scope): area staff judge the towns, communities and compounds of their area and the
departments handling appeals from it; department staff judge their own department. The
figures come from GROUP BY queries on the appeals table (Count with a filter per measure),
restricted by an index-friendly received_at range; no appeal is loaded into Python.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiayuan.core.scope import Scope, scope_for
from jiayuan.organisations.models import Organisation
from jiayuan.places.models import City, Community, Compound, Town

from .. import workflow
from ..models import Appeal, AppealEvent
from . import rates
from .periods import Counters, Month, Scoreboard, TrendPoint, UnitScore, exact, score_weights

TOWN, COMMUNITY, COMPOUND, DEPARTMENT = "town", "community", "compound", "department"
LEVELS = (TOWN, COMMUNITY, COMPOUND, DEPARTMENT)
LEVEL_LABELS = {
    TOWN: gettext_lazy("towns and subdistricts"),
    COMMUNITY: gettext_lazy("communities"),
    COMPOUND: gettext_lazy("compounds"),
    DEPARTMENT: gettext_lazy("city departments"),
}
SOLVED_STATES = (workflow.RESOLVED, workflow.CALLED_BACK, workflow.CLOSED)
RATINGS = tuple(Appeal.Rating.values)
TREND_MONTHS = 12
_GROUP_BY = {
    TOWN: "compound__community__town_id",
    COMMUNITY: "compound__community_id",
    COMPOUND: "compound_id",
    DEPARTMENT: "unit_id",
}


# --- scope --------------------------------------------------------------------------------


def may_see_scores(viewer) -> bool:
    """Staff scopes only: area staff and department staff; residents and others do not."""
    scope = scope_for(viewer)
    return scope.is_staff_scope or bool(scope.department_ids)


def levels_for(viewer) -> tuple[str, ...]:
    """The levels a viewer may look at, broadest first."""
    scope = scope_for(viewer)
    levels = []
    if scope.everything or scope.town_ids:
        levels.append(TOWN)
    if scope.everything or scope.town_ids or scope.community_ids:
        levels.append(COMMUNITY)
    if scope.is_staff_scope:
        levels.append(COMPOUND)
    if scope.is_staff_scope or scope.department_ids:
        levels.append(DEPARTMENT)
    return tuple(levels)


def natural_level(viewer) -> str | None:
    """Where the scores page starts: the level just below the viewer's own area (its own department)."""
    scope = scope_for(viewer)
    if scope.everything:
        return TOWN
    if scope.town_ids:
        return COMMUNITY
    if scope.is_staff_scope:
        return COMPOUND
    if scope.department_ids:
        return DEPARTMENT
    return None


def check_level(viewer, level: str | None, *, field_name: str = "level") -> str:
    """The level asked for (default: the viewer's natural one), or ValidationError naming the field."""
    allowed = levels_for(viewer)
    chosen = (level or "").strip() or natural_level(viewer)
    if chosen not in allowed:
        raise ValidationError(
            {
                field_name: _("“%(value)s” is not a level you can look at; choose one of: %(choices)s.")
                % {"value": (level or "")[:20], "choices": ", ".join(allowed) or "-"}
            }
        )
    return chosen


def _area_q(region, prefix: str = "") -> Q:
    """Appeals (or, with prefix, related rows) inside a city, town, community or compound; Q() for None."""
    if region is None:
        return Q()
    if isinstance(region, City):
        return Q(**{f"{prefix}compound__community__town__city_id": region.pk})
    if isinstance(region, Town):
        return Q(**{f"{prefix}compound__community__town_id": region.pk})
    if isinstance(region, Community):
        return Q(**{f"{prefix}compound__community_id": region.pk})
    if isinstance(region, Compound):
        return Q(**{f"{prefix}compound_id": region.pk})
    raise TypeError(f"not a region: {region!r}")


def _scope_q(scope: Scope, level: str, prefix: str = "") -> Q:
    """The viewer's appeals for a level: their area's (all levels); at department level also their departments'."""
    if scope.everything:
        return Q()
    q = Q(pk__in=[])
    if scope.is_staff_scope:
        q |= scope.compounds_q(f"{prefix}compound__")
    if level == DEPARTMENT and scope.department_ids:
        q |= Q(**{f"{prefix}unit_id__in": sorted(scope.department_ids)})
    return q


def _month_q(month_from: Month, month_to: Month | None = None, prefix: str = "") -> Q:
    """received_at in [first month's start, last month's end): an index-friendly range."""
    last = month_to or month_from
    return Q(**{f"{prefix}received_at__gte": month_from.start, f"{prefix}received_at__lt": last.end})


def _base(scope: Scope, level: str, region=None):
    """The appeals a level's figures are made of (not yet narrowed to a month)."""
    queryset = Appeal.objects.filter(_scope_q(scope, level), _area_q(region)).exclude(status=workflow.MERGED)
    if level == DEPARTMENT:
        queryset = queryset.filter(level=Appeal.Level.DEPARTMENT)
    return queryset.order_by()


_RATED = Q(rating__in=RATINGS)


def _measures() -> dict:
    """The Count aggregates of one tally (one COUNT ... FILTER per measure)."""
    return {
        "orders": Count("pk"),
        "rated": Count("pk", filter=_RATED),
        "contacted": Count("pk", filter=_RATED & Q(rated_contacted=True)),
        "solved": Count("pk", filter=_RATED & Q(rated_solved=True)),
        "satisfied": Count("pk", filter=Q(rating=Appeal.Rating.SATISFIED)),
        "basic": Count("pk", filter=Q(rating=Appeal.Rating.BASIC)),
    }


def _tally(row: dict) -> tuple[int, rates.Tally]:
    return row["orders"], rates.Tally(
        rated=row["rated"],
        contacted=row["contacted"],
        solved=row["solved"],
        satisfied=row["satisfied"],
        basically_satisfied=row["basic"],
    )


_EMPTY = {"orders": 0, "rated": 0, "contacted": 0, "solved": 0, "satisfied": 0, "basic": 0}


# --- units --------------------------------------------------------------------------------


def _area_units(scope: Scope, level: str, region) -> list[tuple[int, str | None, str]]:
    """(pk, code, name) of the towns, communities or compounds the viewer may see (within region)."""
    if level == TOWN:
        queryset = Town.objects.filter(scope.towns_q())
        if region is not None:
            queryset = queryset.filter(pk__in=_region_towns(region))
    elif level == COMMUNITY:
        queryset = Community.objects.filter(scope.communities_q())
        if region is not None:
            queryset = _communities_in(queryset, region)
    else:
        queryset = Compound.objects.filter(scope.compounds_q())
        if region is not None:
            queryset = _compounds_in(queryset, region)
    return list(queryset.order_by("code").values_list("pk", "code", "name"))


def _region_towns(region) -> list[int]:
    if isinstance(region, City):
        return list(Town.objects.filter(city=region).values_list("pk", flat=True))
    if isinstance(region, Town):
        return [region.pk]
    if isinstance(region, Community):
        return [region.town_id]
    return [region.community.town_id]


def _communities_in(queryset, region):
    if isinstance(region, City):
        return queryset.filter(town__city=region)
    if isinstance(region, Town):
        return queryset.filter(town=region)
    if isinstance(region, Community):
        return queryset.filter(pk=region.pk)
    return queryset.filter(pk=region.community_id)


def _compounds_in(queryset, region):
    if isinstance(region, City):
        return queryset.filter(community__town__city=region)
    if isinstance(region, Town):
        return queryset.filter(community__town=region)
    if isinstance(region, Community):
        return queryset.filter(community=region)
    return queryset.filter(pk=region.pk)


def _department_units(scope: Scope, month: Month, seen: set[int]) -> list[tuple[int, str | None, str]]:
    """Departments to list: all existing ones (city-wide scope) or one's own, plus any with figures."""
    wanted = Q(pk__in=sorted(seen))
    if scope.everything:
        wanted |= Q(kind=Organisation.Kind.DEPARTMENT, established_on__lt=month.end.date()) & (
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=month.start.date())
        )
    elif scope.department_ids:
        wanted |= Q(pk__in=sorted(scope.department_ids))
    return list(Organisation.objects.filter(wanted).order_by("name", "pk").values_list("pk", "credit_code", "name"))


def _returned(scope: Scope, month: Month, region) -> dict[int, int]:
    """Per department: the month's orders (received in it) that the department returned (退单)."""
    q = (
        Q(action="return", unit__isnull=False)
        & _month_q(month, prefix="appeal__")
        & _area_q(region, "appeal__")
        & ~Q(appeal__status=workflow.MERGED)
    )
    if not scope.everything:
        visible = Q(unit_id__in=sorted(scope.department_ids))
        if scope.is_staff_scope:
            visible |= scope.compounds_q("appeal__compound__")
        q &= visible
    rows = AppealEvent.objects.filter(q).order_by().values("unit_id").annotate(n=Count("appeal_id", distinct=True))
    return {row["unit_id"]: row["n"] for row in rows}


# --- the selectors ---------------------------------------------------------------------------


def scoreboard(*, viewer, month: Month, level: str, region=None) -> Scoreboard:
    """The month's figures and ranking of every unit of `level` the viewer may judge.

    `level` must be one of levels_for(viewer) (check_level gives a clear error otherwise);
    `region` (a City, Town, Community or Compound the caller has checked the viewer may see)
    narrows the figures to the appeals inside it.
    """
    scope = scope_for(viewer)
    if level not in levels_for(viewer):
        raise ValidationError({"level": _("“%(value)s” is not a level you can look at.") % {"value": level}})
    weights = score_weights()
    key = _GROUP_BY[level]
    grouped = {
        row[key]: row
        for row in _base(scope, level, region).filter(_month_q(month)).values(key).annotate(**_measures())
        if row[key] is not None
    }
    returned: dict[int, int] = {}
    if level == DEPARTMENT:
        returned = _returned(scope, month, region)
        units = _department_units(scope, month, set(grouped) | set(returned))
        if not scope.everything and not scope.is_staff_scope:
            units = [unit for unit in units if unit[0] in scope.department_ids]
    else:
        units = _area_units(scope, level, region)
    rows = []
    for pk, code, name in units:
        orders, tally = _tally(grouped.get(pk, _EMPTY))
        rows.append(
            UnitScore(
                level=level,
                pk=pk,
                code=code,
                name=name,
                orders=orders,
                tally=tally,
                rates=rates.rates(tally, weights),
                returned=returned.get(pk, 0) if level == DEPARTMENT else None,
            )
        )
    ranks = rates.rank({row.pk: row.rates.composite for row in rows if row.tally.rated})
    for row in rows:
        row.rank = ranks.get(row.pk)
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, row.code or "", row.name))
    total = _sum(rows, level=level, weights=weights)
    return Scoreboard(month=month, level=level, weights=weights, rows=rows, total=total, area=region)


def _sum(rows: list[UnitScore], *, level: str, weights) -> UnitScore:
    fields = ("rated", "contacted", "solved", "satisfied", "basically_satisfied")
    sums = {name: sum(getattr(row.tally, name) for row in rows) for name in fields}
    tally = rates.Tally(**sums)
    return UnitScore(
        level=level,
        pk=None,
        code=None,
        name=str(_("All")),
        orders=sum(row.orders for row in rows),
        tally=tally,
        rates=rates.rates(tally, weights),
        returned=sum(row.returned or 0 for row in rows) if level == DEPARTMENT else None,
    )


def trend(*, viewer, month: Month, level: str, months: int = TREND_MONTHS, region=None) -> list[TrendPoint]:
    """The viewer's whole area (or departments, at department level) month by month, ending at `month`.

    One query: the months' received_at range, grouped by the month (in the project's time zone).
    """
    scope = scope_for(viewer)
    weights = score_weights()
    first = month.shift(-(months - 1))
    queryset = _base(scope, level, region)
    if level == DEPARTMENT and not scope.everything and not scope.is_staff_scope:
        queryset = queryset.filter(unit_id__in=sorted(scope.department_ids))
    rows = (
        queryset.filter(_month_q(first, month))
        .annotate(month=TruncMonth("received_at", tzinfo=timezone.get_default_timezone()))
        .values("month")
        .annotate(**_measures())
    )
    by_month = {
        Month.of(timezone.localtime(row["month"]) if timezone.is_aware(row["month"]) else row["month"]): row
        for row in rows
    }
    points = []
    for each in (first.shift(i) for i in range(months)):
        orders, tally = _tally(by_month.get(each, _EMPTY))
        points.append(TrendPoint(month=each, orders=orders, tally=tally, rates=rates.rates(tally, weights)))
    return points


def counters(*, viewer, month: Month, region=None) -> Counters:
    """Problems solved by departments (resolved at department level) and through four-party meetings,
    all time and among the month's orders, within the viewer's scope (and region). One query."""
    scope = scope_for(viewer)
    solved = Q(resolved_at__isnull=False, status__in=SOLVED_STATES)
    by_department = Q(resolved_level=Appeal.Level.DEPARTMENT)
    four_party = Q(via_four_party=True)
    in_month = _month_q(month)
    row = (
        Appeal.objects.filter(_scope_q(scope, DEPARTMENT), _area_q(region), solved)
        .filter(by_department | four_party)
        .order_by()
        .aggregate(
            departments=Count("pk", filter=by_department),
            departments_month=Count("pk", filter=by_department & in_month),
            four_party=Count("pk", filter=four_party),
            four_party_month=Count("pk", filter=four_party & in_month),
        )
    )
    return Counters(
        solved_by_departments=row["departments"],
        solved_by_departments_in_month=row["departments_month"],
        solved_by_four_party_meetings=row["four_party"],
        solved_by_four_party_meetings_in_month=row["four_party_month"],
    )


# --- JSON ------------------------------------------------------------------------------------


def payload(board: Scoreboard, *, points: list[TrendPoint] | None = None, numbers: Counters | None = None) -> dict:
    """The figures as JSON-ready data (the API answer; the report builds on it)."""
    data = {
        "month": str(board.month),
        "level": board.level,
        "weights": {
            name: exact(weight)
            for name, weight in zip(("response", "resolution", "satisfaction"), board.weights, strict=True)
        },
        "units": [row.as_dict() for row in board.rows],
        "total": board.total.as_dict(),
    }
    if points is not None:
        data["trend"] = [
            {
                "month": str(point.month),
                "orders": point.orders,
                "rated": point.tally.rated,
                "response_rate": float(point.rates.response),
                "resolution_rate": float(point.rates.resolution),
                "satisfaction_rate": float(point.rates.satisfaction),
                "composite": float(point.rates.composite),
                "composite_exact": exact(point.rates.composite),
            }
            for point in points
        ]
    if numbers is not None:
        data.update(numbers.as_dict())
    return data


# --- the appeal list behind each number ------------------------------------------------------


def filter_appeals(
    queryset,
    *,
    month: Month | None = None,
    town=None,
    community=None,
    rated: bool | None = None,
    contacted: bool | None = None,
    solved: bool | None = None,
    ratings: tuple[str, ...] = (),
    level: str = "",
    resolved: bool = False,
    resolved_level: str = "",
    four_party: bool = False,
    returned_by=None,
):
    """Narrow an (already scoped) appeal queryset to the appeals behind one figure of the scores page.

    The appeal list page applies this to its query parameters month=YYYY-MM, town=<pk>,
    community=<pk>, rated=1|0, contacted=1|0 and solved=1|0 (the resident's answers, rated orders
    only), rating=satisfied,basic, level=department, resolved=1 (resolved, called back or closed: the
    counters), resolved_level=department, four_party=1, returned_by=<department pk>
    (compound=<pk> and unit=<pk> it filters itself). None or False leaves a filter out.
    """
    if month is not None:
        queryset = queryset.filter(_month_q(month)).exclude(status=workflow.MERGED)
    if town is not None:
        queryset = queryset.filter(compound__community__town=town)
    if community is not None:
        queryset = queryset.filter(compound__community=community)
    if rated is not None:
        queryset = queryset.filter(_RATED) if rated else queryset.exclude(_RATED)
    if contacted is not None:
        queryset = queryset.filter(_RATED, rated_contacted=contacted)
    if solved is not None:
        queryset = queryset.filter(_RATED, rated_solved=solved)
    if ratings:
        queryset = queryset.filter(rating__in=[value for value in ratings if value in RATINGS])
    if level:
        queryset = queryset.filter(level=level)
    if resolved:
        queryset = queryset.filter(resolved_at__isnull=False, status__in=SOLVED_STATES)
    if resolved_level:
        queryset = queryset.filter(resolved_level=resolved_level)
    if four_party:
        queryset = queryset.filter(via_four_party=True)
    if returned_by is not None:
        queryset = queryset.filter(
            pk__in=AppealEvent.objects.filter(action="return", unit=returned_by).values("appeal_id")
        )
    return queryset
