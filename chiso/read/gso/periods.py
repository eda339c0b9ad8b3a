"""Years, months, as-of dates and the preliminary/estimate marks in GSO PX-Web exports.

GSO fuses the period into headers and stub cells in several ways: `Total 1995`,
`2009 Wards`, `Total Prel. 2017`, `Pre.2016`, `Sơ bộ 2016`, `Est. 2016`, school years `1995 - 1996`,
changes `2010 over 2009`, months `Jan.`/`March`/`January`, and as-of dates in
the title (`as of 30 September`, `as of annual 1st October`, `as of 31/12/2016`).
Years that are not periods (`at constant 2010 prices`, `Year 2010 = 100`,
`base preriod 2009`) are masked before any year is read, so that a price base
never becomes an observation's period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from chiso.normalize.dates import month_end
from chiso.normalize.text import fold
from chiso.read.gso.labels import clean_measure

_YEAR = r"(?:19|20)\d\d"
_SPAN = re.compile(rf"(?<!\d)({_YEAR})(?:\s*-\s*({_YEAR}))?(?!\d)")
_NOT_PERIOD = re.compile(
    rf"(?i)(?:at\s+)?constant\s+{_YEAR}\s+prices?"
    rf"|\(?\s*\byear\s+{_YEAR}\s*=\s*100\s*\)?|\bbase\s+pre?riod\s+{_YEAR}"
)
_OVER = re.compile(rf"(?i)\bover\s+{_YEAR}\b")
_BEFORE_YEAR = rf"\.*\s*(?={_YEAR})"
_PRELIMINARY = re.compile(rf"(?i)\b(?:prel?|s[oơ]\s+b[oộ])\b{_BEFORE_YEAR}")
_ESTIMATED = re.compile(rf"(?i)\best\b{_BEFORE_YEAR}")
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
_MONTHS = {name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_MONTH_WORD = re.compile(r"^([a-z]{3,9})\.?$")
_AS_OF = re.compile(
    r"as of (?:annual\s+)?(?:"
    r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,10})"
    r"|([a-z]{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?"
    r"|(\d{1,2})[/-](\d{1,2})[/-](?:19|20)\d\d)"
)


@dataclass(frozen=True)
class AsOf:
    """A reference day printed in a title (its year, if printed, is read with the title's period)."""

    month: int
    day: int


def mask_non_periods(text: str) -> str:
    """Blank out years that name a price base or an index base, not a period."""
    return _NOT_PERIOD.sub(" ", text)


def year_span(text: str) -> tuple[int, int] | None:
    """The first year or year range ('2015', 'Prel. 2016-2017', '1995 - 1996') in `text`."""
    match = _SPAN.search(mask_non_periods(text))
    if match is None:
        return None
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else first
    return (first, last) if last >= first else (first, first)


def title_year_span(title: str) -> tuple[int, int] | None:
    """The period a title names as a whole ('licensed in 2016', 'in period 1988 - 2016').

    Only an unambiguous title counts: two different periods in one title would be a guess.
    """
    spans = {
        (int(m.group(1)), int(m.group(2) or m.group(1))) for m in _SPAN.finditer(mask_non_periods(title))
    }
    return spans.pop() if len(spans) == 1 else None


def value_status(text: str) -> str | None:
    """GSO's qualifier of a column's or row's values: 'Prel. 2016', 'Pre.2016', 'Sơ bộ 2016' → preliminary; 'Est. 2016' → estimated."""
    if _PRELIMINARY.search(text):
        return "preliminary"
    if _ESTIMATED.search(text):
        return "estimated"
    return None


def strip_period(text: str) -> str:
    """What a header says besides its period: 'Total Prel. 2017' → 'Total', '2008(*) Natural forest' → 'Natural forest'.

    Price-base phrases ('at constant 2010 prices') stay: they belong to the measure.
    """
    text = _ESTIMATED.sub(" ", _PRELIMINARY.sub(" ", _OVER.sub(" ", text)))
    kept: list[str] = []
    last = 0
    for base in _NOT_PERIOD.finditer(text):
        kept.append(_SPAN.sub(" ", text[last : base.start()]))
        kept.append(base.group(0))
        last = base.end()
    kept.append(_SPAN.sub(" ", text[last:]))
    return clean_measure("".join(kept))


def month_number(text: str) -> int | None:
    """'Jan.', 'March', 'Sep.', 'December' → month number; None for anything else."""
    match = _MONTH_WORD.match(fold(text))
    if match is None:
        return None
    word = match.group(1)
    for number, name in enumerate(_MONTH_NAMES, start=1):
        if name.startswith(word):
            return number
    return None


def find_as_of(title: str) -> AsOf | None:
    """The reference day of a stock table: 'as of 30 September', 'as of annual December 31st'."""
    match = _AS_OF.search(fold(title))
    if match is None:
        return None
    if match.group(1):
        month = _MONTHS.get(match.group(2)[:3])
        return AsOf(month, int(match.group(1))) if month else None
    if match.group(3):
        month = _MONTHS.get(match.group(3)[:3])
        return AsOf(month, int(match.group(4))) if month else None
    return AsOf(int(match.group(6)), int(match.group(5)))


def period_bounds(
    span: tuple[int, int] | None, month: int | None, as_of: AsOf | None
) -> tuple[date | None, date | None]:
    """Start and end of the period a cell refers to.

    A year runs 1 Jan – 31 Dec; a range ('1988-1990', school year '2015-2016')
    runs from the first year's start to the last year's end; a month is that
    month; a stock counted "as of" a day ends on that day of the (first) year,
    since GSO counts school year 2015-2016 on 30 September 2015.
    """
    if span is None:
        return None, None
    first, last = span
    if month is not None:
        return date(first, month, 1), month_end(first, month)
    if as_of is not None and 1 <= as_of.month <= 12:
        try:
            return date(first, 1, 1), date(first, as_of.month, as_of.day)
        except ValueError:
            pass  # "As of 31 Februarry 2015": the day is a typo, the year still holds.
    return date(first, 1, 1), date(last, 12, 31)
