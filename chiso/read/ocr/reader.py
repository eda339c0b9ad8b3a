"""Scanned PDF pages → running text and ruled tables, with Tesseract `vie`.

The PDF reader routes here the pages that have no text layer. Each page is

1. rendered with pypdfium2 (fast, no Poppler) in grayscale at `dpi` — 300 by
   default: Tesseract's LSTM is most accurate with an x-height around 20–30 px,
   which 10–13 pt print reaches at 300 dpi even when the scan itself was 200;
2. turned upright when it was scanned sideways (a landscape table is often
   scanned on a portrait page): an ink-profile test spots clearly upright
   pages for free; for the others Tesseract's orientation detection
   (`--psm 0`, on a half-size copy) decides — see `upright`;
3. deskewed: the angle (±5°, 0.05° steps) that maximises the row-to-row
   variation of the ink profile, i.e. makes text lines and rules horizontal.
   Works for narrative pages and tables alike, on a quarter-size copy;
4. searched for ruled tables (`ocr_grid`), whose cells are read separately,
   each in its own orientation and with its confidence (`ocr_cells`,
   `ocr_tables`): a doubtful value is flagged in `RawTable.cell_flags`;
5. read as running text with the tables blanked out (`--psm 3`, automatic
   layout), band by band (`_text_bands`: the title block and the signatures
   as separate small images, side by side), lines put in reading order (top to bottom, letterhead columns on
   one baseline left to right). Automatic layout sometimes merges the two
   letterhead columns into one line with two baselines and reads the left
   half as garbage — the issuer ("HUYỆN ỦY PHONG THỔ" beside "Phong Thổ, ngày
   29 tháng 01 năm 2024"). Such a "word" is recognisable: very low confidence
   and much wider than tall; those are read again on their own. (Sparse mode,
   `--psm 11`, avoids the merge but drops the diacritics of upper-case lines.)
   The lines above each table become its `context`.

Pages run in parallel, one single-threaded Tesseract per core: Tesseract's
own OpenMP threading scales worse than independent processes and
oversubscribes the cores when several run at once, hence `OMP_THREAD_LIMIT=1`.
Threads suffice because the work happens in the Tesseract subprocesses and in
OpenCV, which releases the GIL. Thresholds live in `OcrSettings`.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytesseract

from chiso import budgets
from chiso.model import BadInputError, RawTable, TextBlock
from chiso.normalize.text import clean
from chiso.read.ocr.cells import clean_region, read_cells
from chiso.read.ocr.ink import runs
from chiso.read.ocr.missed import missed_words
from chiso.read.ocr.settings import DEFAULT_SETTINGS, OcrSettings
from chiso.read.ocr.tables import DIGITS_LANG, Grid, OcrFn, PageInk, TableCells, find_tables, read_figures, read_table
from chiso.read.pdf.characters import Word
from chiso.read.pdf.positioned import OCR_LAYOUT, PositionedTable, is_value, ocr_lines, tables_of_lines
from chiso.read.pdfium_lock import PDFIUM_LOCK

log = logging.getLogger(__name__)

LANG = DEFAULT_SETTINGS.lang
TESSERACT_TIMEOUT = 300


@dataclass(frozen=True)
class _Line:
    text: str
    box: tuple[int, int, int, int]
    words: tuple[Word, ...] = ()
    """Its words with their boxes in page pixels: an unruled table is read from them (`positioned`)."""


def tesseract_available(lang: str = LANG) -> str | None:
    """None when Tesseract, `lang` and the digit model are installed, else why not."""
    try:
        pytesseract.get_tesseract_version()
        languages = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError) as error:
        return f"tesseract is not installed ({error})"
    for needed in (lang, DIGITS_LANG):
        if needed not in languages:
            return f"tesseract language data '{needed}' is not installed (apt install tesseract-ocr-{needed})"
    return None


def ocr_pdf(
    path: Path, pages: list[int] | None = None, dpi: int | None = None, lang: str | None = None,
    settings: OcrSettings = DEFAULT_SETTINGS,
) -> tuple[list[TextBlock], list[RawTable]]:
    """OCR the given 1-based pages (all when None): one TextBlock per page, all ruled tables.

    `dpi` and `lang` override the settings' (kept as arguments for callers that set only those).
    """
    settings = _with(settings, dpi, lang)
    dpi, lang = settings.dpi, settings.lang
    _single_threaded_tesseract()
    try:
        with PDFIUM_LOCK:
            document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        raise BadInputError(f"cannot open PDF for OCR: {error}") from error
    texts: list[TextBlock] = []
    tables: list[RawTable] = []
    workers = os.cpu_count() or 1
    try:
        numbers = pages if pages is not None else list(range(1, len(document) + 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            # A batch of pages at a time bounds memory (a 300 dpi page is ~9 MB, twice).
            for start in range(0, len(numbers), 2 * workers):
                batch = numbers[start : start + 2 * workers]
                budgets.check_time(f"OCR of page {batch[0]}, {start} of {len(numbers)} pages read")
                if start and start % 20 == 0:
                    log.info("%s: OCR %d of %d pages", path.name, start, len(numbers))
                prepared = list(pool.map(lambda n: _prepare(_render(document, n, dpi, settings), n, settings), batch))
                for text, page_tables in _read_pages(pool, prepared, settings):
                    texts.append(text)
                    tables.extend(page_tables)
    finally:
        with PDFIUM_LOCK:
            document.close()
    return texts, tables


def ocr_image(
    gray: np.ndarray, page: int | None, dpi: int, lang: str | None = None, settings: OcrSettings = DEFAULT_SETTINGS
) -> tuple[TextBlock, list[RawTable]]:
    """OCR one grayscale page image (upright or not, skewed or not) scanned at `dpi`."""
    settings = _with(settings, dpi, lang)
    _single_threaded_tesseract()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return _read_pages(pool, [_prepare(gray, page, settings)], settings)[0]


def _with(settings: OcrSettings, dpi: int | None, lang: str | None) -> OcrSettings:
    if dpi is not None:
        settings = replace(settings, dpi=dpi)
    if lang is not None:
        settings = replace(settings, lang=lang)
    return settings


def _single_threaded_tesseract() -> None:
    """OMP_THREAD_LIMIT=1 for the Tesseract subprocesses (see the module docstring).

    pytesseract hands `os.environ` to every subprocess and takes no env of its
    own, so the variable is set process-wide — unless the caller set it.
    """
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@dataclass
class _Page:
    """A page made upright and level, with its ruled tables located."""

    number: int | None
    gray: np.ndarray
    grids: list[Grid]
    text_ink: PageInk


def _render(document: pdfium.PdfDocument, number: int, dpi: int, settings: OcrSettings) -> np.ndarray:
    with PDFIUM_LOCK:
        page = document[number - 1]
        try:
            width, height = page.get_size()
            pixels = (width * dpi / 72) * (height * dpi / 72)
            limit = min(settings.max_page_pixels, budgets.current().max_page_pixels)
            if pixels > limit:
                raise budgets.OverBudgetError(
                    f"page {number} is {width:.0f} × {height:.0f} pt: at {dpi} dpi it would render"
                    f" {pixels / 1e6:,.0f} MP, over the budget of {limit / 1e6:,.0f} MP"
                )
            return np.array(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
        finally:
            page.close()


def _prepare(gray: np.ndarray, number: int | None, settings: OcrSettings) -> _Page:
    gray = deskew(upright(gray, settings.dpi, settings))
    grids, text_ink = find_tables(gray, settings.dpi, settings)
    return _Page(number, gray, grids, text_ink)


def _read_pages(
    pool: ThreadPoolExecutor, pages: list[_Page], settings: OcrSettings
) -> list[tuple[TextBlock, list[RawTable]]]:
    """Page text and every table's cells as separate tasks, so that even a
    one-page document keeps two cores busy (its text and its table)."""
    dpi = settings.dpi

    def ocr(image: np.ndarray, config: str, lang: str | None = None) -> dict[str, list[Any]]:
        return _image_to_data(image, lang or settings.lang, config, dpi)

    line_jobs = [[pool.submit(_band_lines, *band, dpi, ocr) for band in _text_bands(page, dpi)] for page in pages]
    table_jobs = [
        [pool.submit(read_table, page.gray, page.text_ink, grid, dpi, ocr, settings) for grid in page.grids]
        for page in pages
    ]
    results = []
    for page, line_job, jobs in zip(pages, line_jobs, table_jobs):
        lines = _reading_order([line for job in line_job for line in job.result()])
        tables = []
        previous_bottom = 0
        for grid, job in zip(page.grids, jobs):
            top = grid.bbox[1]
            above = [ln for ln in lines if ln.box[1] >= previous_bottom and ln.box[3] <= top]
            cells: TableCells = job.result()
            tables.append(RawTable(
                rows=cells.rows, page=page.number, method="ocr_table",
                context=[ln.text for ln in sorted(above, key=lambda ln: ln.box[1])],
                bbox=_points(grid.bbox, dpi), cell_flags=cells.flags,
            ))
            previous_bottom = grid.bbox[3]
        if not page.grids:
            lines, unruled = _unruled_tables(lines, page, dpi, ocr)
            tables.extend(unruled)
        text = TextBlock(text="\n".join(ln.text for ln in lines), page=page.number, method="ocr_text")
        results.append((text, tables))
    return results


_TABLE_FIGURES = 12
"""A page printing this many figures may hold an unruled table even where automatic layout scrambled it."""


def _unruled_tables(lines: list[_Line], page: _Page, dpi: int, ocr: OcrFn) -> tuple[list[_Line], list[RawTable]]:
    """A page without a ruled grid may still print a table, with some rules or none: its cells are
    found by position among the page's OCR words, as on a born-digital page (`positioned`).

    Automatic layout (`--psm 3`), which reads the running text well, splits an unruled
    table into blocks and drops its sparse captions and column numbers; so where its words
    show a table, the page is read again as sparse text (`--psm 11`), which keeps every
    word where it stands, and the table is built from those words and from the print it
    left unread, read blob by blob (`missed_words`: serial numbers, lone figures, a
    caption's last line). Returns the page's other lines (its running text) and the tables.
    """
    width = page.gray.shape[1]
    words = [w for line in lines for w in line.words]
    figures = sum(1 for w in words if is_value(w.text))
    if figures < _TABLE_FIGURES and not tables_of_lines(ocr_lines(words), width, OCR_LAYOUT):
        return lines, []
    gray, ink = page.gray, page.text_ink
    if ink.rules is not None and ink.rules.any():  # rules between rows only, or around the header: no grid
        gray = np.where(ink.rules > 0, 255, gray).astype(np.uint8)
        ink = replace(ink, print=np.where(ink.rules > 0, 0, ink.print).astype(np.uint8))
    sparse = [w for line in _lines(ocr(gray, "--psm 11")) for w in line.words]
    sparse += missed_words(gray, ink.print, sparse, dpi, ocr)
    found = tables_of_lines(ocr_lines(sparse), width, OCR_LAYOUT)
    for table in found:
        _reread_cells(gray, ink, table, dpi, ocr)

    def inside(line: _Line, box: tuple[float, float, float, float]) -> bool:
        middle = (line.box[1] + line.box[3]) / 2
        return box[1] - 1 <= middle <= box[3] + 1 and line.box[0] < box[2] and line.box[2] > box[0]

    tables = []
    previous_bottom = 0.0
    for table in found:
        above = [ln for ln in lines if ln.box[1] >= previous_bottom and ln.box[3] <= table.bbox[1]]
        tables.append(RawTable(rows=table.rows, page=page.number, method="ocr_table",
                               context=[ln.text for ln in above], bbox=_points(table.bbox, dpi)))
        previous_bottom = table.bbox[3]
    return [ln for ln in lines if not any(inside(ln, t.bbox) for t in found)], tables


def _reread_cells(gray: np.ndarray, ink: PageInk, table: PositionedTable, dpi: int, ocr: OcrFn) -> None:
    """Each value cell read again alone, as the ruled reader reads its cells: sparse reading of
    a whole page garbles blurred figures ('7,75' as 'ý đy 4s)', '9,25' as '829') and misses
    small lone ones ('0', a one-digit rank). A reading that is no figure leaves the cell as
    sparse reading had it, for the table stage to flag."""
    if not table.value_cells:
        return
    height, width = gray.shape
    boxes = []
    for _, _, (x0, top, x1, bottom) in table.value_cells:
        pad = round(0.4 * (bottom - top)) + max(3, round(dpi * 0.01))
        boxes.append((max(0, int(x0) - pad), max(0, int(top) - pad), min(width - 1, int(x1) + pad),
                      min(height - 1, int(bottom) + pad)))
    for (row, column, _), reading in zip(table.value_cells, read_figures(gray, ink, boxes, dpi, ocr)):
        if is_value(reading.text):
            table.rows[row][column] = reading.text


def _text_bands(page: _Page, dpi: int) -> list[tuple[np.ndarray, int, int]]:
    """The page's running text outside the tables, cut into bands: (image, left, top) in page pixels.

    Tables are blanked, then the page is cut wherever a strip of at least
    0.3 in holds no ink (the blanked tables make such strips): the title block
    above a table and the signatures below it are read as separate, smaller
    images, side by side on the cores, instead of one page-sized layout
    analysis. Specks of scanner noise neither join bands (a row needs 10 ink
    pixels) nor stay in them (`clean_region` whitens them, as in table cells:
    beside a title, layout analysis of a small image reads a speck as ':').
    """
    blanked = page.gray.copy()
    pad = round(dpi * 0.02)
    for grid in page.grids:
        x0, y0, x1, y1 = grid.bbox
        blanked[max(0, y0 - pad) : y1 + pad + 1, max(0, x0 - pad) : x1 + pad + 1] = 255
    ink = blanked < _INK_LEVEL
    rows = np.flatnonzero(ink.sum(axis=1) >= _MIN_ROW_INK)
    gap, margin = round(dpi * 0.3), round(dpi * 0.1)
    height, width = blanked.shape
    bands = []
    for first, last in runs(rows, gap):
        top, bottom = max(0, int(first) - margin), min(height, int(last) + margin + 1)
        cleaned = clean_region(blanked[top:bottom], ink[top:bottom].astype(np.uint8), dpi)
        if cleaned is not None:
            band, left, band_top = cleaned
            bands.append((_pad(band, margin), left - margin, top + band_top - margin))
    return bands


def _pad(image: np.ndarray, pad: int) -> np.ndarray:
    return cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)


_INK_LEVEL = 160
"""Darker than this is ink (print, a stamp, a scanner's dark edge); paper and its grey noise are lighter."""
_MIN_ROW_INK = 10


def _band_lines(band: np.ndarray, left: int, top: int, dpi: int, ocr: OcrFn) -> list[_Line]:
    """One band's lines (automatic layout, `--psm 3`), boxes moved back to page pixels."""
    lines = _lines(_reread_garbled(band, ocr(band, "--psm 3"), dpi, ocr))
    return [_Line(ln.text, (ln.box[0] + left, ln.box[1] + top, ln.box[2] + left, ln.box[3] + top),
                  tuple(Word(w.text, w.x0 + left, w.x1 + left, w.top + top, w.bottom + top) for w in ln.words))
            for ln in lines]


def upright(gray: np.ndarray, dpi: int, settings: OcrSettings = DEFAULT_SETTINGS) -> np.ndarray:
    """Turn a page scanned sideways (or upside down) upright.

    Letters join into words along the line: the page's text (its rules removed), its
    glyphs bridged by a few pixels across, makes far fewer blobs than bridged the same
    distance down when the page is upright — 1.3 to 1.9 times fewer on pages of running
    text, dense tables and tables ruled between their columns only, 0.5 to 0.8 when
    sideways (`_word_lean`). Ink profiles, used before, could not tell a dense table's
    right-aligned figure columns, or long column rules on a page scanned half a degree
    askew, from text lines running down the page. A page that leans clearly upright
    skips OSD (1–2 s a page); a twenty-column table with vertical captions leans about 1
    either way and goes to Tesseract's OSD (on a half-size copy), which reads the shapes
    of the letters, and whose sure answer (`settings.osd_turn_confidence`) decides. Where
    OSD is unsure, the lean decides: a page leaning clearly sideways is turned clockwise
    (the way a landscape page is usually scanned) unless OSD says which way; one leaning
    upright stays.
    """
    lean = _word_lean(gray)
    if lean >= settings.upright_lean:
        return gray
    osd = _osd_rotation(gray, dpi, settings)
    if osd is None:
        rotate = 90 if lean < 1 else 0
    else:
        rotate, confidence = osd
        if confidence < settings.osd_turn_confidence:  # OSD is unsure: the lean decides
            if rotate in (0, 180) and lean * settings.upright_lean <= 1:
                rotate = 90  # the words clearly run down the page: OSD only says which way to turn it
            elif rotate != 0 and lean >= 1:
                rotate = 0  # the page leans upright, if not clearly so
    turns = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(gray, turns[rotate]) if rotate in turns else gray


def _word_lean(gray: np.ndarray) -> float:
    """Blobs of the page's text bridged three pixels down over those bridged three across (at
    quarter size): above 1 when its words run across the page."""
    text = _text_ink(gray)
    across = cv2.connectedComponents(cv2.dilate(text, np.ones((1, 3), np.uint8)))[0]
    down = cv2.connectedComponents(cv2.dilate(text, np.ones((3, 1), np.uint8)))[0]
    return down / max(across, 1)


def _osd_rotation(gray: np.ndarray, dpi: int, settings: OcrSettings) -> tuple[int, float] | None:
    """OSD's clockwise turn (0, 90, 180, 270) that makes the page upright and its confidence,
    None when it has no answer."""
    scale = min(1.0, 150 / dpi)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    try:
        osd = pytesseract.image_to_osd(
            small, config=f"--psm 0 --dpi {round(dpi * scale)}",
            output_type=pytesseract.Output.DICT, timeout=TESSERACT_TIMEOUT,
        )
    except pytesseract.TesseractError:  # too little text to judge
        return None
    if osd["orientation_conf"] < settings.osd_min_confidence:
        return None
    return int(osd["rotate"]), float(osd["orientation_conf"])


def _ink(gray: np.ndarray) -> np.ndarray:
    """The page's ink on a quarter-size copy: enough to see its lines, cheap to turn."""
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    return cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 15)


def _text_ink(gray: np.ndarray) -> np.ndarray:
    """`_ink` without its rules: runs longer than a twenty-fifth of the page's shorter side,
    far longer than any stroke of a letter, either way."""
    ink = _ink(gray)
    reach = max(15, min(ink.shape) // 25)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, reach)))
    return cv2.subtract(ink, cv2.bitwise_or(horizontal, vertical))


def skew_angle(gray: np.ndarray, limit: float = 5.0) -> float:
    """Angle in degrees (counter-clockwise, OpenCV's convention) that levels the page."""
    ink = _ink(gray)
    height, width = ink.shape
    centre = (width / 2, height / 2)

    def sharpness(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(ink, matrix, (width, height), flags=cv2.INTER_NEAREST)
        return float(np.var(np.diff(rotated.sum(axis=1, dtype=np.float64))))

    # Candidates nearest 0 first, so that a blank page (all scores equal) stays as it is.
    coarse = max(sorted(np.arange(-limit, limit + 0.01, 0.25), key=abs), key=sharpness)
    fine = sorted(np.arange(coarse - 0.25, coarse + 0.26, 0.05), key=lambda a: abs(a - coarse))
    return round(float(max(fine, key=sharpness)), 2)


def deskew(gray: np.ndarray) -> np.ndarray:
    """Rotate the page so that text lines and rules are horizontal."""
    angle = skew_angle(gray)
    if abs(angle) < 0.05:
        return gray
    height, width = gray.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_CUBIC, borderValue=255)


def _image_to_data(image: np.ndarray, lang: str, config: str, dpi: int) -> dict[str, list[Any]]:
    data: dict[str, list[Any]] = pytesseract.image_to_data(
        image, lang=lang, config=f"{config} --dpi {dpi}",
        output_type=pytesseract.Output.DICT, timeout=TESSERACT_TIMEOUT,
    )
    return data


def _reread_garbled(gray: np.ndarray, data: dict[str, list[Any]], dpi: int, ocr: OcrFn) -> dict[str, list[Any]]:
    """Re-read words of confidence < 30 that are over 4 times wider than tall (see above)."""
    garbled = [
        i for i, word in enumerate(data["text"])
        if word.strip() and 0 <= float(data["conf"][i]) < 30 and data["width"][i] > 4 * data["height"][i]
    ]
    pad_x, pad_y = round(dpi * 0.02), round(dpi * 0.05)
    crops = [
        gray[max(0, data["top"][i] - pad_y) : data["top"][i] + data["height"][i] + pad_y,
             max(0, data["left"][i] - pad_x) : data["left"][i] + data["width"][i] + pad_x]
        for i in garbled
    ]
    texts = list(data["text"])
    for i, reading in zip(garbled, read_cells(crops, dpi, ocr)):
        if sum(ch.isalnum() for ch in reading.text) >= 2:
            texts[i] = reading.text
    return {**data, "text": texts}


def _lines(data: dict[str, list[Any]]) -> list[_Line]:
    """Tesseract's words grouped into lines, in its reading order, with line boxes."""
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip():
            grouped.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    lines = []
    for indices in grouped.values():
        text = clean(" ".join(data["text"][i] for i in indices))
        box = (
            min(data["left"][i] for i in indices),
            min(data["top"][i] for i in indices),
            max(data["left"][i] + data["width"][i] for i in indices),
            max(data["top"][i] + data["height"][i] for i in indices),
        )
        words = tuple(Word(clean(data["text"][i]), data["left"][i], data["left"][i] + data["width"][i],
                           data["top"][i], data["top"][i] + data["height"][i]) for i in indices)
        lines.append(_Line(text, box, words))
    return lines


def _reading_order(lines: list[_Line]) -> list[_Line]:
    """Top to bottom; lines sharing a baseline (letterhead columns) left to right."""
    rows: list[list[_Line]] = []
    for line in sorted(lines, key=lambda ln: ln.box[1]):
        if rows:
            last = rows[-1][0].box
            centre = (line.box[1] + line.box[3]) / 2
            if last[1] <= centre <= last[3]:
                rows[-1].append(line)
                continue
        rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda ln: ln.box[0])]


def _points(box: tuple[float, float, float, float], dpi: int) -> tuple[float, float, float, float]:
    """Pixels of the (deskewed) page image → PDF points, the unit of pdfplumber's bboxes."""
    x0, y0, x1, y1 = (v * 72 / dpi for v in box)
    return x0, y0, x1, y1
