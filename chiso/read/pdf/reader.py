"""Born-digital PDFs → page text and ruled tables.

Page text comes from pdfium's character boxes, grouped into visual lines here:
pdfium is ~20x faster than pdfminer, but its own text follows the content
stream (a two-column letterhead comes out as separate lines, footnote markers
break sentences), so lines are rebuilt from positions, as a reader sees them.
Ruled tables are found by pdfplumber's table finder on pdfium's paths and
characters (see `ruled`), so each page is parsed once, by pdfium; coordinates
have their origin at the top left of the displayed page throughout.

Pages without a usable text layer are not OCR'd here; they are listed in the
warnings and `page_has_text_layer` lets the OCR stage pick them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from chiso import budgets
from chiso.model import BadInputError, ExtractedDocument, RawTable, TextBlock
from chiso.read.pdf.borderless import borderless_tables
from chiso.read.pdf.characters import Box, PdfChar, display_transform, group_lines, line_text, open_pdfium, page_chars
from chiso.read.pdf.positioned import is_value, positioned_tables
from chiso.read.pdf.ruled import FoundTable, find_ruled_tables, page_may_have_ruled_table
from chiso.read.pdfium_lock import PDFIUM_LOCK

_MIN_TEXT_CHARS = 10
"""Fewer visible characters than this is a scan with a stray page number, not text."""
_MIN_READABLE_SHARE = 0.5
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


def _lines(chars: list[PdfChar]) -> list[_Line]:
    """Visual lines of the page, top to bottom, with their vertical extent."""
    lines = []
    for group in group_lines(chars):
        text = line_text(group)
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


def _context(lines: list[_Line], tables: Sequence[FoundTable], index: int) -> list[str]:
    """Lines between the previous table on the page (or the page top) and this table."""
    top = tables[index].bbox[1]
    floor = tables[index - 1].bbox[3] if index else float("-inf")
    return [line.text for line in lines if line.bottom <= top + 2 and line.top >= floor - 2]


def _ruled_tables(page: pdfium.PdfPage, chars: list[PdfChar], number: int,
                  warnings: list[str]) -> list[FoundTable] | None:
    """The page's ruled tables; None (and a warning) when the finder cannot take its paths,
    so the borderless reader still looks at the page."""
    try:
        return find_ruled_tables(page, chars, display_transform(page))
    except (ValueError, KeyError, TypeError, ZeroDivisionError) as err:
        warnings.append(f"page {number + 1}: table detection failed ({err})")
        return None


def _page_tables(chars: list[PdfChar], page_tables: Sequence[FoundTable], number: int,
                 tables: list[RawTable]) -> list[_Line]:
    """Append the page's tables (ruled or positioned) to `tables`, each with the lines printed
    above it as its context; return the page's other lines, its running text."""
    boxes = [table.bbox for table in page_tables]
    lines = _lines([c for c in chars if not _inside(c, boxes)])
    for index, table in enumerate(page_tables):
        tables.append(RawTable(rows=table.rows, page=number + 1, method="pdf_table",
                               context=_context(lines, page_tables, index), bbox=table.bbox))
    return lines


def _has_body(rows: list[list[str | None]]) -> bool:
    """Whether a ruled grid holds rows of figures (the column-number row aside).

    Where only the header is boxed, or only the columns are ruled, the finder's grid is the
    header alone, or one row whose cells hold every row's figures stacked: the page is then
    read by position instead (`positioned`)."""
    body = []
    for row in rows:
        cells = [cell for cell in row if cell]
        if cells and len(cells[0]) == 1 and cells[0].isalpha():
            continue  # A | B | 1 | 2 …
        values = [cell for cell in cells if is_value(cell)]
        if values:
            body.append(values)
    return len(body) >= 2 or (len(body) == 1 and not any(" " in value for value in body[0]))


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
    found: dict[int, list[FoundTable]] = {}
    # Characters as printed (footnote markers not blanked), for the borderless reader.
    text_chars: dict[int, list[PdfChar]] = {}
    unmapped: dict[int, int] = {}
    widths: dict[int, float] = {}
    # PDFium is held for its own calls only: the borderless reader's Tesseract runs outside it.
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
                    widths[number] = page.get_size()[0]
                    if page_may_have_ruled_table(page):
                        ruled_chars[number] = marked
                        page_tables = _ruled_tables(page, marked, number, warnings)
                        if page_tables is not None and any(_has_body(table.rows) for table in page_tables):
                            found[number] = page_tables
                page.close()
        finally:
            document.close()
    if unmapped:
        warnings.append(f"{sum(unmapped.values())} characters have no Unicode mapping (text layer "
                        f"partly unreadable) on pages {_page_ranges(list(unmapped))}")

    tables: list[RawTable] = []
    page_lines: dict[int, list[_Line]] = {}
    for number, chars in ruled_chars.items():
        page_lines[number] = _page_tables(chars, found.get(number, []), number, tables)
    borderless_pages = sorted(n + 1 for n in page_chars_marked if n not in found)
    borderless = _borderless_tables(path, {n: text_chars[n] for n in borderless_pages}, warnings)
    tables.extend(borderless)
    table_pages = {table.page for table in borderless}
    # Tables drawn with some rules or none: laid out by position, on pages no other reader took.
    for number in (n - 1 for n in borderless_pages if n not in table_pages):
        chars = page_chars_marked[number]
        if positioned := positioned_tables(chars, widths[number]):
            page_lines[number] = _page_tables(chars, positioned, number, tables)
    tables.sort(key=lambda table: (table.page or 0, table.bbox[1] if table.bbox else 0.0))
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
