"""Number formatting: Danish decimal comma and "12 %", English "3.4" and "12%"."""

from __future__ import annotations

import pytest

from dol_toolkit.plots._format import (
    MINUS,
    check_lang,
    decimal_axis_formatter,
    format_decimal,
    format_integer,
    format_percent,
    format_percent_number,
    format_signed,
    percent_axis_formatter,
)


@pytest.mark.parametrize(("value", "digits", "da", "en"), [
    (3.4, 1, "3,4", "3.4"),
    (3.44, 1, "3,4", "3.4"),
    (3.46, 1, "3,5", "3.5"),
    (4.0, 1, "4,0", "4.0"),
    (1.3333, 2, "1,33", "1.33"),
    (12.0, 0, "12", "12"),
    (1234.5, 1, "1.234,5", "1,234.5"),
    (-0.4, 1, f"{MINUS}0,4", f"{MINUS}0.4"),
    (-0.04, 1, "0,0", "0.0"),  # rounds to zero: no minus sign
])
def test_format_decimal(value, digits, da, en):
    assert format_decimal(value, "da", digits) == da
    assert format_decimal(value, "en", digits) == en


def test_format_decimal_refuses_missing():
    with pytest.raises(ValueError, match="missing"):
        format_decimal(float("nan"), "da")


@pytest.mark.parametrize(("share", "da", "en"), [
    (0.12, "12 %", "12%"),
    (0.126, "13 %", "13%"),
    (0.0, "0 %", "0%"),
    (1.0, "100 %", "100%"),
    (0.05, "5 %", "5%"),
])
def test_format_percent(share, da, en):
    assert format_percent(share, "da") == da
    assert format_percent(share, "en") == en


def test_format_percent_with_decimals():
    assert format_percent(0.1234, "da", 1) == "12,3 %"
    assert format_percent(0.1234, "en", 1) == "12.3%"


def test_format_percent_number_has_no_sign():
    assert format_percent_number(0.26, "da") == "26"
    assert format_percent_number(0.08, "en") == "8"


@pytest.mark.parametrize(("value", "da", "en"), [
    (0.36, "+0,4", "+0.4"),
    (-0.36, f"{MINUS}0,4", f"{MINUS}0.4"),
    (0.0, "0,0", "0.0"),
    (0.01, "0,0", "0.0"),
])
def test_format_signed(value, da, en):
    assert format_signed(value, "da") == da
    assert format_signed(value, "en") == en


def test_format_integer_groups_thousands():
    assert format_integer(46, "da") == "46"
    assert format_integer(2530, "da") == "2.530"
    assert format_integer(2530, "en") == "2,530"


def test_axis_formatters():
    pct = percent_axis_formatter("da")
    assert pct(-25.0, 0) == "25 %"  # both sides of a diverging axis read as shares
    assert percent_axis_formatter("en")(50.0, 0) == "50%"
    assert decimal_axis_formatter("da", 1, signed=True)(0.5, 0) == "+0,5"
    assert decimal_axis_formatter("en", 1)(-1.5, 0) == f"{MINUS}1.5"


def test_check_lang():
    assert check_lang("da") == "da"
    assert check_lang("en") == "en"
    with pytest.raises(ValueError, match="lang='da'"):
        check_lang("de")
