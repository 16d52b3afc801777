"""Coverage figures as JSON, /api/v1/dashboard/. The same selectors as the pages and `jiayuan report`."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from jiayuan.core.api import SaneDate
from jiayuan.core.scope import scope_for

from . import selectors

router = Router(tags=["dashboard"])

Indicator = Literal[selectors.INDICATORS]  # type: ignore[valid-type]
Level = Literal["city", "town", "community", "compound", "scope"]


class RegionOut(Schema):
    code: str | None
    name: str
    level: Level


class CoverageFigures(Schema):
    compounds: int
    party_org_compounds: int
    party_org_coverage: float
    committee_compounds: int
    committee_formation: float
    yijiantiao_compounds: int
    red_committees: int
    red_committee_share: float
    two_committee_post_holders: int
    building_heads: int
    party_venues: int


class CoverageRow(CoverageFigures):
    region: RegionOut


class CoverageOut(Schema):
    region: RegionOut
    as_of: dt.date
    totals: CoverageFigures
    rows: list[CoverageRow]


class CoverageCompoundOut(Schema):
    id: int
    code: str
    name: str
    community: RegionOut
    town: RegionOut


def _region(request, code: str | None):
    """The region asked for, or the viewer's starting one; 404 naming `region` outside the scope."""
    if not scope_for(request.user).is_staff_scope:
        raise HttpError(404, "No coverage figures are within your scope.")
    if not code:
        return selectors.starting_region(viewer=request.user)
    try:
        return selectors.region_get(viewer=request.user, code=code)
    except Http404:
        raise HttpError(404, f"region: no region with code {code!r} is within your scope.") from None


def _report(request, region: str | None, as_of: dt.date | None):
    return selectors.coverage_report(
        viewer=request.user, region=_region(request, region), day=as_of or timezone.localdate()
    )


@router.get("/coverage", response=CoverageOut, summary="Coverage figures of a region and its child regions")
def coverage(request, region: str | None = None, as_of: SaneDate | None = None):
    """Totals for `region` (a city, town, community or compound code; default: where the viewer's
    dashboard starts) as of `as_of` (YYYY-MM-DD, default today), and one row per child region.
    Rates are fractions between 0 and 1."""
    return selectors.coverage_payload(_report(request, region, as_of))


@router.get(
    "/coverage/compounds", response=list[CoverageCompoundOut], summary="The compounds behind one coverage figure"
)
def coverage_compounds(
    request, indicator: Indicator, missing: bool = False, region: str | None = None, as_of: SaneDate | None = None
):
    """The compounds behind `indicator` in `region` as of `as_of`; with `missing=true`, those lacking it."""
    report = _report(request, region, as_of)
    return [
        {
            "id": compound.pk,
            "code": compound.code,
            "name": compound.name,
            "community": selectors.region_dict(compound.community),
            "town": selectors.region_dict(compound.community.town),
        }
        for compound in selectors.compounds_behind(report=report, indicator=indicator, missing=missing)
    ]
