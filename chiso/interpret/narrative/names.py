"""Numbers that are part of a name, not a quantity of anything.

Reports cite acts and bodies by number ("Nghị quyết Trung ương 4", "Quy định số
213", "Ban Chỉ đạo 35", "Ban Quản lý dự án số 01"), name models and titles with
a number ("chi bộ 4 tốt", "chính quyền địa phương 02 cấp", phương châm "3 cùng"),
and print versions ("PCI 2.0") and ranks ("Top 30"). None of these counts
anything. The rules read the accent-free key; the variants OCR makes of "số"
("sb", "s6", "sé") and "ương" ("wong") are part of the patterns because the
same reader runs on OCR text.
"""

from __future__ import annotations

import re

_DESIGNATION_BEFORE = re.compile(r"\b(?:trung (?:uong|wong)|ban chi dao|hoi nghi|top|m[uiy]c d[o0-9]|cap do)\s*$")
"""'Nghị quyết Trung ương 4', 'Ban Chỉ đạo 35', 'Hội nghị 15', 'Top 30', 'dịch vụ công mức độ 3' (OCR 'mic d6')."""
_NUMBER_WORD = re.compile(r"(?<![^\W\d_])(?:số|so|sb|sô|sé)\s*$", re.IGNORECASE)
_COUNTING_NUMBER_WORD = re.compile(r"\b(?:tong|trong|thieu|da|dan|he|chi|co)\s+\S+\s*$")
"""'Ban Quản lý dự án số 01' numbers a body: 'số' then a figure written with its leading zero. But
'tổng số', 'trong số', 'thiểu số', 'đa số', 'dân số', 'hệ số', 'chỉ số' are words of their own, and
'cơ sở 656' is 'sở' (the key cannot tell 'số' from 'sở', the printed text can). Acts ('Quy định số 213')
are `narrative_quantities`' document numbers."""

_TITLE_AFTER = re.compile(r"^\s*(?:t[a-z0-9&]?t|gioi|sach|cung|ro|khong)\b")
"""'4 tốt' (OCR 't6t', 'tdt', 'tbt'), '4 giỏi', '3 sạch', '3 cùng', '5 rõ', '3 không': a title, not a count."""

_TIERS = re.compile(r"\bchinh quyen(?: dia phuong)?\s*$")
_TIERS_AFTER = re.compile(r"^\s*cap\b")
"""'chính quyền địa phương 02 cấp': the name of the two-tier model."""

_VERSION = re.compile(r"^\d+\.\d{1,2}$")
"""'2.0', '4.0': a version or a section number; a Vietnamese figure groups thousands by three."""

_QUOTED_NAME = 60
"""Longest quoted name or slogan, in characters: a stray OCR quote mark must not swallow a paragraph."""


def inside_quotes(sentence: str, start: int) -> bool:
    """The number stands in a short quoted name or slogan ('mô hình "chi bộ 4 tốt"', 'tinh thần "5 rõ"')."""
    before = sentence[:start]
    opened = before.rfind("“")
    if opened > before.rfind("”"):
        closes = [at for at in (sentence.find("”", start), sentence.find('"', start)) if at != -1]
        return bool(closes) and min(closes) - opened <= _QUOTED_NAME
    if before.count('"') % 2 == 1:
        closed = sentence.find('"', start)
        return closed != -1 and closed - before.rfind('"') <= _QUOTED_NAME
    return False


def is_name_part(sentence: str, sentence_key: str, start: int, end: int, token: str) -> bool:
    """The number at [start, end) belongs to a name, a title, a version or a designation."""
    before, after = sentence_key[:start], sentence_key[end:]
    if _DESIGNATION_BEFORE.search(before) or _TITLE_AFTER.match(after):
        return True
    if token.startswith("0") and _NUMBER_WORD.search(sentence[:start]) and not _COUNTING_NUMBER_WORD.search(before):
        return True
    if _TIERS.search(before) and _TIERS_AFTER.match(after):
        return True
    if _VERSION.match(token):
        return True
    return inside_quotes(sentence, start)
