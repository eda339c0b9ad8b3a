"""What one printed table cell is: a number, a column code, a label, or nothing.

Cells arrive as text (PDF grids, HTML exports, numbers typed as text in Excel)
decorated the way officials print them: footnote marks glued to a figure
(`(1)     419.278.223`, `1.234*`), dashes for "nothing", non-breaking spaces.
These helpers strip the decoration before `parse_number` reads the figure, so
that the printed text can be kept verbatim as `source_text`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from chiso.normalize.numbers import ParsedNumber, parse_number
from chiso.normalize.text import clean, fold

_FOOTNOTE_BEFORE = re.compile(r"^\(\s*(?:\d{1,2}|\*{1,3})\s*\)\s+(?=[-+]?\d)")
_FOOTNOTE_AFTER = re.compile(r"(?<=\d)\s*(?:\(\s*(?:\d{1,2}|\*{1,3})\s*\)|\*{1,3})$")
_NOTHING = {"-", "–", "—", "x", "X", "…", "...", "_"}
_ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})\.?$")
_CODE = re.compile(
    r"^(?:[A-Za-zĐđ]|\(?\d{1,2}\)?|\(?\d{1,2}\s*=\s*[\d\s+\-*/x:().,%…]+\)?)$"
)


@lru_cache(maxsize=1 << 16)
def _clean_cached(cell: str) -> str:
    return clean(cell)


def cell_text(cell: str | None) -> str:
    """The cell as a clean string ('' for empty or merged-covered cells)."""
    return _clean_cached(cell) if cell else ""


_RESULT = re.compile(r"^\s*[-+]?\d[\d.,]*\s*%?\s*$")
_OCR_ZERO = re.compile(r"\(\)(?=[\d.,])")
"""'=().0331%': Tesseract reads a serif '0' as '()'; only where a digit or a decimal mark follows."""


def _formula_result(text: str) -> ParsedNumber | None:
    """'(1283*100)/3.872.999 = 0,0331%', '01 xã loại II/124 xã = 0,8%': the result a cell prints after its
    working. A criteria or self-assessment table shows how a rate was computed; the printed result is the
    figure. A column code ('4=3/2', '5=3') is no figure: its right side is a formula or it is a code."""
    if is_column_code(text):
        return None
    working, _, result = text.rpartition("=")
    result = _OCR_ZERO.sub("0", result)
    if not any(ch.isdigit() for ch in working) or not _RESULT.match(result):
        return None
    return parse_number(result.strip())


@lru_cache(maxsize=1 << 16)
def _number_cached(cell: str) -> ParsedNumber | None:
    text = cell_text(cell)
    if not text or text in _NOTHING:
        return None
    if "=" in text:
        return _formula_result(text)
    text = _FOOTNOTE_BEFORE.sub("", text)
    text = _FOOTNOTE_AFTER.sub("", text).strip()
    if not text or not (text[0].isdigit() or text[0] in "+-"):
        return None
    return parse_number(text)


def cell_number(cell: str | None) -> ParsedNumber | None:
    """The number printed in a cell, ignoring footnote marks; None for text and blanks.

    A dash or an `x` means "not applicable" in these reports: it is not a fact.
    A cell that shows its working ('(319*100)/3.872.999 = 0,0082%') is the result it prints.
    Results are cached: the layout and structure passes look at each cell
    several times, and large sheets repeat many values.
    """
    return _number_cached(cell) if cell else None


def is_roman(text: str) -> bool:
    """'I', 'IV', 'VIII.': the numbering of regional or section rows."""
    return bool(text) and bool(_ROMAN.match(text.strip()))


def is_column_code(text: str) -> bool:
    """'A', 'B', '1', '(3)', '4=3/2', '9=7/1', '6=7+8+9', '1 = 2+8+9+19'."""
    return bool(_CODE.match(text.strip()))


_AGE_GROUP = re.compile(r"^\d{1,3}\s*(?:[-–]\s*\d{1,3}|\+)$")
"""'0-4', '75-79', '80+': population tables' row labels are age groups made of digits."""


@lru_cache(maxsize=1 << 16)
def is_label(text: str) -> bool:
    """Text that can name a row: has letters (or is an age group) and is not a number, numeral or code."""
    if text and _AGE_GROUP.match(text):
        return True
    if not text or is_roman(text) or is_column_code(text):
        return False
    if cell_number(text) is not None:
        return False
    return any(ch.isalpha() for ch in text)


def folded(cell: str | None) -> str:
    return fold(cell_text(cell))
