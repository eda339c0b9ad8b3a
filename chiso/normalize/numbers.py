"""Vietnamese number formats → exact values.

Vietnamese prints `.` between thousands and `,` before decimals (`108.764`,
`47,7%`), spreadsheets often store such numbers as text, and some exports
write English style. The rules below resolve the ambiguity the way a reader
of these reports does: a `.` followed by exactly three digits is a thousands
separator; a single `,` followed by 1–2 digits (or more than three) is a
decimal comma.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chiso.normalize.text import nfc

_PERCENT = re.compile(r"%\s*$")
_NUMBER_TOKEN = re.compile(r"^[+-]?\d[\d.,\s]*$")
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")
_THOUSANDS_SPACE = re.compile(r"^\d{1,3}( \d{3})+$")
_RATIO = re.compile(r"^\s*(\d[\d.]*)\s*/\s*(\d[\d.]*)\s*$")


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    unit: str
    """`percent` when the text carries a % sign, otherwise `count` (the caller may refine)."""


def _parse_plain(token: str, decimal: str | None) -> float | None:
    token = token.strip()
    sign = -1.0 if token.startswith("-") else 1.0
    token = token.lstrip("+-").strip()
    if not token or not _NUMBER_TOKEN.match(token):
        return None
    if " " in token:
        if not _THOUSANDS_SPACE.match(token):
            return None
        return sign * float(token.replace(" ", ""))
    if decimal == ".":
        token = token.replace(",", "")
        return sign * float(token) if token.count(".") <= 1 else None
    if decimal == ",":
        token = token.replace(".", "").replace(",", ".")
        return sign * float(token) if token.count(".") <= 1 else None
    if "." in token and "," in token:
        # Whichever separator comes last is the decimal one: 1.234,5 or 1,234.5.
        if token.rfind(",") > token.rfind("."):
            return sign * float(token.replace(".", "").replace(",", "."))
        return sign * float(token.replace(",", ""))
    if "." in token:
        if _THOUSANDS_DOT.match(token):
            return sign * float(token.replace(".", ""))
        return sign * float(token) if token.count(".") == 1 else None
    if "," in token:
        if _THOUSANDS_COMMA.match(token) and decimal is None and len(token.split(",")[-1]) == 3:
            # "1,340" in a Vietnamese document is ambiguous; a whole count is by far
            # the common case in these tables (decimal scores use one or two digits).
            return sign * float(token.replace(",", ""))
        return sign * float(token.replace(",", ".")) if token.count(",") == 1 else None
    return sign * float(token)


def parse_number(text: object, decimal: str | None = None) -> ParsedNumber | None:
    """Parse one printed number ('108.764', '47,7%', '02', '1 340') or return None.

    `decimal` forces the decimal separator when the source's convention is known
    ("," for Vietnamese text exports, "." for English-language exports).
    Numeric spreadsheet cells (int/float) pass straight through.
    """
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return ParsedNumber(float(text), "count")
    raw = nfc(str(text)).strip()
    if not raw:
        return None
    unit = "count"
    if _PERCENT.search(raw):
        unit = "percent"
        raw = _PERCENT.sub("", raw).strip()
    raw = raw.rstrip(".,;:").strip() if unit == "count" else raw.strip()
    try:
        value = _parse_plain(raw, decimal)
    except ValueError:
        return None
    return None if value is None else ParsedNumber(value, unit)


def parse_ratio(text: str) -> tuple[float, float] | None:
    """'697/620' → (697, 620); None when the text is not a ratio of two numbers."""
    match = _RATIO.match(nfc(text))
    if not match:
        return None
    left, right = parse_number(match.group(1)), parse_number(match.group(2))
    if left is None or right is None:
        return None
    return left.value, right.value
