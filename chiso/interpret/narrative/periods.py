"""The date a narrative number refers to (its `period_end`).

In order of precedence: a marker in the number's own clause ("trước khi thực
hiện Đề án" → the date of that Đề án as the document cites it), an as-of date printed in the sentence ("Đến tháng
6/2022"), the last as-of date of an earlier paragraph under the same heading
(unless the sentence says "đến nay"/"hiện nay"), the
as-of date of an enclosing heading ("2. Kết quả thực hiện (số liệu tính đến
30/6/2022)"), the report's data date, and finally its issue date (the month's
last day when only the month is printed). "Đầu nhiệm kỳ" (at the start of the
term) depends on the report: in a mid-term report it describes the cadre now in
office and takes the report's date, as the corpus truth does; in a report that
sums up the whole term (its data date is the term's end) it contrasts the start
with the end, and the figure is dated 31 December of the term's first year. "So với trước khi…" compares with the
past but the number itself is current, so it is not a marker.
"""

from __future__ import annotations

import re
from datetime import date

from chiso.interpret.sentences import key
from chiso.model import DocumentMeta
from chiso.normalize.dates import find_as_of_date, find_period, month_end, parse_date

_ACTS = r"de an|nghi quyet|ket luan|chi thi|ke hoach|chuong trinh|quy dinh|quyet dinh|du an"
_BEFORE_ACT = re.compile(rf"(?<!so voi )\btruoc khi (?:thuc hien|trien khai|ban hanh|co) ({_ACTS})")
"""'trước khi thực hiện Đề án' (OCR's 'trirdc khi thuc hién Dé an' is read back before)."""
_ACT_DATE = re.compile(rf"\b({_ACTS}) so [\w./-]+,?\s+(?:ngay\s+)?(\d{{1,2}}\s*/\s*\d{{1,2}}\s*/\s*\d{{4}})")
_TERM = re.compile(r"\bnhiem ky\b")
_TERM_START = re.compile(r"\b[dp]au nhiem ky\b")  # OCR without Vietnamese reads Đ as P
_UNTIL_NOW = re.compile(r"\b(den nay|hien nay|den thoi diem nay)\b")
_CLAUSE_START = re.compile(r"[;(]")


def fallback_date(meta: DocumentMeta) -> date | None:
    """The report's data date, else its issue date (month end when only the month is printed)."""
    if meta.data_date:
        return meta.data_date
    if meta.issue_date and meta.issue_month_only:
        return month_end(meta.issue_date.year, meta.issue_date.month)
    return meta.issue_date


def act_dates(document_text: str) -> dict[str, date]:
    """The date of each kind of act the document cites first ("Đề án số 01-ĐA/TU ngày 29/8/2016")."""
    found: dict[str, date] = {}
    for match in _ACT_DATE.finditer(key(document_text)):
        when = parse_date(match.group(2))
        if when and match.group(1) not in found:
            found[match.group(1)] = when
    return found


class PeriodContext:
    """Walks the report in reading order and answers the period of each number."""

    def __init__(self, meta: DocumentMeta, acts: dict[str, date]) -> None:
        self._fallback = fallback_date(meta)
        self._acts = acts
        self._sections: dict[int, date | None] = {}
        self._carried: date | None = None
        term = find_period(meta.title) if meta.title and _TERM.search(key(meta.title)) else None
        self._term_start = date(term[0].year, 12, 31) if term and meta.data_date == term[1] else None

    def enter_heading(self, level: int, text: str) -> None:
        """A heading closes deeper sections and may state an as-of date for its own."""
        self._sections = {lv: d for lv, d in self._sections.items() if lv < level}
        self._sections[level] = find_as_of_date(text)
        self._carried = None

    def after_sentence(self, sentence: str) -> None:
        """An as-of date in body text holds for the following paragraphs of the section."""
        when = find_as_of_date(sentence)
        if when:
            self._carried = when

    def period_of(self, sentence: str, position: int) -> date | None:
        sentence_key = key(sentence)
        clause_start = max((m.end() for m in _CLAUSE_START.finditer(sentence_key, 0, position)), default=0)
        before_act = _BEFORE_ACT.search(sentence_key, clause_start, position)
        if before_act and before_act.group(1) in self._acts:
            return self._acts[before_act.group(1)]
        if self._term_start and _TERM_START.search(sentence_key, 0, position):
            return self._term_start
        stated = find_as_of_date(sentence)
        if stated:
            return stated
        if self._carried and not _UNTIL_NOW.search(sentence_key):
            return self._carried  # "đến nay"/"hiện nay" means the report's date, not an earlier one
        for level in sorted(self._sections, reverse=True):
            if self._sections[level]:
                return self._sections[level]
        return self._fallback
