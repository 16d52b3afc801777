"""The count (services/assembly/count.py): the tie rule across the last seat."""

from jiayuan.elections.models import Result
from jiayuan.elections.services import assembly


def test_the_tie_rule_leaves_a_straddled_last_seat_for_a_run_off():
    from decimal import Decimal

    rows = [
        Result(agree_heads=h, agree_area=Decimal(a), passed=True)
        for h, a in [(9, "900"), (8, "800"), (8, "800"), (7, "700"), (6, "600"), (6, "600"), (5, "1")]
    ]
    assembly.rank_candidates(rows, seats=5)
    assert [r.rank for r in rows] == [1, 2, 2, 4, 5, 5, 7]
    assert [r.elected for r in rows] == [True, True, True, True, False, False, False]
    assert (rows[4].tied_across_last_seat, rows[5].tied_across_last_seat, rows[3].tied_across_last_seat) == (2, 2, None)
