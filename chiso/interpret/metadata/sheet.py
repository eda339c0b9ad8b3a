"""What the title rows of an appendix table or a spreadsheet say about the document.

A spreadsheet or an appendix page has no "BÁO CÁO" title: above the grid it
prints a short header block, then "Biểu số 3", a caption in capitals
("TỔNG HỢP" / "Công tác đào tạo, bồi dưỡng cán bộ" / "Khối xã, … nhiệm kỳ
2015 - 2020"), maybe an as-of line "(Tính đến 31/7/2022)" and, for an annex of
a report, "(Kèm theo Báo cáo số 27/BC-UBND ngày 01/3/2023 của UBND tỉnh Hải
Dương)": the annex belongs to that report, so it names its number, date and issuer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from chiso.interpret.metadata.places import accented
from chiso.interpret.sentences import is_appendix_title, is_upper_line, key
from chiso.normalize.dates import parse_date
from chiso.normalize.text import clean

_ATTACHED = re.compile(r"\bkem\s*theo\b")
_ATTACHED_NUMBER = re.compile(
    r"(?i:\bs\S{0,2})\s*:?\s*(\d{1,5}(?:\s*/\s*\d{4})?\s*[-/]\s*[A-ZĐ][A-Za-zĐđ&]*(?:\s*[-/]\s*[A-ZĐ][A-Za-zĐđ&]*)+)"
)
_APPENDIX_NAME = re.compile(r"^(bieu mau|bieu|phu luc)\s*(?:so)?\s*([0-9ivx]{1,3}[a-z]?)")
_GENERIC_CAPTION = re.compile(r"^(bieu|bang|mau)\s+(tong hop|thong ke)$")
_SIGNATURE = re.compile(
    r"^(nguoi lap( bieu)?|truong ban|pho truong ban|thu truong|giam doc|chu tich|t\s*/\s*m\b|k\s*t\b|tm\.?\s)"
)
_SYLLABLE = re.compile(r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?$")
_UNIT_WORDS = ("tinh", "huyen", "thanh pho", "thi xa", "quan")
_EDGE_JUNK = " _-–—*|.,;:"


@dataclass
class Attachment:
    """The report an annex is attached to: "(Kèm theo Báo cáo số N ngày D của ISSUER)"."""

    number: str | None
    issued: date | None
    issuer: str | None


def find_attachment(lines: list[str]) -> Attachment | None:
    """The first "Kèm theo …" line naming a report, or None."""
    for index, line in enumerate(lines):
        text = clean(line)
        if text.startswith("(") and ")" not in text and index + 1 < len(lines):
            text = clean(f"{text} {lines[index + 1]}")  # "(Kèm theo Quyết định số … năm 2015" / "của Bộ trưởng …)"
        text = text.strip("()")
        line_key = key(text)
        start = _ATTACHED.search(line_key)
        if not start:
            continue
        number = _ATTACHED_NUMBER.search(text, start.end())
        owner = re.search(r"\bcua\s+", line_key[start.end():])
        issuer = text[start.end() + owner.end():] if owner else ""
        issuer = clean(re.split(r"\s+v(?:ề|e)\s|\)", issuer)[0]).strip(_EDGE_JUNK)  # "… về việc công bố …"
        found = Attachment(re.sub(r"\s+", "", number.group(1)) if number else None, parse_date(text), issuer or None)
        if found.number or found.issued:
            return found
    return None


def _is_word(token: str) -> bool:
    """A Vietnamese syllable, as opposed to an acronym that keeps its capitals ('UBND', 'CCHC', 'KDC')."""
    return bool(_SYLLABLE.match(key(token).strip("(),.;:\"")) or not any(c.isalpha() for c in token))


def _lower_caps(text: str) -> str:
    """'CỦA UBND CÁC HUYỆN, TỈNH HẢI DƯƠNG' → 'của UBND các huyện, tỉnh Hải Dương'."""
    words = text.split()
    out = [word.lower() if _is_word(word) else word for word in words]
    for index in range(len(words) - 1):
        unit = key(" ".join(out[index : index + 2])) if key(out[index]) in ("thanh", "thi") else key(out[index])
        if unit not in _UNIT_WORDS:
            continue
        first = index + len(unit.split())
        for size in (3, 2):
            name = " ".join(words[first : first + size])
            if len(words) >= first + size and accented(name) != name:
                out[first : first + size] = accented(name).split()
                break
    return " ".join(out)


def _caption_line(text: str, first: bool) -> str:
    if is_upper_line(text):
        text = _lower_caps(text)
    elif not first and len(text) > 1 and not re.match(r"\S+\s+[A-ZĐÀ-Ỹ]", text):
        text = text[0].lower() + text[1:]  # "Khối xã, …" continues the caption; "Hải Dương …" is a name
    return text[0].upper() + text[1:] if first and text else text


def caption(lines: list[str]) -> str | None:
    """The caption at the start of `lines`, in sentence case, up to a parenthesis, a signature or a grid."""
    parts: list[str] = []
    for raw in lines:
        text = clean(raw).strip(_EDGE_JUNK)
        line_key = key(text)
        if not text:
            if parts:
                break
            continue
        if text.startswith("(") or _SIGNATURE.match(line_key) or is_appendix_title(text) or len(parts) == 4:
            break
        if re.search(r"\d+\s+\d+\s+\d+", text) or len(text) > 160:
            break  # a flattened table row or a paragraph
        if _GENERIC_CAPTION.match(line_key):
            continue  # "BIỂU TỔNG HỢP" names the kind of sheet, not its subject
        parts.append(_caption_line(text, not parts))
    return clean(" ".join(parts)) or None


def appendix_title(lines: list[str]) -> tuple[int, str] | None:
    """(line index, title) of an appendix: 'Biểu số 6 - Kết quả luân chuyển cán bộ cơ sở năm 2016 - 2021'."""
    for index, line in enumerate(lines):
        text = clean(line)
        if not is_appendix_title(text):
            continue
        found = _APPENDIX_NAME.match(key(text))
        if not found:
            return None
        kind = {"bieu": "Biểu số", "bieu mau": "Biểu mẫu số", "phu luc": "Phụ lục"}[found.group(1)]
        name = f"{kind} {found.group(2).upper()}"
        rest = text[found.end():].strip(_EDGE_JUNK)
        subject = caption(([rest] if rest and not key(rest).startswith("(tiep") else []) + lines[index + 1 :])
        return index, f"{name} - {subject}" if subject else name
    return None
