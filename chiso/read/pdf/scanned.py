"""A PDF as one document: its text layer where it has one, OCR for the pages that have none.

Routing is per page: a born-digital report with one scanned appendix page keeps
its characters everywhere else, and a fully scanned file is OCR'd page by page.
"""

from __future__ import annotations

from pathlib import Path

from chiso.model import ExtractedDocument
from chiso.read.pdf.reader import read_pdf


def read_pdf_document(path: Path) -> ExtractedDocument:
    """Read the PDF at `path`, replacing pages without a text layer by their OCR."""
    return _ocr_scanned_pages(path, read_pdf(path))


def _ocr_scanned_pages(path: Path, extracted: ExtractedDocument) -> ExtractedDocument:
    scanned = _pages_without_text(extracted)
    if not scanned:
        return extracted
    try:
        from chiso.read.ocr.reader import ocr_pdf
    except ImportError:  # OCR support not installed: keep the warning, load what has text
        return extracted
    texts, tables = ocr_pdf(path, pages=scanned)
    extracted.texts.extend(texts)
    extracted.tables.extend(tables)
    extracted.texts.sort(key=lambda block: block.page or 0)
    extracted.tables.sort(key=lambda table: table.page or 0)
    extracted.warnings = [w for w in extracted.warnings if "no text layer" not in w]
    extracted.ocr_pages = scanned
    return extracted


def _pages_without_text(extracted: ExtractedDocument) -> list[int]:
    with_text = {block.page for block in extracted.texts}
    with_tables = {table.page for table in extracted.tables}
    return [p for p in range(1, extracted.pages + 1) if p not in with_text and p not in with_tables]
