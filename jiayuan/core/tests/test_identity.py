import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiayuan.core.identity import (
    IdentifierError,
    id_check_character,
    id_gender,
    make_id_number,
    mask_id_number,
    mask_phone,
    validate_id_number,
    validate_phone,
)

# A published GB 11643 sample number (checksum X).
SAMPLE = "11010519491231002X"


def test_published_sample_id_number_is_valid():
    assert validate_id_number(SAMPLE) == SAMPLE
    assert id_gender(SAMPLE) == "F"


def test_lowercase_x_and_spaces_are_normalised():
    assert validate_id_number(" 11010519491231002x ") == SAMPLE


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("110105194912310021", "id_checksum"),
        ("11010519491231002", "id_shape"),
        ("1101051949123100AX", "id_shape"),
        ("110105199902310020", "id_date"),  # 31 February
        ("110105185001010010", "id_date_range"),  # before 1900
    ],
)
def test_invalid_id_numbers_name_the_reason(raw, code):
    with pytest.raises(IdentifierError) as info:
        validate_id_number(raw, today=dt.date(2026, 1, 1))
    assert info.value.code == code


def test_birth_date_in_the_future_is_impossible():
    future = make_id_number("350582", dt.date(2030, 1, 1), 11)
    with pytest.raises(IdentifierError) as info:
        validate_id_number(future, today=dt.date(2026, 1, 1))
    assert info.value.code == "id_date_range"


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_every_generated_number_validates_and_any_changed_check_character_fails(birth, sequence):
    number = make_id_number("350582", birth, sequence)
    assert validate_id_number(number, today=dt.date(2026, 1, 1)) == number
    for wrong in "0123456789X":
        if wrong != number[-1]:
            with pytest.raises(IdentifierError):
                validate_id_number(number[:-1] + wrong, today=dt.date(2026, 1, 1))


def test_check_character_follows_mod_11_2():
    assert id_check_character("11010519491231002") == "X"


@pytest.mark.parametrize("raw", ["13812345678", "+86 138 1234 5678", "0595-85681234"])
def test_valid_phone_numbers(raw):
    assert validate_phone(raw)


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "abc", ""])
def test_invalid_phone_numbers(raw):
    with pytest.raises(IdentifierError):
        validate_phone(raw)


def test_masks_keep_only_the_ends():
    assert mask_id_number(SAMPLE) == "1101**********002X"
    assert mask_phone("13812345678") == "138****5678"
