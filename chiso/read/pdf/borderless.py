"""Borderless PDF tables (no ruling lines) → RawTable grids, from word positions.

Statistical yearbooks such as GSO's population projection print dense tables
without a single rule: pdfplumber's lines strategy finds nothing, and its text
strategy cannot tell a thousands separator from a column gap, because these
tables separate thousands with a space (`3 489 927`). What separates them is
distance: digit groups of one number sit ~2 pt apart (with a space glyph),
neighbouring columns ~5 pt. So characters (pdfium's boxes, ~20x faster than
pdfminer) are grouped into words by that gap, words into rows by baseline,
and values into columns by the x-bands that the numbers of the page stack into.

Page layout understood here: title lines, then a header row of years, then
sections ("whole country" / "Male" / "Female") of rows `label  n n n …` each
closed by a `Total` row; a section continued on the next page starts under a
repeated header row, without a title. One RawTable is emitted per section per
page, with the section's sex as a caption spanning the year columns (so the
table stage keeps Male and Female apart and joins a section with its own
continuation) and the title lines in `context`.

Parts of the text layer cannot be trusted: a title font without a usable
character map comes out as `TA/E B.2.7. HAN2I, PR2-ECTED` (pdfium returns the
glyph's code for unmapped glyphs). Such lines are recognised by their
non-words and read again by OCR of just their region; an unreadable suffix on
the last age group (`80�`) is inferred from the group above it (`75-79`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytesseract
from PIL import Image

from chiso.model import RawTable
from chiso.normalize.text import clean, fold
from chiso.read.lanes import concurrently
from chiso.read.pdf.characters import (
    Box,
    PdfChar,
    Word,
    group_lines,
    line_words,
    merged_spans,
    open_pdfium,
    page_chars,
)
from chiso.read.pdfium_lock import PDFIUM_LOCK

_SIDEWAYS = 1.5
"""A character box this much wider than tall is printed sideways (the page number in the margin)."""
_OCR_DPI = 300
_OCR_PAD = 3.0
"""Points added around an untrustworthy region before OCR, so no glyph is clipped."""

_YEAR = re.compile(r"^(19|20)\d{2}$")
_NUMBER = re.compile(r"^-?\d{1,3}( \d{3})*([.,]\d+)?$|^-?\d+([.,]\d+)?$")
_AGE_RANGE = re.compile(r"^(\d{1,3})\s*[-–]\s*(\d{1,3})$")
_AGE_UNREADABLE = re.compile(r"^(\d{1,3})\s*(?:\ufffd|\(cid:\d+\))$")
"""`80` followed by a glyph the text layer cannot name."""
_GARBLED = re.compile(r"[A-Za-z]\d[A-Za-z]|[A-Za-z][<>*/\\|~^=_]|[<>*/\\|~^=_][A-Za-z]|\ufffd|\(cid:\d+\)")
"""Inside a word, what no dictionary word has: a digit between letters (`HAN2I`), a
symbol glued to a letter (`TA/E`, `ACC2RDIN*`), an unmapped glyph."""
_SEXES = {"whole country": "Both sexes", "both sexes": "Both sexes", "male": "Male", "female": "Female"}
"""Section captions → sex. GSO prints `whole country` over the both-sexes block of a province."""


@dataclass
class _Row:
    words: list[Word]
    top: float
    bottom: float

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


@dataclass
class _Section:
    """Rows of one sex block on one page."""

    sex: str | None
    rows: list[_Row] = field(default_factory=list)


# --- words and rows -----------------------------------------------------------------


def _rows(chars: list[PdfChar]) -> list[_Row]:
    """The page's lines top to bottom, each split into cells; sideways characters dropped."""
    upright = [c for c in chars if c.text and (c.x1 - c.x0) <= _SIDEWAYS * c.height]
    rows = []
    for group in group_lines(upright):
        words = line_words(group)
        if words:
            rows.append(_Row(words, min(w.top for w in words), max(w.bottom for w in words)))
    return rows


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text))


def _is_year_row(row: _Row) -> bool:
    return len(row.words) >= 3 and all(_YEAR.match(word.text) for word in row.words)


def _is_data_row(row: _Row) -> bool:
    first, *rest = row.words
    return bool(rest) and not _is_number(first.text) and all(_is_number(w.text) for w in rest)


def is_untrustworthy(text: str) -> bool:
    """Whether a line of text-layer text is glyph soup rather than words.

    One non-word is enough on a title line: titles are short, and a font whose
    map is broken garbles every line set in it (`AND SE;, ACC2RDIN* T2 …`).
    """
    return any(_GARBLED.search(token) for token in text.split())


# --- columns ----------------------------------------------------------------------------


def _column_bands(rows: list[_Row]) -> list[tuple[float, float]]:
    """X-bands of the value columns: number and year cells stacked on the page, merged where
    they overlap. Right-aligned numbers of one column all share its right edge; columns
    never overlap, as the 5 pt gap between them is what the words were split on."""
    spans = [(w.x0, w.x1) for row in rows for w in row.words[1:] if _is_number(w.text)]
    spans += [(w.x0, w.x1) for row in rows if _is_year_row(row) for w in row.words]
    return merged_spans(spans)


def _place(words: list[Word], bands: list[tuple[float, float]]) -> list[str | None] | None:
    """Cells of one row laid into the bands; None when a word falls between bands."""
    cells: list[str | None] = [""] * len(bands)
    for word in words:
        index = next((i for i, (x0, x1) in enumerate(bands) if x0 <= word.centre <= x1), None)
        if index is None or cells[index]:
            return None
        cells[index] = word.text
    return cells


# --- untrustworthy text ---------------------------------------------------------------------


def _region(rows: list[_Row]) -> Box:
    """The rows' box on the displayed page, padded so that no glyph is clipped."""
    return (min(w.x0 for r in rows for w in r.words) - _OCR_PAD, min(r.top for r in rows) - _OCR_PAD,
            max(w.x1 for r in rows for w in r.words) + _OCR_PAD, max(r.bottom for r in rows) + _OCR_PAD)


def render_region(page: pdfium.PdfPage, box: Box, dpi: int = _OCR_DPI) -> Image.Image:
    """Only the box (displayed-page points) rendered at `dpi`: the smallest image that holds the text.

    A title strip is ~1/20 of the page; rendering the whole page at 300 dpi to cut
    it out cost more than reading it. pypdfium2's crop applies after rotation, but
    it counts from the crop box, while the characters' boxes count from the media
    box: where the two differ the page is rendered whole and cut.
    """
    scale = dpi / 72
    width, height = page.get_size()  # as displayed: rotation applied
    left, top = max(0.0, box[0]), max(0.0, box[1])
    right, bottom = min(width, box[2]), min(height, box[3])
    if page.get_cropbox() == page.get_mediabox():
        crop = (left, height - bottom, width - right, top)
        region: Image.Image = page.render(scale=scale, crop=crop, grayscale=True).to_pil()
        return region
    whole: Image.Image = page.render(scale=scale, grayscale=True).to_pil()
    return whole.crop((int(left * scale), int(top * scale), int(right * scale) + 1, int(bottom * scale) + 1))


_MOSAIC_REGIONS = 16
"""Title regions read in one Tesseract call: each call costs ~0.3 s of start-up before it reads a thing."""
_MOSAIC_GAP = 60
"""White pixels between stacked regions (0.2 in at 300 dpi): no line of one reaches the next."""


def _ocr_regions(images: list[Image.Image]) -> list[list[str] | None]:
    """Each region's lines, top to bottom; the regions read in mosaics of `_MOSAIC_REGIONS`, side by side.

    A GSO yearbook has a broken title on every province's first page (63 of
    126 pages): one Tesseract per title spent most of its time starting up.
    Stacked into one image with wide gaps, read as one block (`--psm 6`,
    English, one thread), each word is given back to its region by its
    height; the readings are the same as one region at a time.
    """
    batches = [images[i : i + _MOSAIC_REGIONS] for i in range(0, len(images), _MOSAIC_REGIONS)]
    return [lines for batch in concurrently(_read_mosaic, batches) for lines in batch]


def _read_mosaic(images: list[Image.Image]) -> list[list[str] | None]:
    gray = [np.asarray(image.convert("L")) for image in images]
    gap = _MOSAIC_GAP
    mosaic = np.full((sum(g.shape[0] for g in gray) + gap * (len(gray) + 1), max(g.shape[1] for g in gray) + 2 * gap),
                     255, dtype=np.uint8)
    spans: list[tuple[int, int]] = []
    top = gap
    for strip in gray:
        mosaic[top : top + strip.shape[0], gap : gap + strip.shape[1]] = strip
        spans.append((top, top + strip.shape[0]))
        top += strip.shape[0] + gap
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        data = pytesseract.image_to_data(mosaic, lang="eng", config=f"--psm 6 --dpi {_OCR_DPI}",
                                         output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractNotFoundError:
        return [None] * len(images)
    lines: list[dict[tuple[int, int, int], list[tuple[int, int, str]]]] = [{} for _ in images]
    for i, word in enumerate(data["text"]):
        if not word.strip():
            continue
        centre = data["top"][i] + data["height"][i] / 2
        region = next((k for k, (start, end) in enumerate(spans) if start - gap / 2 <= centre <= end + gap / 2), None)
        if region is not None:
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            lines[region].setdefault(key, []).append((data["left"][i], data["top"][i], word))
    readings: list[list[str] | None] = []
    for found in lines:
        ordered = sorted(found.values(), key=lambda words: min(top for _, top, _ in words))
        texts = (clean(" ".join(word for _, _, word in sorted(words))) for words in ordered)
        readings.append([text for text in texts if text])
    return readings


def _untrustworthy_runs(rows: list[_Row]) -> list[list[_Row]]:
    """Consecutive untrustworthy lines: each run is read again by OCR as one region."""
    runs: list[list[_Row]] = []
    previous_bad = False
    for row in rows:
        bad = is_untrustworthy(row.text)
        if bad and previous_bad:
            runs[-1].append(row)
        elif bad:
            runs.append([row])
        previous_bad = bad
    return runs


def _title_lines(rows: list[_Row], readings: dict[int, list[str] | None], number: int,
                 warnings: list[str]) -> list[str]:
    """The lines above the header row, each run of untrustworthy lines replaced by its OCR.

    `readings` maps the id of a run's first row to that run's OCR lines.
    """
    lines: list[str] = []
    run: list[_Row] = []
    for row in rows + [None]:
        if row is not None and is_untrustworthy(row.text):
            run.append(row)
            continue
        if run:
            read = readings.get(id(run[0]))
            if not read:
                warnings.append(f"page {number}: title text unreadable and OCR gave nothing")
                read = [r.text for r in run]
            lines.extend(read)
            run = []
        if row is not None:
            lines.append(row.text)
    return lines


def _age_label(label: str, previous: str | None) -> str:
    """`80�` after `75-79` is `80+`: the open-ended last group, whose `+` the font cannot name."""
    match = _AGE_UNREADABLE.match(label)
    above = _AGE_RANGE.match(previous or "")
    if match and above and int(above.group(2)) + 1 == int(match.group(1)):
        return f"{match.group(1)}+"
    return label


# --- tables -----------------------------------------------------------------------------------


def _sections(rows: list[_Row], sex: str | None, number: int, warnings: list[str]) -> list[_Section]:
    """Body rows under the header, cut at section captions; the first section continues `sex`.

    A labelled line with figures that do not read as numbers is reported, never dropped silently.
    """
    sections = [_Section(sex)]
    for row in rows:
        if _is_data_row(row):
            sections[-1].rows.append(row)
        elif len(row.words) == 1 and not any(ch.isdigit() for ch in row.text):
            caption = row.text
            sections.append(_Section(_SEXES.get(fold(caption), caption)))
        elif len(row.words) > 1 and any(ch.isdigit() for ch in row.text):
            warnings.append(f"page {number}: line {row.text[:40]!r}… not read as a table row")
    return [section for section in sections if section.rows]


def _grid(section: _Section, years: _Row, bands: list[tuple[float, float]], number: int,
          warnings: list[str]) -> list[list[str | None]]:
    header = _place(years.words, bands) or [""] * len(bands)
    grid: list[list[str | None]] = [[None, section.sex or ""] + [None] * (len(bands) - 1), ["", *header]]
    previous = None
    for row in section.rows:
        label, *values = row.words
        cells = _place(values, bands)
        if cells is None:
            warnings.append(f"page {number}: row {label.text!r} does not fit the columns")
            continue
        text = _age_label(label.text, previous)
        previous = text
        grid.append([text, *cells])
    return grid


@dataclass
class _Carry:
    """What a continuation page inherits from the page before."""

    context: list[str] = field(default_factory=list)
    sex: str | None = None
    page: int | None = None


@dataclass
class _Layout:
    """A table page's lines: the title lines above the header row of years, the header, the body."""

    above: list[_Row]
    header: _Row
    body: list[_Row]


def _layout(chars: list[PdfChar]) -> _Layout | None:
    rows = _rows(chars)
    header_index = next((i for i, row in enumerate(rows) if _is_year_row(row)), None)
    if header_index is None:
        return None
    return _Layout(rows[:header_index], rows[header_index], rows[header_index + 1:])


def _page_tables(layout: _Layout, readings: dict[int, list[str] | None], number: int, carry: _Carry,
                 warnings: list[str]) -> list[RawTable]:
    title = _title_lines(layout.above, readings, number, warnings) if layout.above else []
    if title:
        carry.context, carry.sex = title, None
    elif carry.page != number - 1:
        warnings.append(f"page {number}: table continued from a page not read; no title")
        carry.context, carry.sex = [], None
    bands = _column_bands([layout.header] + layout.body)
    tables = []
    for section in _sections(layout.body, carry.sex, number, warnings):
        carry.sex = section.sex
        grid = _grid(section, layout.header, bands, number, warnings)
        words = [w for row in section.rows for w in row.words]
        bbox = (min(w.x0 for w in words), min(r.top for r in section.rows),
                max(w.x1 for w in words), max(r.bottom for r in section.rows))
        context = carry.context + ([section.sex] if section.sex else [])
        tables.append(RawTable(rows=grid, page=number, method="pdf_table", context=context, bbox=bbox))
    carry.page = number
    return tables


def find_borderless_tables(path: Path, pages: list[int] | None = None) -> tuple[list[RawTable], list[str]]:
    """Borderless tables of a born-digital PDF (all pages, or the given 1-based pages in order).

    Returns the tables and warnings (unreadable titles, rows that fit no column).
    A page whose rows never line up under a header row of years has no table here.
    """
    path = Path(path)
    with PDFIUM_LOCK:
        document = open_pdfium(path)
        try:
            numbers = pages or list(range(1, len(document) + 1))
            chars = {}
            for number in numbers:
                page = document[number - 1]
                try:
                    chars[number] = page_chars(page)
                finally:
                    page.close()
        finally:
            document.close()
    return borderless_tables(path, chars)


def borderless_tables(path: Path, chars: dict[int, list[PdfChar]]) -> tuple[list[RawTable], list[str]]:
    """The tables of pages whose characters were already read (1-based page → characters), in page order.

    PDFium is held only to render the untrustworthy title regions; their OCR
    runs outside it, in mosaics side by side (one single-threaded Tesseract per core).
    """
    layouts = {number: layout for number in sorted(chars) if (layout := _layout(chars[number])) is not None}
    runs = [(number, run) for number, layout in layouts.items() for run in _untrustworthy_runs(layout.above)]
    readings: dict[int, list[str] | None] = {}
    if runs:
        for (_, run), lines in zip(runs, _ocr_regions(_render_regions(path, runs))):
            readings[id(run[0])] = lines
    tables: list[RawTable] = []
    warnings: list[str] = []
    carry = _Carry()
    for number, layout in layouts.items():
        tables.extend(_page_tables(layout, readings, number, carry, warnings))
    return tables, warnings


def _render_regions(path: Path, runs: list[tuple[int, list[_Row]]]) -> list[Image.Image]:
    images = []
    with PDFIUM_LOCK:
        document = open_pdfium(path)
        try:
            for number, run in runs:
                page = document[number - 1]
                try:
                    images.append(render_region(page, _region(run)))
                finally:
                    page.close()
        finally:
            document.close()
    return images


__all__ = ["borderless_tables", "find_borderless_tables", "is_untrustworthy", "render_region"]
