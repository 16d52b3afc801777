"""`jiayuan tally --rooms ROOMS --ballots BALLOTS --matter N [--json]`: count a paper vote by the Civil Code.

Uses the rule engine in jiayuan/elections/tally.py. `--json` prints one object:

    total_area, participating_area, agree_area    exact decimal strings ("1225.5")
    total_heads, participating_heads, agree_heads integers
    quorum_met, passed                            booleans
    threshold                                     ">= 3/4" (matters 6-8) or "> 1/2"
    matter                                        the matter number
    participating_area_share, participating_heads_share, agree_area_share, agree_heads_share
                                                  exact "n/d" strings (agree_* are null when nobody voted)

No floats anywhere. A malformed file is one line on stderr (file, row, reason) and exit status 2.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jiayuan.elections.files import FileError, read_ballots, read_rooms
from jiayuan.elections.tally import Electorate, Result, TallyError, decimal_string, tally

MALFORMED = 2


def _share(value) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"


def result_json(result: Result) -> dict:
    return {
        "matter": result.matter,
        "total_area": decimal_string(result.total_area),
        "total_heads": result.total_heads,
        "participating_area": decimal_string(result.participating_area),
        "participating_heads": result.participating_heads,
        "quorum_met": result.quorum_met,
        "agree_area": decimal_string(result.agree_area),
        "agree_heads": result.agree_heads,
        "threshold": str(result.threshold),
        "passed": result.passed,
        "participating_area_share": _share(result.participating_area_share),
        "participating_heads_share": _share(result.participating_heads_share),
        "agree_area_share": _share(result.agree_area_share),
        "agree_heads_share": _share(result.agree_heads_share),
    }


class Command(BaseCommand):
    help = "Count an owners' general meeting vote (area and heads, quorum and threshold) from ROOMS and BALLOTS files."

    def add_arguments(self, parser):
        parser.add_argument("--rooms", type=Path, required=True, help="ROOMS .csv or .xlsx")
        parser.add_argument("--ballots", type=Path, required=True, help="BALLOTS .csv or .xlsx")
        parser.add_argument(
            "--matter",
            type=int,
            required=True,
            choices=range(1, 10),
            metavar="N",
            help="the Civil Code art. 278 matter, 1-9",
        )
        parser.add_argument("--json", dest="as_json", action="store_true", help="print one JSON object")

    def handle(self, *args, rooms: Path, ballots: Path, matter: int, as_json: bool = False, **options):
        try:
            room_rows = read_rooms(rooms)
            try:
                electorate = Electorate.from_rooms(room_rows)
            except TallyError as error:
                raise FileError(rooms, error.row, error.message) from None
            ballot_rows = read_ballots(ballots)
            try:
                result = tally(electorate, ballot_rows, matter)
            except TallyError as error:
                raise FileError(ballots, error.row, error.message) from None
        except FileError as error:
            raise CommandError(str(error), returncode=MALFORMED) from None
        if as_json:
            self.stdout.write(json.dumps(result_json(result), ensure_ascii=False))
        else:
            self._print(result)

    def _print(self, r: Result) -> None:
        def share(part, whole):
            return f"{part}/{whole}" if whole else "-"

        yes, no = _("yes"), _("no")
        lines = [
            _("Matter: %(matter)s") % {"matter": r.matter},
            _("Electorate: total area %(area)s m², %(heads)s heads")
            % {"area": decimal_string(r.total_area), "heads": r.total_heads},
            _("Participating: area %(area)s m² (%(area_share)s of total), %(heads)s heads (%(heads_share)s of total)")
            % {
                "area": decimal_string(r.participating_area),
                "area_share": _share(r.participating_area_share),
                "heads": r.participating_heads,
                "heads_share": _share(r.participating_heads_share),
            },
            _("Quorum (at least 2/3 of area and of heads) met: %(met)s") % {"met": yes if r.quorum_met else no},
            _(
                "Agreeing: area %(area)s m² (%(area_share)s of participating), %(heads)s heads "
                "(%(heads_share)s of participating)"
            )
            % {
                "area": decimal_string(r.agree_area),
                "area_share": _share(r.agree_area_share) or "-",
                "heads": r.agree_heads,
                "heads_share": share(r.agree_heads, r.participating_heads),
            },
            _("Threshold: %(threshold)s of participating area and of participating heads") % {"threshold": r.threshold},
            _("Decision: passed") if r.passed else _("Decision: not passed"),
        ]
        for line in lines:
            self.stdout.write(line)
