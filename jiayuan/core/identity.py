"""Validation and masking of personal identifiers. Pure functions, no Django import.

Resident identity card numbers follow GB 11643-1999: 17 digits (6 region, 8 birth
date, 3 sequence) and an ISO 7064 MOD 11-2 check character (0-9 or X).
"""

from __future__ import annotations

import datetime as dt
import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_PHONE_SHAPE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_SHAPE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


class IdentifierError(ValueError):
    """An identifier that cannot be valid. `code` names the reason, `params` its values."""

    def __init__(self, code: str, message: str, **params):
        super().__init__(message)
        self.code = code
        self.params = params


def id_check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalise_id_number(raw: str) -> str:
    return (raw or "").strip().upper().replace(" ", "")


def validate_id_number(raw: str, *, today: dt.date | None = None) -> str:
    """Return the normalised ID number or raise IdentifierError naming the reason."""
    value = normalise_id_number(raw)
    if not _ID_SHAPE.match(value):
        raise IdentifierError("id_shape", "must be 18 characters: 17 digits and a final digit or X")
    birth = id_birth_date(value)
    if birth is None:
        raise IdentifierError("id_date", f"birth date {value[6:14]} is not a real date", date=value[6:14])
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise IdentifierError("id_date_range", f"birth date {birth.isoformat()} is impossible", date=birth.isoformat())
    expected = id_check_character(value[:17])
    if value[17] != expected:
        raise IdentifierError(
            "id_checksum",
            f"check character is {value[17]}, the checksum requires {expected}",
            given=value[17],
            expected=expected,
        )
    return value


def id_birth_date(value: str) -> dt.date | None:
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def id_gender(value: str) -> str:
    """'M' or 'F' from the parity of the sequence code (17th character)."""
    return "M" if int(value[16]) % 2 else "F"


def normalise_phone(raw: str) -> str:
    value = re.sub(r"[\s()+]", "", (raw or "").strip())
    if len(value) == 13 and value.startswith("86"):
        value = value[2:]
    return value


def validate_phone(raw: str) -> str:
    value = normalise_phone(raw)
    if _PHONE_SHAPE.match(value) or _LANDLINE_SHAPE.match(value):
        return value
    raise IdentifierError(
        "phone_shape", "must be an 11-digit mobile number starting with 1, or a landline like 0595-85681234"
    )


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_phone(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


# Personal numbers typed into free text (an appeal's description, a reply): mobiles, landlines, ID numbers.
_FREE_ID_NUMBER = re.compile(r"(?<![\dXx])\d{17}[\dXx](?![\dXx])")
_FREE_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_FREE_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")


def mask_free_text(text: str) -> str:
    """The text with every ID, mobile and landline number in it masked as the structured fields are."""
    if not text:
        return text or ""
    text = _FREE_ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _FREE_MOBILE.sub(lambda m: mask_phone(m.group(0)), text)
    return _FREE_LANDLINE.sub(lambda m: mask_phone(m.group(0)), text)


def make_id_number(region: str, birth: dt.date, sequence: int) -> str:
    """Build a valid ID number (used by the demo city and tests)."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_character(first17)
