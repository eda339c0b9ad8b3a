import pytest

from chiso.normalize.numbers import parse_number, parse_ratio


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("108.764", 108764, "count"),
        ("47,7%", 47.7, "percent"),
        ("112,4%", 112.4, "percent"),
        ("02", 2, "count"),
        ("1.340", 1340, "count"),
        ("95,9 %", 95.9, "percent"),
        ("3 489 927", 3489927, "count"),
        ("1.234,5", 1234.5, "count"),
        ("419.278.223", 419278223, "count"),
        ("0", 0, "count"),
        ("-12", -12, "count"),
        ("14,5", 14.5, "count"),
        ("\xa01.333", 1333, "count"),
        (96, 96, "count"),
    ],
)
def test_vietnamese_numbers(text, value, unit):
    parsed = parse_number(text)
    assert parsed is not None
    assert parsed.value == pytest.approx(value)
    assert parsed.unit == unit


@pytest.mark.parametrize("text", ["", "-", "x", "Cộng", "1.2.3,4,5", None, "12/2022"])
def test_not_numbers(text):
    assert parse_number(text) is None


def test_forced_decimal_separator():
    assert parse_number("1,234.5", decimal=".").value == 1234.5
    assert parse_number("1.234", decimal=",").value == 1234


def test_ratio():
    assert parse_ratio("697/620") == (697, 620)
    assert parse_ratio("1.263/1.333") == (1263, 1333)
    assert parse_ratio("697") is None
