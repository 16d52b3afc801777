"""A verdict in words, as owners read it on the results page and on the notice posted in the compound:
"204 of 243 owners (84.0%), holding 21,050.30 of 24,118.00 m² (87.3%), took part". The exact fractions stay in
the figures below the words; a percentage here is rounded to one decimal for reading only."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _


def percent(part, whole) -> str:
    if not whole:
        return "—"
    return f"{float(Fraction(part) / Fraction(whole)) * 100:.1f}%"


def area(value) -> str:
    return f"{Decimal(value):,.2f}"


def took_part(result) -> str:
    words = _(
        "%(heads)s of %(total_heads)s owners (%(heads_share)s), holding %(area)s of %(total_area)s m² "
        "(%(area_share)s), took part"
    ) % {
        "heads": result.participating_heads,
        "total_heads": result.total_heads,
        "heads_share": percent(result.participating_heads, result.total_heads),
        "area": area(result.participating_area),
        "total_area": area(result.total_area),
        "area_share": percent(result.participating_area, result.total_area),
    }
    if result.quorum_met:
        return _("%(words)s: the quorum of two thirds of the owners and of the area was met.") % {"words": words}
    return _("%(words)s: the quorum of two thirds of the owners and of the area was not met.") % {"words": words}


def agreed(result, needed: str) -> str:
    words = _(
        "%(heads)s of the %(voters)s owners taking part (%(heads_share)s), holding %(area)s m² (%(area_share)s), "
        "agreed; %(needed)s was needed"
    ) % {
        "heads": result.agree_heads,
        "voters": result.participating_heads,
        "heads_share": percent(result.agree_heads, result.participating_heads),
        "area": area(result.agree_area),
        "area_share": percent(result.agree_area, result.participating_area),
        "needed": needed,
    }
    if result.passed:
        return _("%(words)s. The motion passed.") % {"words": words}
    return _("%(words)s. The motion did not pass.") % {"words": words}


def motion_words(motion) -> list[str]:
    """The sentences of one counted motion (its `main` verdict and, on the election, who was elected)."""
    if motion.main is None:
        return []
    result = motion.main.result
    sentences = [took_part(result)]
    if not motion.is_election:
        sentences.append(agreed(result, motion.threshold_words))
        return sentences
    elected = [e.candidate.person.name for e in motion.explained if e.result.elected]
    if elected:
        sentences.append(_("Elected: %(names)s.") % {"names": "、".join(elected)})
    else:
        sentences.append(_("Nobody was elected."))
    return sentences
