"""Running text of a report → paragraphs and sentences, with the page of every character.

PDF page text wraps sentences across lines and pages without hyphens, puts page
numbers and footnote markers on lines of their own, and ends with a signature
block and appendix tables whose text must not be read as prose. This module
undoes that layout: it keeps the report body only, rejoins wrapped lines into
paragraphs (a bullet, a numbered heading or a blank line starts a new one) and
splits paragraphs into sentences, remembering the page each character came from.

All keyword matching is done on `key()`, a character-aligned accent-free copy of
the text, so positions found in the key are positions in the printed text and
the rules keep working on OCR output that lost or mangled its diacritics.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from chiso.model import TextBlock
from chiso.normalize.text import clean, nfc


def key(text: str) -> str:
    """`fold()` that keeps every character in place: one output char per input char."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[0].lower()
        out.append(" " if base.isspace() else base[0])
    return "".join(out)


_DOC_KINDS = (
    "bao cao", "ke hoach", "to trinh", "nghi quyet", "thong bao", "de an",
    "chuong trinh", "quyet dinh", "huong dan", "cong van", "ket luan", "chi thi",
)
_APPENDIX = re.compile(r"^(bieu|phu luc|bieu mau)\s*(so)?\s*[0-9ivx]{1,3}[a-z]?\s*(\(tiep theo\))?\s*([-–:].*)?$")
_PARAGRAPH_STARTERS = re.compile(r"^(thuc hien|can cu|kinh gui|theo|qua |nham|de |ngay \d)")
_ONLY_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
_NUMERIC_TOKEN = re.compile(r"^\d[\d.,]*%?$")
_MARKER = re.compile(
    r"^(?:(?P<roman>[IVX]{1,5})\s*[.-]|(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\.?|(?P<letter>[a-zđ])[).])\s+(?=\S)"
)
_BULLET = re.compile(r"^[-–+•*]\s*(?=\S)")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ])")


@dataclass
class Sentence:
    """One sentence of a paragraph; `pages[i]` is the page of `text[i]`."""

    text: str
    pages: list[int | None]
    method: str

    def page_at(self, index: int) -> int | None:
        return self.pages[min(max(index, 0), len(self.pages) - 1)] if self.pages else None


@dataclass
class Paragraph:
    """A heading or a body paragraph (a bullet item, a numbered item, prose)."""

    text: str
    pages: list[int | None]
    method: str
    heading_level: int | None = None
    """1 for "I." and all-capital headings, 2 for "1.", 3 for "2.1.", … 6 for "a)"; None for body text."""
    sentences: list[Sentence] = field(default_factory=list)


@dataclass
class _Line:
    text: str
    page: int | None
    method: str
    blank_before: bool


def is_upper_line(text: str) -> bool:
    """A line printed in capitals (header blocks, "I. KHÁI QUÁT TÌNH HÌNH")."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def is_doc_kind_line(text: str) -> bool:
    """The line naming the document kind above its title: "BÁO CÁO", "KẾ HOẠCH"."""
    return is_upper_line(text) and key(clean(text)).strip() in _DOC_KINDS


def title_span(lines: list[str]) -> tuple[int, int, int] | None:
    """(kind, first, end) line indexes of "BÁO CÁO" and of the title under it, or None.

    The title is the first line after the kind line plus the lines that continue it:
    a line starting in lower case, or a short line that does not open a paragraph.
    A full-width line or one starting "Thực hiện…"/"Căn cứ…" is the first paragraph.
    """
    for index, line in enumerate(lines[:40]):
        if not is_doc_kind_line(line):
            continue
        first = index + 1
        while first < len(lines) and not clean(lines[first]):
            first += 1
        end = first + 1 if first < len(lines) else first
        while end < len(lines) and end - first < 6:
            text = clean(lines[end])
            if not text or text == "*" or set(text) <= set("-_–—"):
                break
            lowered = key(text)
            continues = text[0].islower() or (len(text) < 50 and not _PARAGRAPH_STARTERS.match(lowered))
            if not continues or _MARKER.match(text) or _BULLET.match(text):
                break
            end += 1
        return index, first, end
    return None


def is_appendix_title(text: str) -> bool:
    """A line that opens an appendix table ("Biểu số 1", "Biểu số 2 (tiếp theo)")."""
    return bool(_APPENDIX.match(key(clean(text))))


def is_grid_line(text: str) -> bool:
    """A table row flattened into text ("1 Thành ủy Chí Linh 156 156 0 …", "A B 1 2 3 4=3/2").

    Prose never prints three bare numbers in a row; a table row always does.
    """
    run = 0
    for token in text.split():
        run = run + 1 if _NUMERIC_TOKEN.match(token) else 0
        if run >= 3:
            return True
    return False


def _body_lines(texts: list[TextBlock]) -> list[_Line]:
    """The lines of the report body: after the title, before the signature and appendices."""
    out: list[_Line] = []
    for block_index, block in enumerate(texts):
        raw = nfc(block.text).split("\n")
        start = 0
        if block_index == 0:
            span = title_span(raw)
            start = span[2] if span else 0
        blank = True
        for line in raw[start:]:
            text = clean(line)
            if not text:
                blank = True
                continue
            if is_appendix_title(text):
                return out
            if key(text).startswith("noi nhan"):
                return out  # addressees and signature: the report body has ended
            if text == "*" or _ONLY_NUMBER.match(text) or is_grid_line(text):
                continue
            out.append(_Line(text, block.page, block.method, blank))
            blank = False
    return out


def _heading_level(text: str) -> int | None:
    marker = _MARKER.match(text)
    if marker:
        rest = text[marker.end():]
        if not rest or not (rest[0].isupper() or rest[0] in "\"“("):
            return None
        if marker.group("roman"):
            return 1
        if marker.group("num"):
            return 2 + marker.group("num").count(".")
        return 6
    return 1 if is_upper_line(text) and len(text) < 120 else None


def _starts_paragraph(line: _Line, previous: _Line | None, current_heading: int | None) -> bool:
    text = line.text
    if previous is None or line.blank_before and line.method != "pdf_text":
        return True
    if _BULLET.match(text) or _heading_level(text) is not None:
        if current_heading == 1 and is_upper_line(previous.text) and is_upper_line(text) and not _MARKER.match(text):
            return False  # second line of a capitalised heading
        return True
    if current_heading is not None and text[0].isupper():
        return True  # body text right after a heading
    return previous.text[-1] in ".:!?" and text[0].isupper()


def _strip_marker(text: str) -> str:
    """Drop the bullet or section number ("- ", "2.3. ", "a) ") that opens a paragraph."""
    bullet = _BULLET.match(text)
    if bullet:
        return text[bullet.end():]
    marker = _MARKER.match(text)
    if marker and _heading_level(text) is not None:
        return text[marker.end():]
    return text


def _split_sentences(paragraph: Paragraph) -> list[Sentence]:
    sentences = []
    position = 0
    for match in list(_SENTENCE_END.finditer(paragraph.text)) + [None]:
        end = match.start() if match else len(paragraph.text)
        text = paragraph.text[position:end]
        if text.strip():
            sentences.append(Sentence(text, paragraph.pages[position:end], paragraph.method))
        position = match.end() if match else end
    return sentences


def paragraphs(texts: list[TextBlock]) -> list[Paragraph]:
    """The report body as paragraphs with their sentences, in reading order."""
    result: list[Paragraph] = []
    previous: _Line | None = None
    for line in _body_lines(texts):
        current = result[-1] if result else None
        if current is None or _starts_paragraph(line, previous, current.heading_level):
            text = _strip_marker(line.text)
            current = Paragraph("", [], line.method, _heading_level(line.text))
            result.append(current)
        else:
            text = line.text
            current.text += " "
            current.pages.append(line.page)
        current.text += text
        current.pages.extend([line.page] * len(text))
        previous = line
    for paragraph in result:
        paragraph.sentences = _split_sentences(paragraph)
    return result
