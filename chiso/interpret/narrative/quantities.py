"""The numbers of a sentence that are facts, and the ones that are not.

A report sentence prints many numbers that measure nothing: dates ("30/6/2022",
"tháng 6/2022"), years and terms ("nhiệm kỳ 2020 - 2025"), document numbers
("01-ĐA/TU", "Đề án 01", "(Biểu số 2)"), durations ("hơn 5 năm"), policy targets
("giảm 10%", "phấn đấu từ 30 đến 50%"), ranges ("đạt từ 53,7% đến 87,4%"),
thresholds ("trên 50% vốn", "3 chi bộ trở lên") and numbers that are part of a
label ("21 thôn có 02 chi bộ"), frequencies and rates ("01 lần/tháng", "120
phút/buổi"), ages ("từ 18 đến 40 tuổi"), names with a number (`narrative_names`)
and digits OCR made of letters (`narrative_ocr`). `find_quantities` keeps the
rest, splitting a ratio "697/620" into its two sides. Keyword rules run on the
accent-free `key`, so they hold for OCR text too; where OCR without Vietnamese
spells a keyword its own way ("từ" → "tir", "trở lên" → "trd 1én") the pattern
accepts that spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chiso.interpret.narrative.misreads import is_glued, is_misread_word
from chiso.interpret.narrative.names import is_name_part
from chiso.interpret.sentences import key
from chiso.model import Unit
from chiso.normalize.numbers import parse_number
from chiso.normalize.unit_words import COUNTING, MONEY

_NUM = r"\d+(?:[.,]\d+)*"
_SPACED = r"\d{1,3}(?: \d{3})+(?![\w.,]| \d)"
"""'5 112', '108 764': thousands grouped by spaces, as some reports and most OCR print them; never a run of
numbers ('1 2 3') or a group of other than three digits."""
# A figure, or figures joined by '/', standing alone: not inside a word, nor a name's number joined to
# it by a hyphen ('COVID-19', 'F-16').
_CHAIN = re.compile(rf"(?<![\w.,])(?<![^\W\d_]-)(?:{_SPACED}|{_NUM})(?:\s*/\s*(?:{_SPACED}|{_NUM}))*(?![\w])")
_PERCENT = re.compile(r"\s*%")
_YEAR = re.compile(r"^(19|20)\d{2}$")

_COUNTED_AFTER = re.compile(r"^\s+(" + "|".join(sorted((*COUNTING, *MONEY), key=len, reverse=True)) + r")\b")
"""A counting word after a number ('1956 lượt', '2000 người'): a count written without its thousands mark, no year."""
_DATE_BEFORE = re.compile(r"\b(ngay|thang|nam|quy|khoa|nhiem ky|giai doan|thu|lan thu|hang)\s*$")
_TIME_AFTER = re.compile(r"^\s*(n[aid]m|thang|ngay|tuan|gio|phut|tu[o0d]i|quy(?! (che|dinh|trinh|hoach|mo)))\b")
_RATE_AFTER = re.compile(r"^\s*%?\s*\S+\s*/\s*(?:0?1\b|(?:thang|nam|quy|tuan|ngay|buoi|budi|ky|lan|nguoi|don vi)\b)")
"""'01 lần/tháng' (OCR '1an/thang'), '120 phút/buổi', '05 cuộc/01 đơn vị': a rate or a rule, not a count."""
_PER_ONE_BEFORE = re.compile(r"[^\W\d_]\s*/\s*$")
"""'05 cuộc/01 đơn vị': the '01' after 'cuộc/' is the 'per one' of a rate."""
_DOC_AFTER = re.compile(r"^\s*[-/]\s*[a-z]")
_DOC_BEFORE = re.compile(
    r"\b(de an|nghi quyet|ket luan|chi thi|ke hoach|cong van|quyet dinh|bieu|thong tu|nghi dinh|"
    r"bao cao|huong dan|quy dinh|chuong trinh|to trinh|thong bao|phu luc|muc|dieu|khoan|luat|"
    r"van ban|mau)\s+((so|sb|s6|se|sd)\s*)?$"
)
_FROM = r"\bt(?:u|ir|ur|w)"
"""'từ' and its OCR readings ('tir', 'tur')."""
_RANGE_START = re.compile(rf"^\s*%?\s*[-–]\s*{_NUM}")
_RANGE_FROM = re.compile(rf"^\s*%?\s*(den|toi)\s*((duoi|dudi|tren|hon)\s+)?{_NUM}")
_RANGE_END = re.compile(rf"({_FROM}\s+{_NUM}\s*%?\s*(den|toi)(\s+(duoi|dudi|tren|hon))?|{_NUM}\s*%?\s*[-–])\s*$")
_TARGET_BEFORE = re.compile(
    r"\b(giam|tang|ting|phan dau|chi tieu|muc tieu|toi thieu|it nhat|khong qua|toi da|tren|duoi|dudi|hon|vuot|khoang)\s*$"
)
_THRESHOLD_AFTER = re.compile(r"^\s*%?(\s+\S+){0,3}\s+tr[o0d]\s*(len|1en|1€n|xuong)\b")
_BOUND_BEFORE = re.compile(r"\b(toi thieu|it nhat|1t nh[ae]t|khong qua|toi da|khong duoi|duoi|dudi)\s*$")
"""Bounds of a rule for any number ('ít nhất 01 lần', 'tối thiểu 3 đảng viên'); 'trên' is left to
percentages, since 'trên 1.333 thôn' (across all villages) and 'hơn 3.500 doanh nghiệp' report facts."""
_QUALIFIER_BEFORE = re.compile(r"\b(co|duy tri)\s*$")
_EACH = re.compile(r"\bmỗi\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;:]|\btrong do\b|\bgom\b|,\s*(tinh|huyen|quan|thi xa|thanh pho|thi tran|xa|phuong)\b")
"""What starts a new clause between two numbers: a semicolon or colon, 'trong đó', 'gồm', or a comma and
the next place ('… 56.541 đảng viên, tỉnh Hà Giang có 70.124 đảng viên': a second fact, not a label's number)."""
_CLAUSE_START = re.compile(r"[;(]")


@dataclass(frozen=True)
class Quantity:
    """A fact number found in a sentence."""

    value: float
    unit: Unit
    start: int
    end: int
    """Span of the number (with its % sign) in the sentence."""
    role: str = "single"
    """`single`, or `numerator` / `denominator` for the two sides of "a/b"."""


def _is_date(parts: list[str], before: str) -> bool:
    if len(parts) == 3 and _YEAR.match(parts[2]):
        return True
    if len(parts) == 2 and _YEAR.match(parts[1]) and parts[0].isdigit() and 1 <= int(parts[0]) <= 12:
        return True
    if len(parts) == 2 and before.endswith("ngay "):
        return True
    return False


def _clause_before(sentence_key: str, start: int) -> str:
    """The text of the clause the number is in, up to the number (";" or "(" opens a clause)."""
    opened = max((m.end() for m in _CLAUSE_START.finditer(sentence_key, 0, start)), default=0)
    return sentence_key[opened:start]


def _is_not_a_fact(sentence: str, sentence_key: str, start: int, end: int, parts: list[str], percent: bool) -> bool:
    before, after = sentence_key[:start], sentence_key[end:]
    if _is_date(parts, before) or _DATE_BEFORE.search(before) or _DOC_AFTER.match(after) or _DOC_BEFORE.search(before):
        return True
    if len(parts) == 1 and not percent and _YEAR.match(parts[0]) and not _COUNTED_AFTER.match(after):
        return True  # a year ("từ 2016 đến nay", "giai đoạn 2016 - 2020"); '1956 lượt cán bộ' counts
    if _TIME_AFTER.match(after) and not percent:
        return True  # a duration ("hơn 5 năm")
    if not percent and before.rstrip().endswith("(") and after.lstrip().startswith(")"):
        return True  # a note reference "(1)"
    if _RANGE_START.match(after) or _RANGE_END.search(before) or _RANGE_FROM.match(after):
        return True
    if percent and _TARGET_BEFORE.search(before):
        return True
    if _BOUND_BEFORE.search(before) or _RATE_AFTER.match(after):
        return True
    if parts == ["1"] or parts == ["01"]:
        if _PER_ONE_BEFORE.search(sentence[:start]):
            return True
    token = "/".join(parts)
    if is_glued(sentence, start, end) or is_misread_word(token, before, after):
        return True
    if is_name_part(sentence, sentence_key, start, end, token if not percent else ""):
        return True
    clause = _clause_before(sentence_key, start)
    if "phan dau" in clause or _EACH.search(sentence, start - len(clause), start):
        return True  # a target ("phấn đấu …") or a rule ("mỗi thôn có 01 chi bộ")
    return bool(_THRESHOLD_AFTER.match(after))


def _is_label_part(sentence_key: str, start: int, previous_end: int | None) -> bool:
    """'21 thôn có 02 chi bộ': the second number belongs to the label of the first."""
    if previous_end is None:
        return False
    between = sentence_key[previous_end:start]
    if between.count("(") != between.count(")"):
        return False  # a bracket opened or closed in between: a new clause
    return bool(_QUALIFIER_BEFORE.search(between)) and not _CLAUSE_BREAK.search(between) and not re.search(r"\d", between)


def find_quantities(sentence: str) -> list[Quantity]:
    """The fact numbers of one sentence, in reading order."""
    sentence_key = key(sentence)
    found: list[Quantity] = []
    previous_end: int | None = None
    for match in _CHAIN.finditer(sentence):
        start, end = match.span()
        percent_sign = _PERCENT.match(sentence, end)
        number_end = percent_sign.end() if percent_sign else end
        parts = [p.strip() for p in match.group().split("/")]
        if _is_not_a_fact(sentence, sentence_key, start, number_end, parts, bool(percent_sign)):
            continue
        if _is_label_part(sentence_key, start, previous_end):
            continue
        values = [v for v in (parse_number(p) for p in parts) if v is not None]
        if len(values) != len(parts):
            continue
        roles = ["single"] if len(parts) == 1 else ["numerator"] + ["denominator"] * (len(parts) - 1)
        position = start
        for part, parsed, role in zip(parts, values, roles):
            part_start = sentence.index(part, position)
            position = part_start + len(part)
            is_last = position == end
            unit: Unit = "percent" if percent_sign and is_last else "count"
            part_end = number_end if is_last else position
            found.append(Quantity(parsed.value, unit, part_start, part_end, role))
        previous_end = number_end
    return found
