"""The three rates (三率) and the composite score. Pure: no Django import.

Over the rated orders of a unit and month (DOMAIN.md §7, a common published formula):
response = contacted / rated, resolution = solved / rated,
satisfaction = (satisfied + 0.9 × basically satisfied) / rated,
composite = w_r·response + w_s·resolution + w_t·satisfaction (defaults 0.1, 0.5, 0.4).
Exact fractions throughout; floats only when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

DEFAULT_WEIGHTS = (Fraction(1, 10), Fraction(1, 2), Fraction(2, 5))
BASIC_CREDIT = Fraction(9, 10)


@dataclass(frozen=True)
class Tally:
    rated: int = 0
    contacted: int = 0
    solved: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0

    def __post_init__(self):
        for name in ("contacted", "solved", "satisfied", "basically_satisfied"):
            if not 0 <= getattr(self, name) <= self.rated:
                raise ValueError(f"{name} must be between 0 and the number of rated orders")
        if self.satisfied + self.basically_satisfied > self.rated:
            raise ValueError("more satisfied ratings than rated orders")


@dataclass(frozen=True)
class Rates:
    response: Fraction
    resolution: Fraction
    satisfaction: Fraction
    composite: Fraction


def rates(tally: Tally, weights: tuple[Fraction, Fraction, Fraction] = DEFAULT_WEIGHTS) -> Rates:
    if sum(weights) != 1:
        raise ValueError("weights must add up to 1")
    if tally.rated == 0:
        zero = Fraction(0)
        return Rates(zero, zero, zero, zero)
    response = Fraction(tally.contacted, tally.rated)
    resolution = Fraction(tally.solved, tally.rated)
    satisfaction = (tally.satisfied + BASIC_CREDIT * tally.basically_satisfied) / tally.rated
    w_response, w_resolution, w_satisfaction = weights
    composite = w_response * response + w_resolution * resolution + w_satisfaction * satisfaction
    return Rates(response, resolution, satisfaction, composite)


def rank(scores: dict[object, Fraction]) -> dict[object, int]:
    """Competition ranking (1, 2, 2, 4) by descending score."""
    first: dict[Fraction, int] = {}
    for position, score in enumerate(sorted(scores.values(), reverse=True), start=1):
        first.setdefault(score, position)
    return {key: first[score] for key, score in scores.items()}
