"""Find a printed cell on its source page and draw it boxed: the picture beside each problem.

An observation keeps its page, table, row label and printed text but no box of
its own, so the cell is found again the way a person would: among the page's
words (pdfplumber for a text layer, Tesseract's TSV for a scan) take those that
read as the printed number, and of those the one on the row of the row label.
The page is rendered with pypdfium2 and the box drawn on it; a thumbnail shows
the band of rows around the cell, the full page is one click away.

A spreadsheet has no page to show; `locate` returns None for it and the report
names sheet, row and column instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from chiso.normalize.text import fold
from chiso.read.pdfium_lock import PDFIUM_LOCK

if TYPE_CHECKING:
    from PIL import Image

RENDER_DPI = 110
"""Enough to read a 10 pt table figure on screen, small enough for dozens of pages in a report."""
THUMB_WIDTH = 520
BOX_COLOUR = (220, 20, 60)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    """In PDF points from the page's top-left corner."""


@dataclass(frozen=True)
class PageShot:
    """The rendered page and thumbnail, with the cell's box when it was found."""

    page_png: Path
    thumb_png: Path
    box: tuple[float, float, float, float] | None
    """The cell in page pixels (x0, top, x1, bottom), or None when no word matched."""


def _digits(text: str) -> str:
    """'1.234,5' → '12345', '53,7%' → '537': how a printed number compares regardless of marks."""
    return re.sub(r"\D", "", text)


def _number_of(source_text: str) -> str:
    """The printed number of a cell text ('(1.250)' → '1250'); empty when it has no digits."""
    match = re.search(r"-?\d[\d.,\s]*", source_text or "")
    return _digits(match.group(0)) if match else ""


def _label_words(label: str) -> list[str]:
    return [w for w in fold(label).split() if len(w) > 1][:3]


def _printed_number(source_text: str, value: float | None) -> str:
    """The digits to look for: the cell's text, or the value when the text is a whole sentence."""
    if value is not None and (len(source_text or "") > 24 or not _number_of(source_text)):
        return _digits(f"{value:.10g}")
    return _number_of(source_text)


def find_cell(words: list[Word], source_text: str, row_label: str | None, value: float | None = None) -> Word | None:
    """The word that prints `source_text`, on the row of `row_label` when the label is on the page.

    Numbers are compared by their digits only (thousands marks and decimal commas
    vary between text layer and OCR); when several words match, the one whose
    vertical centre is closest to the label's wins.
    """
    wanted = _printed_number(source_text, value)
    if not wanted:
        return None
    candidates = [w for w in words if _digits(w.text) == wanted]
    if not candidates:
        return None
    anchor = None
    if row_label:
        keys = _label_words(row_label)
        if keys:
            folded = [fold(w.text) for w in words]
            for i, word in enumerate(words):
                if folded[i] == keys[0] and all(
                    i + k < len(words) and folded[i + k] == key for k, key in enumerate(keys)
                ):
                    anchor = word
                    break
    if anchor is None:
        return candidates[0]
    centre = (anchor.top + anchor.bottom) / 2
    return min(candidates, key=lambda w: (abs((w.top + w.bottom) / 2 - centre), w.x0))


def _pdf_words(path: Path, page: int) -> list[Word]:
    import pdfplumber

    with PDFIUM_LOCK, pdfplumber.open(path) as pdf:
        if not 1 <= page <= len(pdf.pages):
            return []
        found = pdf.pages[page - 1].extract_words(keep_blank_chars=False, use_text_flow=False)
    return [Word(w["text"], w["x0"], w["top"], w["x1"], w["bottom"]) for w in found]


def _ocr_words(image: Image.Image, dpi: int) -> list[Word]:
    """Tesseract's words of a scanned page, in points."""
    import pytesseract

    data = pytesseract.image_to_data(image, lang="vie", config="--psm 3", output_type=pytesseract.Output.DICT)
    scale = 72.0 / dpi
    return [
        Word(text, left * scale, top * scale, (left + width) * scale, (top + height) * scale)
        for text, left, top, width, height in zip(
            data["text"], data["left"], data["top"], data["width"], data["height"]
        )
        if text.strip()
    ]


def shoot(
    path: Path, page: int, source_text: str, row_label: str | None, out: Path, name: str, value: float | None = None
) -> PageShot | None:
    """Render `page` of the PDF at `path` to `out/name.png` with the cell boxed, and a thumbnail.

    None when the file is not a PDF or has no such page. A page without a text
    layer is read by Tesseract to find the cell.
    """
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    if path.suffix.lower() != ".pdf" or not path.is_file():
        return None
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(str(path))
        try:
            if not 1 <= page <= len(document):
                return None
            pdf_page = document[page - 1]
            has_text = bool(pdf_page.get_textpage().get_text_range().strip())
            image = pdf_page.render(scale=RENDER_DPI / 72).to_pil().convert("RGB")
        finally:
            document.close()
    words = _pdf_words(path, page) if has_text else _ocr_words(image, RENDER_DPI)
    cell = find_cell(words, source_text, row_label, value)
    scale = RENDER_DPI / 72
    box = None
    if cell is not None:
        pad = 3
        box = (cell.x0 * scale - pad, cell.top * scale - pad, cell.x1 * scale + pad, cell.bottom * scale + pad)
        ImageDraw.Draw(image).rectangle(box, outline=BOX_COLOUR, width=3)
    out.mkdir(parents=True, exist_ok=True)
    page_png, thumb_png = out / f"{name}.png", out / f"{name}.thumb.png"
    image.save(page_png, optimize=True)
    if box is not None:  # the band of rows around the cell, the page's full width
        middle = (box[1] + box[3]) / 2
        half = image.width * 0.18
        top = max(0, int(middle - half))
        band = image.crop((0, top, image.width, min(image.height, int(middle + half))))
    else:
        band = image
    band.thumbnail((THUMB_WIDTH, THUMB_WIDTH * 2))
    band.save(thumb_png, optimize=True)
    return PageShot(page_png, thumb_png, box)
