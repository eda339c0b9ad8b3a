"""A Word report (.docx) → `ExtractedDocument`: paragraphs as prose, tables as raw grids.

Provincial reports are very often typed in Word and sent as .docx. A Word file
has no pages, so the locator of everything read is the paragraph: body
paragraphs are numbered 1, 2, 3… in reading order, and that number is the
`page` of a paragraph's text block and of the table printed after it (the
table's own caption, "Biểu số 2", is usually that paragraph). The document's
`pages` is its count of body paragraphs.

Tables are read as printed, into the grid every reader returns (see
chiso.model.RawTable): a cell merged across columns (`gridSpan`) or down rows
(`vMerge`) holds its text in its first grid cell and None in the cells it
covers, the way pdfplumber and merged spreadsheet ranges do, so header paths,
column-number rows and "Cộng" rows are interpreted as in any other format.
The paragraphs just above a table are its `context`. A layout table above the
document's kind line ("BÁO CÁO"), the letterhead in two columns, is header
text, not a table of figures.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from chiso.interpret.sentences import is_doc_kind_line, title_span
from chiso.model import BadInputError, ExtractedDocument, RawTable, TextBlock
from chiso.normalize.text import clean, nfc
from chiso.read.spec import OLE2_MAGIC, ZIP_MAGIC

LETTERHEAD_ROWS = 3
"""A layout table above the kind line with at most this many rows is the letterhead; a longer one is
a table of figures (an appendix sent on its own has no "BÁO CÁO" line)."""
CONTEXT_PARAGRAPHS = 4
"""Non-empty paragraphs above a table kept as its context (title, "Biểu số 2", "(Tính đến 31/7/2022)")."""


def _check_container(path: Path) -> None:
    """Refuse what is not a Word 2007+ document, saying what it is instead."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE2_MAGIC):
        raise BadInputError("not a .docx (an encrypted Word file, or an old binary .doc renamed .docx)")
    if not head.startswith(ZIP_MAGIC):
        raise BadInputError("not a Word document (not a .docx zip package)")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as error:
        raise BadInputError(f"corrupt Word document ({error})") from error
    if "word/document.xml" not in names:
        kind = "an Excel workbook" if "xl/workbook.xml" in names else "a zip archive"
        raise BadInputError(f"not a Word document ({kind} named .docx)")


def _grid(table: Table) -> list[list[str | None]]:
    """The table's cell text on its layout grid; None in the grid cells a merged cell covers."""
    rows: list[list[str | None]] = []
    for tr in table._tbl.tr_lst:
        row: list[str | None] = [""] * tr.grid_before
        for tc in tr.tc_lst:
            span = max(tc.grid_span, 1)
            if tc.vMerge == "continue":
                row.extend([None] * span)
                continue
            text = nfc(_Cell(tc, table).text)
            row.extend([text] + [None] * (span - 1))
        row.extend([""] * tr.grid_after)
        rows.append(row)
    width = max((len(row) for row in rows), default=0)
    return [row + [""] * (width - len(row)) for row in rows]


def _letterhead_lines(grid: list[list[str | None]]) -> list[str]:
    """A layout table's text, cell by cell and line by line: the issuer's column, then the motto's."""
    return [clean(line) for row in grid for cell in row if cell for line in cell.split("\n") if clean(line)]


def read_docx(path: Path) -> ExtractedDocument:
    """Every body paragraph and table of the .docx at `path`, in reading order."""
    path = Path(path)
    _check_container(path)
    try:
        document = Document(str(path))
        blocks = list(document.iter_inner_content())
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as error:
        raise BadInputError(f"corrupt Word document ({error or type(error).__name__})") from error

    texts: list[tuple[int, str]] = []  # (paragraph number, text) of each non-empty paragraph and letterhead line
    tables: list[RawTable] = []
    number = 0
    seen_kind_line = False
    for block in blocks:
        if isinstance(block, Paragraph):
            number += 1
            text = nfc(block.text)
            if clean(text):
                texts.append((number, text))
                seen_kind_line = seen_kind_line or is_doc_kind_line(clean(text))
            continue
        grid = _grid(block)
        if not seen_kind_line and len(grid) <= LETTERHEAD_ROWS:  # the letterhead, laid out as a table
            texts.extend((max(number, 1), line) for line in _letterhead_lines(grid))
            continue
        after_previous = (tables[-1].page or 0) if tables else 0
        context = [clean(text) for page, text in texts[-CONTEXT_PARAGRAPHS:] if page > after_previous]
        tables.append(RawTable(rows=grid, page=number or None, method="docx_table", context=context))

    extracted = ExtractedDocument(format="docx", pages=number, tables=tables, texts=_text_blocks(texts))
    if not texts and not tables:
        extracted.warnings.append("the Word document has no text")
    return extracted


def _text_blocks(texts: list[tuple[int, str]]) -> list[TextBlock]:
    """One text block per paragraph, except the header: letterhead, number, date and title are one
    block, as on a PDF's first page, so that the title is found and not read as report prose."""
    lines = [text for _, text in texts]
    span = title_span([clean(line) for line in lines])
    header_end = span[2] if span else 0
    blocks: list[TextBlock] = []
    if header_end:
        blocks.append(TextBlock("\n".join(lines[:header_end]), texts[0][0], "docx_text"))
    blocks.extend(TextBlock(text, page, "docx_text") for page, text in texts[header_end:])
    return blocks
