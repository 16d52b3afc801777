"""`jiayuan report NAME [--region CODE] [--as-of DATE] [--json]`: a dashboard figure set from the shell.

Runs as an operator who sees everything, against the database DATABASE_URL names, through the
same selectors as the dashboard pages and the API. Reports are registered in REPORTS by name;
each is a function (viewer, region, day) -> Report.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.models import User
from jiayuan.dashboard import selectors

USAGE_ERROR = 2  # exit code for an unknown report, region or date


@dataclass
class Report:
    """What a report prints: one JSON object, or a heading, labelled totals and a table."""

    data: dict
    heading: str
    totals: list[tuple[str, str]]
    columns: list[str]
    rows: list[list[str]]


def _percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def coverage(*, viewer, region, day: dt.date) -> Report:
    payload = selectors.coverage_payload(selectors.coverage_report(viewer=viewer, region=region, day=day))
    totals = payload["totals"]
    data = {"report": "coverage", "as_of": payload["as_of"], "region": payload["region"], **totals,
            "rows": payload["rows"]}
    region_name = payload["region"]["name"] or _("all regions")
    return Report(
        data=data,
        heading=_("Organisation coverage of %(region)s as of %(day)s") % {"region": region_name, "day": payload["as_of"]},
        totals=[
            (_("Compounds"), str(totals["compounds"])),
            (_("Party organisation coverage"),
             f"{_percent(totals['party_org_coverage'])} ({totals['party_org_compounds']}/{totals['compounds']})"),
            (_("Owners' committee formation"),
             f"{_percent(totals['committee_formation'])} ({totals['committee_compounds']}/{totals['compounds']})"),
            (_("一肩挑 compounds"), str(totals["yijiantiao_compounds"])),
            (_("Red owners' committees"),
             f"{totals['red_committees']} ({_percent(totals['red_committee_share'])})"),
            (_("Two-committee members in compound posts"), str(totals["two_committee_post_holders"])),
            (_("Party-member building heads"), str(totals["building_heads"])),
            (_("Party venues"), str(totals["party_venues"])),
        ],
        columns=[_("Region"), _("Code"), _("Compounds"), _("Party org"), _("Committee"), _("一肩挑"),
                 _("Red"), _("Two-committee"), _("Building heads"), _("Venues")],
        rows=[
            [row["region"]["name"], row["region"]["code"], str(row["compounds"]),
             _percent(row["party_org_coverage"]), _percent(row["committee_formation"]),
             str(row["yijiantiao_compounds"]), str(row["red_committees"]), str(row["two_committee_post_holders"]),
             str(row["building_heads"]), str(row["party_venues"])]
            for row in payload["rows"]
        ],
    )


# Issue 3 adds "appeals" here.
REPORTS: dict[str, Callable[..., Report]] = {"coverage": coverage}


def operator_viewer() -> User:
    """An unsaved superuser: the operator at the shell sees every region (scope_for gives it everything)."""
    return User(username="jiayuan-report", is_superuser=True, is_active=True)


def _width(text: str) -> int:
    """Columns a string takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def render_table(columns: list[str], rows: list[list[str]]) -> list[str]:
    """Aligned columns: the first two left-aligned, numbers right-aligned."""
    widths = [max(_width(cell) for cell in column) for column in zip(columns, *rows, strict=False)]
    lines = []
    for index, cells in enumerate([columns, *rows]):
        lines.append("  ".join(_pad(cell, widths[i], right=i >= 2) for i, cell in enumerate(cells)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return lines


class Command(BaseCommand):
    help = "Print a dashboard figure set (e.g. `report coverage --json`), computed as the dashboard computes it."

    def add_arguments(self, parser):
        parser.add_argument("name", help=f"the report: {', '.join(REPORTS)}")
        parser.add_argument("--region", default="", help="a city, town, community or compound code (default: the city)")
        parser.add_argument("--as-of", dest="as_of", default="", help="the date, YYYY-MM-DD (default: today)")
        parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")

    def handle(self, *args, **options):
        name = options["name"]
        if name not in REPORTS:
            raise CommandError(
                _("Unknown report %(name)r; the reports are: %(names)s.") % {"name": name, "names": ", ".join(sorted(REPORTS))},
                returncode=USAGE_ERROR,
            )
        day = self._day(options["as_of"])
        viewer = operator_viewer()
        if options["region"]:
            try:
                region = selectors.region_get(viewer=viewer, code=options["region"])
            except Http404:
                raise CommandError(
                    _("--region: no city, town, community or compound has the code %(code)r.") % {"code": options["region"]},
                    returncode=USAGE_ERROR,
                ) from None
        else:
            region = selectors.starting_region(viewer=viewer)
        report = REPORTS[name](viewer=viewer, region=region, day=day)
        if options["json"]:
            self.stdout.write(json.dumps(report.data, ensure_ascii=False))
            return
        self.stdout.write(report.heading)
        label_width = max(_width(label) for label, _value in report.totals)
        for label, value in report.totals:
            self.stdout.write(f"  {_pad(label, label_width)}  {value}")
        if report.rows:
            self.stdout.write("")
            for line in render_table(report.columns, report.rows):
                self.stdout.write(line)

    @staticmethod
    def _day(raw: str) -> dt.date:
        if not raw:
            return timezone.localdate()
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise CommandError(
                _("--as-of: %(value)r is not a date; write it as YYYY-MM-DD, for example 2025-06-30.") % {"value": raw},
                returncode=USAGE_ERROR,
            ) from None
