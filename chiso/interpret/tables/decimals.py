"""The decimal mark of a column, decided from the column, not from one token.

Vietnamese prints `1.234` for one thousand two hundred and thirty-four and
`9,50` for nine and a half; Word documents drafted from English templates and
ministry forms print `9.50` and `12.345%`. One token cannot tell `12.345`
apart: a thousands group, or a decimal with three places? Its column can:

1. a column that prints an unambiguous decimal (`9.50`, `0.5`, `1,234.5` → `.`;
   `9,5`, `1.234,5` → `,`) reads its ambiguous tokens the same way;
2. otherwise the unit and magnitude decide: `12.345%` read as twelve thousand
   percent, or a score of 12345 in a column of scores up to 100, is no share
   and no score, so the decimal reading is taken — and flagged with both;
3. otherwise the thousands reading stays (by far the common case in these
   reports), flagged with both readings when the document elsewhere uses the
   other convention, because then a person must look.

Native spreadsheet numbers reach this stage as English text ("47.7"), so
spreadsheet columns give no evidence (rule 1) — their typed-as-text cells
would otherwise be misread by their native neighbours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from chiso.normalize.numbers import parse_number
from chiso.read.registry import TYPED_CELL_METHODS

SPREADSHEET_METHODS = TYPED_CELL_METHODS
_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}([.,])\d{3}%?$")
"""One separator followed by exactly three digits: '12.345', '1,340', '12.345%'."""
_DOT_DECIMAL = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)\.(\d{1,2}|\d{4,})%?$|^[+-]?\d{1,3}(,\d{3})+\.\d+%?$")
_COMMA_DECIMAL = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+),(\d{1,2}|\d{4,})%?$|^[+-]?\d{1,3}(\.\d{3})+,\d+%?$")
_MAX_PERCENT = 1000.0
_MAX_SCORE = 100.0


@dataclass(frozen=True)
class Reading:
    value: float
    flag: str | None = None


def is_ambiguous(text: str) -> bool:
    """'12.345', '1,340', '12.345%': one separator and three digits, readable both ways."""
    return bool(_AMBIGUOUS.match(text.strip().replace(" ", "")))


def _marks(texts: Iterable[str]) -> set[str]:
    """The decimal marks the texts print unambiguously ('9.50' → '.', '9,5' → ',')."""
    marks = set()
    for text in texts:
        token = text.strip().replace(" ", "")
        if _DOT_DECIMAL.match(token):
            marks.add(".")
        elif _COMMA_DECIMAL.match(token):
            marks.add(",")
    return marks


def evidence(texts: Iterable[str]) -> str | None:
    """'.' or ',' when the texts print decimals one way only; None when none or both."""
    marks = _marks(texts)
    return marks.pop() if len(marks) == 1 else None


def uses_both(texts: Iterable[str]) -> bool:
    """Whether the texts print decimals both ways (a document that mixes conventions)."""
    return len(_marks(texts)) == 2


def read_value(text: str, default: float, column_mark: str | None, unit: str, column_max: float | None,
               mixed: bool) -> Reading:
    """The value of one cell whose default reading is `default`, in its column's context.

    `column_max` is the largest unambiguous value of the column (None if none).
    """
    token = text.strip().replace(" ", "")
    match = _AMBIGUOUS.match(token)
    if not match:
        return Reading(default)
    separator = match.group(1)
    other = "," if separator == "." else "."
    as_decimal = parse_number(token, decimal=separator)
    as_thousands = parse_number(token, decimal=other)
    if as_decimal is None or as_thousands is None:
        return Reading(default)
    if column_mark is not None:
        return Reading(as_decimal.value if column_mark == separator else as_thousands.value)
    both = f"{_shown(as_thousands.value)} with '{separator}' as thousands separator, {_shown(as_decimal.value)} as decimal mark"
    implausible = (unit == "percent" and abs(as_thousands.value) > _MAX_PERCENT) or (
        unit == "score" and abs(as_thousands.value) > _MAX_SCORE and column_max is not None and column_max <= _MAX_SCORE
    )
    if implausible:
        return Reading(as_decimal.value, f"ambiguous decimal mark {text!r}: read {_shown(as_decimal.value)}"
                                         f" (a {unit} of {_shown(as_thousands.value)} is impossible; {both})")
    if mixed:
        return Reading(default, f"ambiguous decimal mark {text!r}: read {_shown(default)} ({both}; the document"
                                " uses both conventions)")
    return Reading(default)


def _shown(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"
