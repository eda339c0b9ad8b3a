"""Cell crops of a ruled table → text with Tesseract's confidence, upright or set vertically.

Why one mosaic per batch and not one Tesseract per cell: 200 cells at ~0.2 s
of process start-up each would cost 40 s a page. The cells' cleaned crops
are stacked into one tall "mosaic" image, one crop per line with wide gaps,
read with `--psm 6`, and each recognised word is assigned back to its crop by
its y position, with its confidence. Cells the mosaic reads as nothing
although they hold ink are read again alone (`--psm 7`), which rescues
isolated digits that block segmentation sometimes drops.

Narrow columns of landscape tables often carry their captions set
vertically ("Hoàn thành xuất sắc nhiệm vụ" running up the cell). A crop
taller than a line whose ink runs in vertical lines (its column profile
sharper than its row profile) is read turned both ways, and the turn
Tesseract is surest of wins; when the profile cannot tell (a caption
wrapped over four short lines), the upright reading competes too. This is
per cell, so a page can mix upright body text and vertical captions, which
page-level orientation detection cannot.

A cell's confidence is that of its least certain word: one doubtful digit
makes a doubtful number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import cv2
import numpy as np

from chiso.normalize.text import clean
from chiso.read.lanes import concurrently
from chiso.read.ocr.grid import Box
from chiso.read.ocr.ink import PageInk
from chiso.read.ocr.settings import DEFAULT_SETTINGS, OcrSettings

MOSAIC_CROPS = 50
"""Crops per mosaic: a few thousand pixels tall, well inside Tesseract's image limits."""


class OcrFn(Protocol):
    def __call__(self, image: np.ndarray, config: str, lang: str | None = None) -> dict[str, list[Any]]:
        """Tesseract on `image` with extra `config` ("--psm 6") in `lang` (default: the
        document's), returning pytesseract's image_to_data dict."""


@dataclass(frozen=True)
class CellText:
    """What Tesseract read in one crop and how sure it was."""

    text: str
    confidence: float | None
    """Lowest word confidence (0–100); None when nothing was read."""
    mean_confidence: float | None = None
    """Mean word confidence weighted by word length: what orientations are compared on."""

    @property
    def score(self) -> float:
        return self.mean_confidence if self.mean_confidence is not None else -1.0


EMPTY = CellText("", None, None)


def _kernel(width: int, height: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_RECT, (width, height))


def cell_crops(
    gray: np.ndarray, ink: PageInk, box: Box, dpi: int, settings: OcrSettings = DEFAULT_SETTINGS,
    orient: bool = True,
) -> dict[int, np.ndarray]:
    """Clean crops of the cell's text in each turn worth reading it in; empty when the cell is.

    The cell is turned before it is cleaned, so that the tests of
    `clean_crop` (a diacritic sits over its letter) hold for vertical text.
    """
    margin = max(3, round(dpi * 0.01))
    x0, y0, x1, y1 = box[0] + margin, box[1] + margin, box[2] - margin, box[3] - margin
    if x1 - x0 < margin or y1 - y0 < margin:
        return {}
    region = gray[y0:y1, x0:x1].copy()
    print_ink = ink.print[y0:y1, x0:x1]
    stamp = ink.stamp[y0:y1, x0:x1]
    if stamp.any():  # the rim of a stamp around figures it covers: lighter than print, whitened
        near_stamp = cv2.dilate(stamp, _kernel(5, 5)) > 0
        region[near_stamp & (region >= ink.core_level)] = 255
    turns = _turns(print_ink, dpi, settings) if orient else (0,)
    crops = {}
    for turn in turns:
        crop = clean_crop(_turn(region, turn), _turn(print_ink, turn), dpi)
        if crop is None:
            return {}
        crops[turn] = crop
    return crops


def cell_crop(gray: np.ndarray, ink: PageInk, box: Box, dpi: int) -> np.ndarray | None:
    """The cell's text as a clean upright crop, or None when the cell is empty."""
    return cell_crops(gray, ink, box, dpi, orient=False).get(0)


def clean_crop(region: np.ndarray, ink: np.ndarray, dpi: int) -> np.ndarray | None:
    """The text of a cell region as a clean grayscale crop, or None when it is empty (see `clean_region`)."""
    cleaned = clean_region(region, ink, dpi)
    return None if cleaned is None else cleaned[0]


def clean_region(region: np.ndarray, ink: np.ndarray, dpi: int) -> tuple[np.ndarray, int, int] | None:
    """The text of a region as a clean grayscale crop with its (left, top) in the region; None when empty.

    `ink` has the rules removed already. Glyphs are connected ink at least
    0.035 in on one side. A smaller speck is kept only where text has small
    marks: stacked over or under a glyph (Vietnamese diacritics) or between
    two glyphs of a token (the dot of "1.398", the comma of "47,7"). Other
    specks — scanner dust, JPEG noise — are whitened, so an empty cell costs no
    OCR and a speck cannot turn "1" into "·1" or an empty cell into ".".
    """
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    boxes = stats[1:count, :4].astype(np.int64)
    large = np.maximum(boxes[:, 2], boxes[:, 3]) >= dpi * 0.035
    if not large.any():
        return None
    small = np.flatnonzero(~large)
    marks = np.zeros(len(boxes), dtype=bool)
    for start in range(0, len(small), _SPECKS_AT_ONCE):
        chunk = small[start : start + _SPECKS_AT_ONCE]
        marks[chunk] = _marks(boxes[chunk], boxes[large], dpi * 0.05)
    kept = np.flatnonzero(large | marks) + 1
    keep = np.isin(labels, kept)
    crop = region.copy()
    crop[~cv2.dilate(keep.astype(np.uint8), _kernel(3, 3)).astype(bool)] = 255
    ys, xs = np.nonzero(keep)
    pad = round(dpi * 0.02)
    top, bottom = max(0, ys.min() - pad), min(crop.shape[0], ys.max() + pad + 1)
    left, right = max(0, xs.min() - pad), min(crop.shape[1], xs.max() + pad + 1)
    return crop[top:bottom, left:right], int(left), int(top)


_SPECKS_AT_ONCE = 256
"""Specks compared with every glyph in one array operation: bounds the arrays to a few MB."""


def _marks(specks: np.ndarray, glyphs: np.ndarray, reach: float) -> np.ndarray:
    """Which small components are a diacritic or an in-token punctuation mark (x, y, w, h boxes)?

    Over a glyph (stacked marks reach high) or right under it (dấu nặng); or
    on a glyph's line with a glyph just left of it and one just right of it.
    All specks against all glyphs at once: a page band has thousands of each.
    """
    sx0, sy0, sw, sh = (specks[:, i : i + 1] for i in range(4))
    sx1, sy1 = sx0 + sw, sy0 + sh
    gx0, gy0, gw, gh = (glyphs[:, i] for i in range(4))
    gx1, gy1 = gx0 + gw, gy0 + gh
    stacked = (sx0 <= gx1) & (gx0 <= sx1) & (gy0 - reach <= sy1) & (sy0 <= gy1 + reach / 2)
    middle = (sy0 + sy1) / 2
    beside = (gy0 <= middle) & (middle <= gy1 + sh)
    left = beside & (sx0 - gx1 >= 0) & (sx0 - gx1 <= reach)
    right = beside & (gx0 - sx1 >= 0) & (gx0 - sx1 <= reach)
    return np.asarray(stacked.any(axis=1) | (left.any(axis=1) & right.any(axis=1)))


def read_cells(crops: Sequence[np.ndarray], dpi: int, ocr: OcrFn, lang: str | None = None) -> list[CellText]:
    """Text and confidence of each upright crop: mosaic passes, then misses read alone."""
    results = _read_batches(crops, dpi, ocr, lang)
    misses = [index for index, reading in enumerate(results) if not reading.text]
    for index, reading in zip(misses, concurrently(lambda i: read_alone(crops[i], dpi, ocr, "--psm 7", lang), misses)):
        results[index] = reading
    return results


def read_oriented(
    cells: Sequence[dict[int, np.ndarray]], dpi: int, ocr: OcrFn, settings: OcrSettings = DEFAULT_SETTINGS,
) -> list[tuple[CellText, np.ndarray]]:
    """Each cell's most confident reading over its turns (see the module docstring), with its crop.

    Cells with only the upright turn go through `read_cells`; the turned
    crops of the others are read in one mosaic per turn. A cell read only
    turned, whose turns are all unsure, is read upright too: the profile
    guessed wrong more often than the text is unreadable.
    """
    results: list[tuple[CellText, np.ndarray]] = [(EMPTY, next(iter(c.values()))) for c in cells]
    upright = [i for i, crops in enumerate(cells) if list(crops) == [0]]
    for index, reading in zip(upright, read_cells([cells[i][0] for i in upright], dpi, ocr)):
        results[index] = (reading, cells[index][0])
    turns = [(turn, [i for i, crops in enumerate(cells) if list(crops) != [0] and turn in crops]) for turn in (0, 90, 270)]
    readings = concurrently(lambda job: _read_batches([cells[i][job[0]] for i in job[1]], dpi, ocr), turns)
    for (turn, turned), turn_readings in zip(turns, readings):  # in turn order: the first of equal scores wins
        for index, reading in zip(turned, turn_readings):
            if reading.text and reading.score > results[index][0].score:
                results[index] = (reading, cells[index][turn])
    doubtful = [i for i, crops in enumerate(cells)
                if 0 not in crops and results[i][0].score < settings.upright_recheck_below]
    if doubtful:
        crops = [_upright(cells[i]) for i in doubtful]
        for index, crop, reading in zip(doubtful, crops, _read_batches(crops, dpi, ocr), strict=True):
            if reading.text and reading.score > results[index][0].score:
                results[index] = (reading, crop)
    return results


def _upright(turned: dict[int, np.ndarray]) -> np.ndarray:
    """The upright crop of a cell of which only its turns were cut."""
    if 90 in turned:
        return _turn(turned[90], 270)
    return _turn(turned[270], 90)


def read_alone(crop: np.ndarray, dpi: int, ocr: OcrFn, config: str, lang: str | None = None) -> CellText:
    """One crop, padded, in its own Tesseract call."""
    return _cell_text(ocr(_pad(crop, round(dpi * 0.2)), config, lang), None)


def _turns(ink: np.ndarray, dpi: int, settings: OcrSettings) -> tuple[int, ...]:
    """The turns (degrees counter-clockwise) worth reading a cell region in.

    Only text taller than wide and taller than two lines can be vertical;
    its ink profiles say which way its lines run, and when they cannot tell,
    every turn is read.
    """
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    glyphs = [st for st in stats[1:count] if max(st[2], st[3]) >= dpi * 0.035]  # not specks of noise
    if not glyphs:
        return (0,)
    x0, y0 = min(g[0] for g in glyphs), min(g[1] for g in glyphs)
    x1, y1 = max(g[0] + g[2] for g in glyphs), max(g[1] + g[3] for g in glyphs)
    if y1 - y0 < dpi * 0.35 or y1 - y0 < 1.3 * (x1 - x0):
        return (0,)
    text = ink[y0:y1, x0:x1].astype(np.float64)
    rows = float(np.var(np.diff(text.sum(axis=1))))
    columns = float(np.var(np.diff(text.sum(axis=0))))
    if columns >= settings.vertical_profile_ratio * rows:
        return (90, 270)
    if rows >= settings.vertical_profile_ratio * columns:
        return (0,)
    return (0, 90, 270)


def _turn(image: np.ndarray, turn: int) -> np.ndarray:
    """The image turned `turn` degrees counter-clockwise (text running up reads upright at 270)."""
    if turn == 90:
        return cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE)
    if turn == 270:
        return cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)
    return image


def _read_batches(crops: Sequence[np.ndarray], dpi: int, ocr: OcrFn, lang: str | None = None) -> list[CellText]:
    batches = [crops[start : start + MOSAIC_CROPS] for start in range(0, len(crops), MOSAIC_CROPS)]
    return [reading for batch in concurrently(lambda b: _read_mosaic(b, dpi, ocr, lang), batches) for reading in batch]


def _read_mosaic(crops: Sequence[np.ndarray], dpi: int, ocr: OcrFn, lang: str | None = None) -> list[CellText]:
    """One Tesseract pass over the crops stacked one per line; words go back by their y."""
    gap = round(dpi * 0.2)
    width = max(c.shape[1] for c in crops) + 2 * gap
    height = sum(c.shape[0] for c in crops) + gap * (len(crops) + 1)
    mosaic = np.full((height, width), 255, dtype=np.uint8)
    spans = []
    top = gap
    for crop in crops:
        mosaic[top : top + crop.shape[0], gap : gap + crop.shape[1]] = crop
        spans.append((top, top + crop.shape[0]))
        top += crop.shape[0] + gap
    owned: list[list[int]] = [[] for _ in crops]
    data = ocr(mosaic, "--psm 6", lang)
    for i, (text, word_top, word_height) in enumerate(zip(data["text"], data["top"], data["height"])):
        if not text.strip():
            continue
        centre = word_top + word_height / 2
        for index, (start, end) in enumerate(spans):
            if start - gap / 2 <= centre <= end + gap / 2:
                owned[index].append(i)
                break
    return [_cell_text(data, words) for words in owned]


def _cell_text(data: dict[str, list[Any]], words: Sequence[int] | None) -> CellText:
    """The words `words` of an image_to_data result (all non-empty ones when None) as a CellText."""
    if words is None:
        words = [i for i, text in enumerate(data["text"]) if text.strip()]
    texts = [data["text"][i] for i in words]
    text = clean(" ".join(t for t in texts if t.strip()))
    confidences = [(float(data["conf"][i]), len(data["text"][i].strip())) for i in words]
    confidences = [(c, n) for c, n in confidences if c >= 0 and n]
    if not text or not confidences:
        return CellText(text, None, None)
    lowest = min(c for c, _ in confidences)
    mean = sum(c * n for c, n in confidences) / sum(n for _, n in confidences)
    return CellText(text, round(lowest, 1), round(mean, 1))


def _pad(crop: np.ndarray, pad: int) -> np.ndarray:
    return cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
