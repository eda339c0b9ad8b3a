"""Born-digital PDFs → page text and ruled tables.

Page text comes from pdfium's character boxes, grouped into visual lines here:
pdfium is ~20x faster than pdfminer, but its own text follows the content
stream (a two-column letterhead comes out as separate lines, footnote markers
break sentences), so lines are rebuilt from positions, as a reader sees them.
Ruled tables come from pdfplumber (see `ruled`), whose coordinates —
top-left origin of the displayed page — are the ones used throughout.

Pages without a usable text layer are not OCR'd here; they are listed in the
warnings and `page_has_text_layer` lets the OCR stage pick them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from statistics import median

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

from chiso import budgets
from chiso.model import BadInputError, ExtractedDocument, RawTable, TextBlock
from chiso.normalize.text import clean
from chiso.read.pdf.borderless import borderless_tables
from chiso.read.pdf.characters import Box, PdfChar, group_lines, open_pdfium, page_chars
from chiso.read.pdf.ruled import FoundTable, find_ruled_tables, page_may_have_ruled_table
from chiso.read.pdfium_lock import PDFIUM_LOCK

_MIN_TEXT_CHARS = 10
"""Fewer visible characters than this is a scan with a stray page number, not text."""
_MIN_READABLE_SHARE = 0.5
_WORD_GAP = 0.15
"""A horizontal gap wider than this share of the line height separates words."""
_SUPERSCRIPT_SIZE = 0.85
"""A footnote marker is printed smaller than this share of its neighbours' size."""
_FOOTNOTE_MARKS = set("0123456789*")


@dataclass
class _Line:
    text: str
    top: float
    bottom: float


# --- input checks -----------------------------------------------------------------


def _looks_like(head: bytes) -> str:
    """A plain name for what a mislabelled file really is, from its first bytes."""
    signatures = {
        b"PK\x03\x04": "a ZIP archive or Office document",
        b"\xd0\xcf\x11\xe0": "a legacy Office document",
        b"\x89PNG": "a PNG image",
        b"\xff\xd8\xff": "a JPEG image",
        b"II*\x00": "a TIFF image",
        b"MM\x00*": "a TIFF image",
    }
    for magic, kind in signatures.items():
        if head.startswith(magic):
            return kind
    text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html")) or b"<html" in text[:512]:
        return "an HTML page"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        # A multi-byte character cut at the end of the sample is still text.
        if err.start < len(head) - 3:
            return "binary data"
    return "a text file"


def _check_bytes(path: Path) -> None:
    """Reject what no PDF library should be asked to open, with the reason people need."""
    size = path.stat().st_size
    if size == 0:
        raise BadInputError("empty file (0 bytes)")
    with path.open("rb") as handle:
        head = handle.read(1024)
        handle.seek(max(0, size - 2048))
        tail = handle.read()
    if b"%PDF-" not in head:
        raise BadInputError(f"not a PDF (looks like {_looks_like(head)})")
    if b"%%EOF" not in tail:
        # pdfium would rebuild a cut-off file and silently return its first pages.
        raise BadInputError("truncated or corrupt PDF (no %%EOF end marker: the file was cut off)")


# --- page text ----------------------------------------------------------------------


def _mark_superscripts(chars: list[PdfChar]) -> list[PdfChar]:
    """The characters with footnote markers blanked and put on their word's baseline.

    A small digit raised above the character printed next to it is a footnote
    reference; kept, it would glue to words and numbers ("97%3"), and on its
    raised baseline it would form a line of its own. Neighbours are taken in
    content order, which follows the writing of the sentence. A marker is
    replaced by a blanked copy, so `chars` stays as printed for the borderless
    table reader, which reads the same characters.
    """
    marked = list(chars)
    for index, char in enumerate(chars):
        if char.text not in _FOOTNOTE_MARKS:
            continue
        for neighbour in chars[max(0, index - 1):index] + chars[index + 1:index + 2]:
            if (neighbour.text not in _FOOTNOTE_MARKS
                    and char.height < _SUPERSCRIPT_SIZE * neighbour.height
                    and neighbour.baseline - char.baseline > 0.15 * neighbour.height
                    and abs(neighbour.baseline - char.baseline) < neighbour.height):
                marked[index] = replace(char, text="", baseline=neighbour.baseline)
                break
    return marked


def _line_text(chars: list[PdfChar]) -> str:
    """Characters left to right, with a space wherever the gap is a word break."""
    chars = sorted(chars, key=lambda c: c.x0)
    gap = _WORD_GAP * median(c.height for c in chars)
    parts = [chars[0].text]
    for previous, char in zip(chars, chars[1:]):
        if previous.space_after or char.x0 - previous.x1 > gap:
            parts.append(" ")
        parts.append(char.text)
    return clean("".join(parts))


def _lines(chars: list[PdfChar]) -> list[_Line]:
    """Visual lines of the page, top to bottom, with their vertical extent."""
    lines = []
    for group in group_lines(chars):
        text = _line_text(group)
        if text:
            lines.append(_Line(text, min(c.top for c in group), max(c.bottom for c in group)))
    return lines


def _is_text_layer(chars: list[str]) -> bool:
    """Enough readable characters to trust: not an image-only page or a glyph soup."""
    visible = [c for c in chars if c and not c.isspace()]
    if len(visible) < _MIN_TEXT_CHARS:
        return False
    unreadable = sum(1 for c in visible if c == "\ufffd" or c.startswith("(cid:")
                     or not c.isprintable())
    return len(visible) - unreadable >= _MIN_READABLE_SHARE * len(visible)


def page_has_text_layer(page: pdfium.PdfPage | pdfplumber.page.Page) -> bool:
    """Whether a page's own text can be used, or the page must be OCR'd.

    Accepts a pypdfium2 page (cheap) or a pdfplumber page, so the OCR stage can
    ask with whichever library it renders with.
    """
    if isinstance(page, pdfplumber.page.Page):
        return _is_text_layer([c["text"] for c in page.chars])
    return _is_text_layer([c.text for c in page_chars(page)])


# --- the document -------------------------------------------------------------------


def _inside(char: PdfChar, boxes: list[Box]) -> bool:
    x, y = (char.x0 + char.x1) / 2, char.middle
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _context(lines: list[_Line], tables: list[FoundTable], index: int) -> list[str]:
    """Lines between the previous table on the page (or the page top) and this table."""
    top = tables[index].bbox[1]
    floor = tables[index - 1].bbox[3] if index else float("-inf")
    return [line.text for line in lines if line.bottom <= top + 2 and line.top >= floor - 2]


def _plumber_tables(path: Path, page_numbers: list[int]) -> tuple[dict[int, list[FoundTable]], list[str]]:
    """Ruled tables of the given 0-based pages; a page pdfminer cannot parse only warns."""
    found: dict[int, list[FoundTable]] = {}
    warnings: list[str] = []
    try:
        with pdfplumber.open(path, unicode_norm="NFC") as pdf:
            for number in page_numbers:
                page = pdf.pages[number]
                try:
                    found[number] = find_ruled_tables(page)
                except (PSException, ValueError, KeyError, TypeError) as err:
                    warnings.append(f"page {number + 1}: table detection failed ({err})")
                finally:
                    page.close()
    except (PDFSyntaxError, PSException) as err:
        raise BadInputError(f"truncated or corrupt PDF (pdfminer: {err})") from err
    return found, warnings


def _page_ranges(pages: list[int]) -> str:
    """[1, 2, 3, 7] → '1-3, 7'."""
    spans: list[list[int]] = []
    for page in pages:
        if spans and page == spans[-1][1] + 1:
            spans[-1][1] = page
        else:
            spans.append([page, page])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def read_pdf(path: Path) -> ExtractedDocument:
    """Read a born-digital PDF: one TextBlock per page with text, one RawTable per ruled table.

    Raises BadInputError for empty, mislabelled, truncated or encrypted files.
    Page text leaves out the table regions, so the narrative stage does not
    read table cells as sentences.
    """
    path = Path(path)
    _check_bytes(path)
    warnings: list[str] = []
    # Per text page (0-based): its characters with footnote markers blanked, turned into lines once
    # its tables are known (a page of borderless tables is never read as lines of prose).
    page_chars_marked: dict[int, list[PdfChar]] = {}
    ruled_chars: dict[int, list[PdfChar]] = {}
    # Characters as printed (footnote markers not blanked), for the borderless reader.
    text_chars: dict[int, list[PdfChar]] = {}
    unmapped: dict[int, int] = {}
    # PDFium is held for its own calls only: pdfminer's parse and Tesseract run outside it.
    with PDFIUM_LOCK:
        document = open_pdfium(path)
        try:
            pages = len(document)
            budgets.check_pages(pages)
            for number, page in enumerate(document):
                budgets.check_time(f"page {number + 1} of {pages}")
                chars = page_chars(page)
                marked = _mark_superscripts(chars)
                if not _is_text_layer([c.text for c in marked]):
                    warnings.append(f"page {number + 1} has no text layer")
                else:
                    unreadable = sum(1 for c in marked if c.text == "\ufffd")
                    if unreadable:
                        unmapped[number + 1] = unreadable
                    text_chars[number + 1] = chars
                    page_chars_marked[number] = marked
                    if page_may_have_ruled_table(page):
                        ruled_chars[number] = marked
                page.close()
        finally:
            document.close()
    if unmapped:
        warnings.append(f"{sum(unmapped.values())} characters have no Unicode mapping (text layer "
                        f"partly unreadable) on pages {_page_ranges(list(unmapped))}")

    found, table_warnings = _plumber_tables(path, list(ruled_chars)) if ruled_chars else ({}, [])
    warnings.extend(table_warnings)
    tables: list[RawTable] = []
    page_lines: dict[int, list[_Line]] = {}
    for number, chars in ruled_chars.items():
        page_tables = found.get(number, [])
        boxes = [table.bbox for table in page_tables]
        lines = page_lines[number] = _lines([c for c in chars if not _inside(c, boxes)])
        for index, table in enumerate(page_tables):
            tables.append(RawTable(rows=table.rows, page=number + 1, method="pdf_table",
                                   context=_context(lines, page_tables, index), bbox=table.bbox))
    borderless_pages = sorted(n + 1 for n in page_chars_marked if n not in found)
    borderless = _borderless_tables(path, {n: text_chars[n] for n in borderless_pages}, warnings)
    tables.extend(borderless)
    table_pages = {table.page for table in borderless}
    for number in sorted(page_chars_marked):
        if number not in page_lines and number + 1 not in table_pages:
            page_lines[number] = _lines(page_chars_marked[number])
    texts = [TextBlock(text="\n".join(line.text for line in page_lines[number]), page=number + 1,
                       method="pdf_text")
             for number in sorted(page_lines) if page_lines[number] and number + 1 not in table_pages]
    return ExtractedDocument(format="pdf_text" if page_chars_marked else "pdf_scanned", pages=pages,
                             tables=tables, texts=texts, warnings=warnings)


def _borderless_tables(path: Path, chars: dict[int, list[PdfChar]], warnings: list[str]) -> list[RawTable]:
    """Tables without ruling lines on text pages (statistical yearbooks print them so).

    Only pages holding a header row of years yield tables, so calling this on
    every text page is safe; a page that does is a table page, and its text is
    not read as prose. The pages' characters are the ones read above: each
    page's text layer is read once.
    """
    if not chars:
        return []
    tables, notes = borderless_tables(path, chars)
    warnings.extend(notes)
    return tables
