"""Vietnamese dates and reporting periods.

Reports date themselves as "Hải Dương, ngày 01 tháng 3 năm 2023", state the
as-of date of their figures as "tính đến 30/6/2022" or "(Tính đến 31/7/2022)",
and label closed periods "nhiệm kỳ 2015 - 2020" or "Năm 2016 - 2021". These
functions turn each into a `date` (the end of a closed period is 31 December
of its last year; a month without a day ends on the month's last day).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from chiso.normalize.text import fold

_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d{2})(?!\d)")
_WORDS = re.compile(  # OCR without Vietnamese reads "ngdy 04 thing 8 néim 2022": one or two letters may be wrong
    r"ng\w{1,2}y\s*(\d{1,2})?\s*th\w{1,2}ng\s*(\d{1,2})\s*(?:n\w{1,2}m|/)\s*((?:19|20)\d{2})"
)
_MONTH = re.compile(r"thang\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d{2})")
_AS_OF = re.compile(
    r"(?:tinh den|tinh toi|den ngay|den het ngay|den thoi diem|thoi diem|so lieu tinh den|"
    r"den|den het|tinh (?!tu\b)[a-z]{2,5})\s+(?:ngay\s+)?"
    r"(\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:19|20)\d{2}|ngay\s*\d{1,2}\s*thang\s*\d{1,2}\s*nam\s*\d{4}"
    r"|thang\s*\d{1,2}\s*[/.-]\s*\d{4})"
)
_RANGE = re.compile(r"((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})")
_YEAR = re.compile(r"(?:nam|năm)\s+((?:19|20)\d{2})(?!\s*[-–—/]\s*\d)")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def month_end(year: int, month: int) -> date | None:
    if not 1 <= month <= 12:
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_date(text: str) -> date | None:
    """The first full date in `text`: '29/01/2024', 'ngày 29 tháng 01 năm 2024'."""
    key = fold(text)
    words = _WORDS.search(key)
    numeric = _NUMERIC.search(key)
    candidates = []
    if words and words.group(1):
        candidates.append((words.start(), _safe_date(int(words.group(3)), int(words.group(2)), int(words.group(1)))))
    if numeric:
        candidates.append((numeric.start(), _safe_date(int(numeric.group(3)), int(numeric.group(2)), int(numeric.group(1)))))
    candidates = [c for c in candidates if c[1] is not None]
    return min(candidates)[1] if candidates else None


def parse_issue_date(text: str) -> tuple[date | None, bool]:
    """The place-and-date line of a report → (date, month_only).

    "ngày   tháng 10 năm 2021" (day left blank in a circulated draft) gives the
    first of the month with `month_only=True`, so callers can use the month's end.
    """
    key = fold(text)
    match = _WORDS.search(key)
    if not match:
        return None, False
    year, month = int(match.group(3)), int(match.group(2))
    if match.group(1):
        return _safe_date(year, month, int(match.group(1))), False
    return _safe_date(year, month, 1), True


def find_as_of_date(text: str) -> date | None:
    """The as-of date stated in `text` ("tính đến 30/6/2022", "Đến tháng 6/2022").

    "Tính" and a short word before a date is read as "tính đến" whatever the word: a scan's
    "(Tính đẻên 31/7/2022)" is the same title line ("tính từ", from, is not an as-of date)."""
    match = _AS_OF.search(fold(text))
    if not match:
        return None
    phrase = match.group(1)
    exact = parse_date(phrase)
    if exact:
        return exact
    month = _MONTH.search(phrase)
    if month:
        return month_end(int(month.group(2)), int(month.group(1)))
    return None


def find_period(text: str) -> tuple[date, date] | None:
    """A closed period in a title: 'nhiệm kỳ 2015 - 2020', 'Năm 2016 - 2021', 'năm 2022'."""
    key = fold(text)
    years = _RANGE.search(key)
    if years:
        start, end = int(years.group(1)), int(years.group(2))
        if start <= end:
            return date(start, 1, 1), date(end, 12, 31)
    single = _YEAR.search(key)
    if single:
        year = int(single.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    return None
