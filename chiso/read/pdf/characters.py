"""PDFium's characters: one glyph with its box on the displayed page, and visual lines of them.

The page-text reader (`reader`), the ruled-table reader (`ruled`) and the
borderless-table reader (`borderless`) all read these characters; they live here, below both, so neither reader
imports the other for them.
"""

from __future__ import annotations

import ctypes
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from statistics import median

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from chiso.model import BadInputError
from chiso.normalize.text import clean

_WORD_GAP = 0.15
"""A horizontal gap wider than this share of the line height separates words."""
_LINE_TOLERANCE = 0.3
"""Chars whose baselines differ by less than this share of their height sit on one line."""
_SPACE_CODES = frozenset((0x09, 0x0A, 0x0D, 0x20, 0xA0, 0x2002, 0x2003, 0x2009, 0x200B, 0x3000))


@dataclass(slots=True)
class PdfChar:
    """One glyph with its box, as PDFium places it; shared by the ruled and borderless table readers.

    Slots: a statistical yearbook's pages are read once and kept until its tables are known
    (a few thousand characters a page, 126 pages), a third of the memory of plain instances."""

    text: str
    """"" for a footnote marker: it takes its place in the line but prints nothing."""
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    space_after: bool = False
    """The source prints a space glyph right after this character."""

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


_PDFIUM_ERRORS = {
    pdfium_c.FPDF_ERR_FILE: "the file cannot be read",
    pdfium_c.FPDF_ERR_FORMAT: "damaged or incomplete structure",
    pdfium_c.FPDF_ERR_PAGE: "page tree not found",
}


def open_pdfium(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as err:
        code = getattr(err, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise BadInputError("encrypted PDF, password required") from err
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise BadInputError("encrypted PDF, unsupported security handler") from err
        detail = _PDFIUM_ERRORS.get(code, "pdfium cannot open it")
        raise BadInputError(f"truncated or corrupt PDF ({detail})") from err


Box = tuple[float, float, float, float]


def display_transform(page: pdfium.PdfPage) -> Callable[[float, float, float, float], Box]:
    """User-space box → (x0, top, x1, bottom) on the page as displayed, as pdfplumber has it."""
    x_min, y_min, x_max, y_max = page.get_mediabox()
    width, height = x_max - x_min, y_max - y_min
    rotation = page.get_rotation()

    def transform(left: float, bottom: float, right: float, top: float) -> Box:
        x0, x1, y0, y1 = left - x_min, right - x_min, bottom - y_min, top - y_min
        if rotation == 90:
            return y0, x0, y1, x1
        if rotation == 180:
            return width - x1, y0, width - x0, y1
        if rotation == 270:
            return height - y1, width - x1, height - y0, width - x0
        return x0, height - y1, x1, height - y0

    return transform


def page_chars(page: pdfium.PdfPage) -> list[PdfChar]:
    """Every visible character, in content order, with its loose box (font ascent to
    descent) and baseline on the displayed page.

    Space glyphs are not kept as characters (their boxes cost time and say
    nothing more): they mark the character before them, and word breaks are also
    read from gaps, for producers that position words without space glyphs.
    """
    transform = display_transform(page)
    textpage = page.get_textpage()
    handle = textpage.raw
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    chars: list[PdfChar] = []
    try:
        for index in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(handle, index)
            if code in _SPACE_CODES:
                # pdfium's own (generated) spaces and line breaks are its guesses, not the source's.
                if chars and not pdfium_c.FPDFText_IsGenerated(handle, index):
                    chars[-1].space_after = True
                continue
            if not pdfium_c.FPDFText_GetLooseCharBox(handle, index, rect_ref):
                continue
            pdfium_c.FPDFText_GetCharOrigin(handle, index, origin_x, origin_y)
            text = chr(code) if 0x20 < code < 0x250 and code != 0x7F else _glyph_text(code)
            if text is None:
                continue
            # FS_RECTF's top is the larger y: PDF user space grows upwards.
            x0, top, x1, bottom = transform(rect.left, min(rect.top, rect.bottom), rect.right,
                                            max(rect.top, rect.bottom))
            baseline = transform(origin_x.value, origin_y.value, origin_x.value, origin_y.value)[1]
            chars.append(PdfChar(text, min(x0, x1), max(x0, x1), top, bottom, baseline))
    finally:
        textpage.close()
    return chars


def _glyph_text(code: int) -> str | None:
    """The character; None for a space; U+FFFD for what a glyph without a Unicode
    mapping turns into (control codes, private-use code points)."""
    if not code or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    text = chr(code)
    if text.isspace():
        return None
    return text if text.isprintable() and unicodedata.category(text) != "Co" else "\ufffd"


def group_lines(chars: list[PdfChar]) -> list[list[PdfChar]]:
    """Sweep the characters top to bottom; one visual line per band of baselines.

    Baselines, not boxes: accented capitals reach higher than their neighbours,
    and the two halves of a letterhead in different sizes still share a baseline.
    """
    groups: list[list[PdfChar]] = []
    baseline = height = 0.0
    for char in sorted(chars, key=lambda c: c.baseline):
        if groups and abs(char.baseline - baseline) <= _LINE_TOLERANCE * max(height, char.height):
            groups[-1].append(char)
            height = max(height, char.height)
        else:
            groups.append([char])
            baseline, height = char.baseline, char.height
    return groups


def line_text(chars: list[PdfChar]) -> str:
    """Characters left to right, with a space wherever the gap is a word break."""
    chars = sorted(chars, key=lambda c: c.x0)
    gap = _WORD_GAP * median(c.height for c in chars)
    parts = [chars[0].text]
    for previous, char in zip(chars, chars[1:]):
        if previous.space_after or char.x0 - previous.x1 > gap:
            parts.append(" ")
        parts.append(char.text)
    return clean("".join(parts))


_COLUMN_GAP = 0.4
"""Without space glyphs to go by, a gap wider than this share of the line height separates
two cells (≈3.6 pt at 9 pt type: digit groups are 2 pt apart, columns 5 pt)."""
_GLUE = 0.05
"""Where the source prints space glyphs, any gap wider than this share of the height
(≈0.45 pt; digits are set without kerning) without a space glyph separates cells: bold
totals rows are set so tight that a column gap (1.2 pt, down to 0.6 pt) is narrower than a
thousands space (1.9 pt, with glyph)."""
_SPACE_GAP = 0.15
"""A narrower gap that is still a space inside a cell ("3 489 927", "whole country")."""


@dataclass
class Word:
    """Characters of one line that form one cell: split where the gap is a column gap, not a space."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


def line_words(chars: list[PdfChar]) -> list[Word]:
    """One visual line → cells: characters joined while the gap is narrower than a column gap."""
    chars = sorted(chars, key=lambda c: c.x0)
    height = max(c.height for c in chars)
    spaced = any(c.space_after for c in chars)
    groups = [[chars[0]]]
    for previous, char in zip(chars, chars[1:]):
        gap = char.x0 - previous.x1
        if gap > _COLUMN_GAP * height or (spaced and gap > _GLUE * height and not previous.space_after):
            groups.append([char])
        else:
            groups[-1].append(char)
    words = []
    for group in groups:
        text = group[0].text
        for previous, char in zip(group, group[1:]):
            space = previous.space_after or char.x0 - previous.x1 > _SPACE_GAP * height
            text += (" " if space else "") + char.text
        words.append(Word(clean(text), group[0].x0, group[-1].x1,
                           min(c.top for c in group), max(c.bottom for c in group)))
    return [word for word in words if word.text]


def merged_spans(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """X-extents merged where they overlap, left to right: the bands that the cells of one
    column stack into (right-aligned figures share a right edge, centred ones a centre)."""
    bands: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if bands and x0 < bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], x1)
        else:
            bands.append([x0, x1])
    return [(x0, x1) for x0, x1 in bands]
