"""Native spreadsheet values → the text a reader sees in the cell.

Excel stores 0.959 and shows "95.9%" when the cell is formatted as percent;
it stores 1340.0 and shows "1340" (or "1.340"). The table stage reads text
only, so every native number is written back as text here: whole numbers
without ".0", fractions without float noise, percent-formatted cells as the
percent number with "%". The full stored precision is kept (a budget cell
holding 755768.8139931726 is not rounded to the displayed 755.769), because
the value, not its display, is the fact.

One trap: `parse_number` reads "1.125" as one thousand one hundred and
twenty-five (a Vietnamese thousands dot). A native fraction with exactly
three decimals is therefore written with a fourth ("1.1250"), which no
reader mistakes for a thousands group.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

_THOUSANDS_LIKE = re.compile(r"^-?\d{1,3}\.\d{3}$")


def number_text(value: float, percent: bool = False) -> str:
    """1340.0 → '1340', 47.7 → '47.7', 0.959 (percent) → '95.9%', 1.125 → '1.1250'."""
    if percent:
        value = value * 100
    rounded = round(value, 9)
    if rounded == int(rounded) and abs(rounded) < 1e15:
        text = str(int(rounded))
    else:
        text = repr(float(f"{rounded:.12g}"))
        if "e" in text:
            text = f"{rounded:f}".rstrip("0").rstrip(".")
        if _THOUSANDS_LIKE.match(text):
            text += "0"
    return text + "%" if percent else text


def is_percent_format(number_format: str | None) -> bool:
    """'0%', '0.0%', but not a literal "%" inside quotes."""
    if not number_format:
        return False
    return "%" in re.sub(r'"[^"]*"|\\.', "", number_format)


def date_text(value: date | datetime) -> str:
    """Dates as Vietnamese print them: 31/07/2022."""
    if isinstance(value, datetime) and value.time() != time(0, 0):
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")
