"""Months, the score weights and the result types of the three-rate scores."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rates

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


# --- months -------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month in the project's time zone (Asia/Shanghai)."""

    year: int
    number: int

    @classmethod
    def parse(cls, raw: str | None, *, field_name: str = "month") -> Month:
        """'YYYY-MM' → Month; empty → this month; anything else → ValidationError naming the field."""
        text = (raw or "").strip()
        if not text:
            return cls.current()
        match = _MONTH_RE.match(text)
        if match and 1 <= int(match.group(2)) <= 12 and 1 <= int(match.group(1)) <= 9998:
            return cls(int(match.group(1)), int(match.group(2)))
        raise ValidationError(
            {
                field_name: _("“%(value)s” is not a month; write it as YYYY-MM, for example 2025-06.")
                % {"value": text[:20]}
            }
        )

    @classmethod
    def current(cls) -> Month:
        return cls.of(timezone.localdate())

    @classmethod
    def last_complete(cls) -> Month:
        """The month before this one: the last whose orders have all come in."""
        return cls.current().shift(-1)

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    def shift(self, months: int) -> Month:
        index = self.year * 12 + self.number - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def start(self) -> dt.datetime:
        """00:00 on the 1st, in the project's time zone (an aware datetime)."""
        return dt.datetime(self.year, self.number, 1, tzinfo=timezone.get_default_timezone())

    @property
    def end(self) -> dt.datetime:
        """The start of the next month: the range is start <= received_at < end."""
        return self.shift(1).start

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.number:02d}"


def score_weights() -> tuple[Fraction, Fraction, Fraction]:
    """settings.APPEAL_SCORE_WEIGHTS as fractions (response, resolution, satisfaction); fails loudly."""
    raw = settings.APPEAL_SCORE_WEIGHTS
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    try:
        weights = tuple(Fraction(str(item).strip()) for item in items)
    except (ValueError, ZeroDivisionError) as exc:
        raise ImproperlyConfigured(f"APPEAL_SCORE_WEIGHTS: {raw!r} are not fractions such as 1/10, 1/2, 2/5.") from exc
    if len(weights) != 3:
        raise ImproperlyConfigured(
            f"APPEAL_SCORE_WEIGHTS: {raw!r} must name three weights (response, resolution, satisfaction)."
        )
    if any(weight < 0 for weight in weights) or sum(weights) != 1:
        raise ImproperlyConfigured(
            f"APPEAL_SCORE_WEIGHTS: {raw!r} must be non-negative and add up to 1, not {sum(weights)}."
        )
    return weights  # type: ignore[return-value]


def exact(value: Fraction) -> str:
    """A fraction as 'n/d' (always with a denominator: '1/1', '0/1')."""
    return f"{value.numerator}/{value.denominator}"


# --- results ------------------------------------------------------------------------------


@dataclass
class UnitScore:
    """The figures of one unit (or of the whole area, for the totals) in one month."""

    level: str
    pk: int | None
    code: str | None
    name: str
    orders: int
    tally: rates.Tally
    rates: rates.Rates
    returned: int | None = None  # departments only: the month's orders the department returned
    rank: int | None = None

    @property
    def has_figures(self) -> bool:
        """Whether there are rates to show: with no rated order they are not 0 but undefined."""
        return self.tally.rated > 0

    def as_dict(self) -> dict:
        """JSON-ready; with no rated order the rates, the composite and the rank are None (null), not 0."""
        r = self.rates

        def rate(value: Fraction) -> float | None:
            return float(value) if self.has_figures else None

        def exact_rate(value: Fraction) -> str | None:
            return exact(value) if self.has_figures else None

        return {
            "id": self.pk,
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "orders": self.orders,
            "rated": self.tally.rated,
            "contacted": self.tally.contacted,
            "solved": self.tally.solved,
            "satisfied": self.tally.satisfied,
            "basically_satisfied": self.tally.basically_satisfied,
            "returned": self.returned,
            "response_rate": rate(r.response),
            "resolution_rate": rate(r.resolution),
            "satisfaction_rate": rate(r.satisfaction),
            "composite": rate(r.composite),
            "response_rate_exact": exact_rate(r.response),
            "resolution_rate_exact": exact_rate(r.resolution),
            "satisfaction_rate_exact": exact_rate(r.satisfaction),
            "composite_exact": exact_rate(r.composite),
            "rank": self.rank if self.has_figures else None,
        }


@dataclass
class Scoreboard:
    month: Month
    level: str
    weights: tuple[Fraction, Fraction, Fraction]
    rows: list[UnitScore]
    total: UnitScore
    area: object = None  # the region the figures are narrowed to (report --region), or None


@dataclass
class TrendPoint:
    month: Month
    orders: int
    tally: rates.Tally
    rates: rates.Rates


@dataclass
class Counters:
    """The report counters: problems solved by departments and through four-party meetings."""

    solved_by_departments: int = 0
    solved_by_departments_in_month: int = 0
    solved_by_four_party_meetings: int = 0
    solved_by_four_party_meetings_in_month: int = 0

    def as_dict(self) -> dict:
        return {
            "solved_by_departments": self.solved_by_departments,
            "solved_by_departments_in_month": self.solved_by_departments_in_month,
            "solved_by_four_party_meetings": self.solved_by_four_party_meetings,
            "solved_by_four_party_meetings_in_month": self.solved_by_four_party_meetings_in_month,
        }
