"""`jiayuan report NAME [--region CODE] [--as-of DATE] [--month YYYY-MM] [--json]`: a figure set from the shell.

Runs as an operator who sees everything, against the database DATABASE_URL names, through the
same selectors as the dashboard pages and the API. Reports are registered in REPORTS by name;
each is a function (viewer, region, day, month) -> Report (`month` is the raw --month value;
reports that are not monthly ignore it).

    jiayuan report coverage --as-of 2025-06-30 --json
    jiayuan report appeals --month 2025-06 [--region CODE] --json   # the three rates (三率)
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from jiayuan.appeals.scores import scoring
from jiayuan.core.models import User
from jiayuan.dashboard import selectors
from jiayuan.places.models import Community, Compound, Town

USAGE_ERROR = 2  # exit code for an unknown report, region or date


@dataclass
class Report:
    """What a report prints: one JSON object, or a heading, labelled totals and a table."""

    data: dict
    heading: str
    totals: list[tuple[str, str]]
    columns: list[str]
    rows: list[list[str]]
    tables: list[tuple[str, list[str], list[list[str]]]] = field(default_factory=list)  # further (title, columns, rows)


def _percent(rate) -> str:
    return f"{float(rate) * 100:.1f}%"


def coverage(*, viewer, region, day: dt.date, month: str = "") -> Report:
    payload = selectors.coverage_payload(selectors.coverage_report(viewer=viewer, region=region, day=day))
    totals = payload["totals"]
    data = {
        "report": "coverage",
        "as_of": payload["as_of"],
        "region": payload["region"],
        **totals,
        "rows": payload["rows"],
    }
    region_name = payload["region"]["name"] or _("all regions")
    return Report(
        data=data,
        heading=_("Organisation coverage of %(region)s as of %(day)s")
        % {"region": region_name, "day": payload["as_of"]},
        totals=[
            (_("Compounds"), str(totals["compounds"])),
            (
                _("Party organisation coverage"),
                f"{_percent(totals['party_org_coverage'])} ({totals['party_org_compounds']}/{totals['compounds']})",
            ),
            (
                _("Owners' committee formation"),
                f"{_percent(totals['committee_formation'])} ({totals['committee_compounds']}/{totals['compounds']})",
            ),
            (_("一肩挑 compounds"), str(totals["yijiantiao_compounds"])),
            (_("Red owners' committees"), f"{totals['red_committees']} ({_percent(totals['red_committee_share'])})"),
            (_("Two-committee members in compound posts"), str(totals["two_committee_post_holders"])),
            (_("Party-member building heads"), str(totals["building_heads"])),
            (_("Party venues"), str(totals["party_venues"])),
        ],
        columns=[
            _("Region"),
            _("Code"),
            _("Compounds"),
            _("Party org"),
            _("Committee"),
            _("一肩挑"),
            _("Red"),
            _("Two-committee"),
            _("Building heads"),
            _("Venues"),
        ],
        rows=[
            [
                row["region"]["name"],
                row["region"]["code"],
                str(row["compounds"]),
                _percent(row["party_org_coverage"]),
                _percent(row["committee_formation"]),
                str(row["yijiantiao_compounds"]),
                str(row["red_committees"]),
                str(row["two_committee_post_holders"]),
                str(row["building_heads"]),
                str(row["party_venues"]),
            ]
            for row in payload["rows"]
        ],
    )


def _score_columns(first: str, *, returned: bool = False) -> list[str]:
    columns = [
        first,
        _("Code"),
        _("Orders"),
        _("Rated"),
        _("Response"),
        _("Resolution"),
        _("Satisfaction"),
        _("Composite"),
    ]
    return [*columns, _("Returned"), _("Rank")] if returned else [*columns, _("Rank")]


def _total_rates(total: scoring.UnitScore) -> list[tuple[str, str]]:
    labels = (_("Response rate"), _("Resolution rate"), _("Satisfaction rate"), _("Composite score"))
    if not total.has_figures:  # no rated order: the rates are undefined, not 0
        return [(label, "—") for label in labels]
    rates, tally = total.rates, total.tally
    shown = (
        f"{_percent(rates.response)} ({tally.contacted}/{tally.rated})",
        f"{_percent(rates.resolution)} ({tally.solved}/{tally.rated})",
        _percent(rates.satisfaction),
        f"{float(rates.composite) * 100:.2f}",
    )
    return list(zip(labels, shown, strict=True))


def _score_cells(row: scoring.UnitScore, *, returned: bool = False) -> list[str]:
    cells = [
        row.name,
        row.code or "",
        str(row.orders),
        str(row.tally.rated),
    ]
    if row.has_figures:
        rates = row.rates
        cells += [_percent(rates.response), _percent(rates.resolution), _percent(rates.satisfaction)]
        cells.append(f"{float(rates.composite) * 100:.2f}")
    else:
        cells += ["—"] * 4  # no rated order: the rates are undefined, not 0
    if returned:
        cells.append(str(row.returned or 0))
    return [*cells, str(row.rank) if row.rank and row.has_figures else "—"]


def parse_month(raw: str, day: dt.date):
    """The --month value as a scoring.Month (the month of `day` when empty); exit code 2 when malformed."""
    try:
        return scoring.Month.parse(raw, field_name="--month") if raw else scoring.Month.of(day)
    except ValidationError as exc:
        raise CommandError(
            " ".join(f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items()), returncode=USAGE_ERROR
        ) from None


def appeals(*, viewer, region, day: dt.date, month: str = "") -> Report:
    """The three rates (三率) of a month: per town (and per community and compound below a town), per
    department, with ranks, and the counters of problems solved by departments and four-party meetings."""
    chosen = parse_month(month, day)
    levels = ["town", "department"]
    if isinstance(region, (Town, Community, Compound)):
        levels.insert(1, "community")
    if isinstance(region, (Community, Compound)):
        levels.insert(2, "compound")
    boards = {level: scoring.scoreboard(viewer=viewer, month=chosen, level=level, region=region) for level in levels}
    numbers = scoring.counters(viewer=viewer, month=chosen, region=region)
    towns = boards["town"]
    keys = {"town": "towns", "community": "communities", "compound": "compounds", "department": "departments"}
    data = {
        "report": "appeals",
        "month": str(chosen),
        "region": selectors.region_dict(region),
        "weights": scoring.payload(towns)["weights"],
        **{keys[level]: [row.as_dict() for row in board.rows] for level, board in boards.items()},
        "total": towns.total.as_dict(),
        **numbers.as_dict(),
    }
    region_name = region.name if region is not None else _("all regions")
    total = towns.total
    tables = [
        (
            capfirst(str(scoring.LEVEL_LABELS[level])),
            _score_columns(str(scoring.LEVEL_LABELS[level]), returned=level == "department"),
            [_score_cells(row, returned=level == "department") for row in board.rows],
        )
        for level, board in boards.items()
        if level != "town"
    ]
    return Report(
        data=data,
        heading=_("Three-rate scores of %(region)s for %(month)s (orders received in the month)")
        % {"region": region_name, "month": chosen},
        totals=[
            (_("Orders received"), str(total.orders)),
            (_("Rated orders"), str(total.tally.rated)),
            *_total_rates(total),
            (
                _("Problems solved by city departments"),
                _("%(all)s (%(month)s of this month's orders)")
                % {"all": numbers.solved_by_departments, "month": numbers.solved_by_departments_in_month},
            ),
            (
                _("Problems solved through four-party meetings"),
                _("%(all)s (%(month)s of this month's orders)")
                % {
                    "all": numbers.solved_by_four_party_meetings,
                    "month": numbers.solved_by_four_party_meetings_in_month,
                },
            ),
        ],
        columns=_score_columns(str(scoring.LEVEL_LABELS["town"])),
        rows=[_score_cells(row) for row in towns.rows],
        tables=tables,
    )


REPORTS: dict[str, Callable[..., Report]] = {"coverage": coverage, "appeals": appeals}


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
        parser.add_argument(
            "--month",
            default="",
            help="the month of a monthly report (appeals), YYYY-MM (default: the month of --as-of)",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")

    def handle(self, *args, **options):
        name = options["name"]
        if name not in REPORTS:
            raise CommandError(
                _("Unknown report %(name)r; the reports are: %(names)s.")
                % {"name": name, "names": ", ".join(sorted(REPORTS))},
                returncode=USAGE_ERROR,
            )
        day = self._day(options["as_of"])
        parse_month(options["month"], day)  # every argument is checked before the database is read
        viewer = operator_viewer()
        if options["region"]:
            try:
                region = selectors.region_get(viewer=viewer, code=options["region"])
            except Http404:
                raise CommandError(
                    _("--region: no city, town, community or compound has the code %(code)r.")
                    % {"code": options["region"]},
                    returncode=USAGE_ERROR,
                ) from None
        else:
            region = selectors.starting_region(viewer=viewer)
        report = REPORTS[name](viewer=viewer, region=region, day=day, month=options["month"])
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
        for title, columns, rows in report.tables:
            if rows:
                self.stdout.write("")
                self.stdout.write(title)
                for line in render_table(columns, rows):
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
