"""Ruled table grids in a page image → cell text (a RawTable's rows).

Why OpenCV morphology and not img2table / Camelot's lattice / a layout model:
the tables in these reports are fully ruled (every cell boxed), so the ruling
*is* the structure, and a morphological opening with a long thin kernel finds
it directly and deterministically: a few milliseconds a page, no model weights,
no extra dependency (img2table pulls polars/pyarrow pins and its own OCR
wrappers, and re-implements exactly this). What we need beyond "find boxes"
is the merge logic of RawTable — a merged header cell is text in its top-left
anchor and `None` in the positions it covers — which is simplest to get from
an explicit grid: the union of all separator positions, plus a test of
whether each cell border is actually drawn.

Cell text is read by Tesseract, but not one process per cell: 200 cells at
~0.2 s of process start-up each would cost 40 s a page. The cells' cleaned
crops are stacked into one tall "mosaic" image, one crop per line with wide
gaps, read with `--psm 6`, and each recognised word is assigned back to its
crop by its y position. Cells the mosaic pass reads as nothing although they
hold ink are read again alone (`--psm 7`), which rescues isolated digits
that block segmentation sometimes drops; garbled numbers are read again with
the English model (see `read_table`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

from chiso.normalize.numbers import parse_number
from chiso.normalize.text import clean

Box = tuple[int, int, int, int]
"""x0, y0, x1, y1 in pixels of the page image."""

DIGITS_LANG = "eng"
"""Model for re-reading numbers the Vietnamese model garbled (see `read_table`)."""


class OcrFn(Protocol):
    def __call__(self, image: np.ndarray, config: str, lang: str | None = None) -> dict[str, list]:
        """Tesseract on `image` with extra `config` ("--psm 6") in `lang` (default: the
        document's), returning pytesseract's image_to_data dict."""


@dataclass(frozen=True)
class Grid:
    """A ruled table: separator positions and the cells the drawn borders make."""

    xs: list[int]
    """Column separators, left to right (len = number of grid columns + 1)."""
    ys: list[int]
    """Row separators, top to bottom."""
    cells: list[tuple[int, int, int, int]]
    """(row, col, rowspan, colspan) of every drawn cell, anchors in reading order."""

    @property
    def bbox(self) -> Box:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def cell_box(self, row: int, col: int, rowspan: int, colspan: int) -> Box:
        return self.xs[col], self.ys[row], self.xs[col + colspan], self.ys[row + rowspan]


def binarize(gray: np.ndarray) -> np.ndarray:
    """Ink = 255. A local (mean) threshold copes with the uneven illumination of scans."""
    return cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 10
    )


def line_masks(ink: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling masks.

    A short closing first bridges the gaps that blur, noise and JPEG leave in
    thin rules; the opening then keeps only straight runs longer than any
    character stroke (0.5 in horizontally, 0.15 in vertically: a row of a
    dense table is ~0.2 in high, a 13 pt ascender ~0.1 in).
    """
    gap = max(3, round(dpi * 0.015))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, _kernel(gap, 1))
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_OPEN, _kernel(round(dpi * 0.5), 1))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, _kernel(1, gap))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_OPEN, _kernel(1, round(dpi * 0.15)))
    return horizontal, vertical


def find_grids(horizontal: np.ndarray, vertical: np.ndarray, dpi: int) -> list[Grid]:
    """Every ruled table of the page, top to bottom.

    A table is a connected set of rules with at least two rows and two columns
    of cells; lone rules (underlined headings, a scan's dark page edge) are not.
    """
    rules = cv2.bitwise_or(horizontal, vertical)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    min_side = dpi * 0.4
    grids = []
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        if w < min_side or h < min_side:
            continue
        own = (labels[y : y + h, x : x + w] == label).astype(np.uint8) * 255
        h_part = cv2.bitwise_and(horizontal[y : y + h, x : x + w], own)
        v_part = cv2.bitwise_and(vertical[y : y + h, x : x + w], own)
        tolerance = max(4, round(dpi * 0.03))
        ys = [y + pos for pos in _rule_positions(h_part, axis=0, tolerance=tolerance)]
        xs = [x + pos for pos in _rule_positions(v_part, axis=1, tolerance=tolerance)]
        grid = _grid_from_rules(horizontal, vertical, xs, ys, tolerance)
        if grid is not None:
            grids.append(grid)
    return sorted(grids, key=lambda g: g.ys[0])


def _kernel(width: int, height: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_RECT, (width, height))


def _rule_positions(mask: np.ndarray, axis: int, tolerance: int) -> list[int]:
    """Centre lines of the rule segments in `mask`, nearby ones clustered.

    axis=0: horizontal rules → y positions; axis=1: vertical rules → x positions.
    """
    count, _, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    centres = sorted(float(centroids[i][1 - axis]) for i in range(1, count))
    clusters: list[list[float]] = []
    for centre in centres:
        if clusters and centre - clusters[-1][-1] <= tolerance:
            clusters[-1].append(centre)
        else:
            clusters.append([centre])
    return [round(float(np.median(c))) for c in clusters]


def _grid_from_rules(
    horizontal: np.ndarray, vertical: np.ndarray, xs: list[int], ys: list[int], tolerance: int
) -> Grid | None:
    """Decide which cell borders are drawn, drop separators drawn nowhere, merge cells."""
    vertical_t = vertical.T
    while True:  # dropping a phantom separator can make another one phantom; each round drops one
        if len(xs) < 3 or len(ys) < 3:
            return None
        v_border = np.array(
            [[_drawn(vertical_t, xs[c], ys[r], ys[r + 1], tolerance)
              for c in range(1, len(xs) - 1)] for r in range(len(ys) - 1)],
            dtype=bool,
        ).reshape(len(ys) - 1, len(xs) - 2)
        h_border = np.array(
            [[_drawn(horizontal, ys[r], xs[c], xs[c + 1], tolerance)
              for c in range(len(xs) - 1)] for r in range(1, len(ys) - 1)],
            dtype=bool,
        ).reshape(len(ys) - 2, len(xs) - 1)
        keep_x = [True, *v_border.any(axis=0), True]
        keep_y = [True, *h_border.any(axis=1), True]
        if all(keep_x) and all(keep_y):
            return Grid(xs, ys, _merge_cells(v_border, h_border))
        xs = [x for x, keep in zip(xs, keep_x) if keep]
        ys = [y for y, keep in zip(ys, keep_y) if keep]


def _drawn(mask: np.ndarray, at: int, start: int, end: int, tolerance: int) -> bool:
    """Does a rule of `mask` cover most of the border from `start` to `end` at `at`?

    `mask` is a ruling mask with the rules along the border's direction,
    transposed for vertical borders. Only its straight long runs count, so
    the caption of a merged header that crosses the position of a rule from
    another row does not make a border.
    """
    inset = (end - start) // 8  # the rule's ends meet crossing rules; judge its middle
    band = mask[max(0, at - tolerance) : at + tolerance + 1, start + inset : end - inset]
    return band.size > 0 and float((band.max(axis=0) > 0).mean()) >= 0.6


def _merge_cells(v_border: np.ndarray, h_border: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Union grid positions not separated by a drawn border into rectangular cells."""
    rows, cols = v_border.shape[0], h_border.shape[1]
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not v_border[r, c]:
                parent[find(r * cols + c + 1)] = find(r * cols + c)
            if r + 1 < rows and not h_border[r, c]:
                parent[find((r + 1) * cols + c)] = find(r * cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(rows):
        for c in range(cols):
            groups.setdefault(find(r * cols + c), []).append((r, c))
    cells = []
    for members in groups.values():
        r0, c0 = min(m[0] for m in members), min(m[1] for m in members)
        r1, c1 = max(m[0] for m in members), max(m[1] for m in members)
        cells.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1))
    return sorted(cells)


def cell_crop(gray: np.ndarray, ink: np.ndarray, box: Box, dpi: int) -> np.ndarray | None:
    """The cell's text as a clean grayscale crop, or None when the cell is empty.

    `ink` has the rules removed already. Glyphs are connected ink at least
    0.035 in on one side. A smaller speck is kept only where text has small
    marks: stacked over or under a glyph (Vietnamese diacritics) or between
    two glyphs of a token (the dot of "1.398", the comma of "47,7"). Other
    specks — scanner dust, JPEG noise — are whitened, so an empty cell costs no
    OCR and a speck cannot turn "1" into "·1" or an empty cell into ".".
    """
    margin = max(3, round(dpi * 0.01))
    x0, y0, x1, y1 = box[0] + margin, box[1] + margin, box[2] - margin, box[3] - margin
    if x1 - x0 < margin or y1 - y0 < margin:
        return None
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink[y0:y1, x0:x1], connectivity=8)
    min_size = dpi * 0.035
    glyphs = [stats[i] for i in range(1, count) if max(stats[i][2], stats[i][3]) >= min_size]
    if not glyphs:
        return None
    reach = dpi * 0.05
    kept = [
        i for i in range(1, count)
        if max(stats[i][2], stats[i][3]) >= min_size or _is_mark(stats[i], glyphs, reach)
    ]
    keep = np.isin(labels, kept)
    crop = gray[y0:y1, x0:x1].copy()
    crop[~cv2.dilate(keep.astype(np.uint8), _kernel(3, 3)).astype(bool)] = 255
    ys, xs = np.nonzero(keep)
    pad = round(dpi * 0.02)
    top, bottom = max(0, ys.min() - pad), min(crop.shape[0], ys.max() + pad + 1)
    left, right = max(0, xs.min() - pad), min(crop.shape[1], xs.max() + pad + 1)
    return crop[top:bottom, left:right]


def _is_mark(speck: np.ndarray, glyphs: list[np.ndarray], reach: float) -> bool:
    """Is this small component a diacritic or an in-token punctuation mark?"""
    sx0, sy0, sw, sh = speck[:4]
    sx1, sy1 = sx0 + sw, sy0 + sh
    left = right = False
    for gx0, gy0, gw, gh, _ in glyphs:
        gx1, gy1 = gx0 + gw, gy0 + gh
        if sx0 <= gx1 and gx0 <= sx1 and gy0 - reach <= sy1 and sy0 <= gy1 + reach / 2:
            return True  # over a glyph (stacked marks reach high) or right under it (dấu nặng)
        if gy0 <= (sy0 + sy1) / 2 <= gy1 + sh:
            left = left or 0 <= sx0 - gx1 <= reach
            right = right or 0 <= gx0 - sx1 <= reach
    return left and right


def read_cells(crops: Sequence[np.ndarray], dpi: int, ocr: OcrFn) -> list[str]:
    """Text of each crop: mosaic passes of up to 50 crops, then a single-line pass for the misses.

    50 crops keep a mosaic a few thousand pixels tall, well inside Tesseract's
    image limits, whatever the size of the table.
    """
    texts = []
    for start in range(0, len(crops), 50):
        texts.extend(_read_mosaic(crops[start : start + 50], dpi, ocr))
    for index, text in enumerate(texts):
        if not text:
            data = ocr(_pad(crops[index], round(dpi * 0.2)), "--psm 7")
            texts[index] = clean(" ".join(t for t in data["text"] if t.strip()))
    return texts


def _read_mosaic(crops: Sequence[np.ndarray], dpi: int, ocr: OcrFn) -> list[str]:
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
    words: list[list[str]] = [[] for _ in crops]
    data = ocr(mosaic, "--psm 6")
    for text, word_top, word_height in zip(data["text"], data["top"], data["height"]):
        if not text.strip():
            continue
        centre = word_top + word_height / 2
        for index, (start, end) in enumerate(spans):
            if start - gap / 2 <= centre <= end + gap / 2:
                words[index].append(text)
                break
    return [clean(" ".join(ws)) for ws in words]


def _pad(crop: np.ndarray, pad: int) -> np.ndarray:
    return cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)


def find_tables(gray: np.ndarray, dpi: int) -> tuple[list[Grid], np.ndarray]:
    """The ruled tables of a deskewed page image, and its ink with the rules removed."""
    ink = binarize(gray)
    horizontal, vertical = line_masks(ink, dpi)
    grids = find_grids(horizontal, vertical, dpi)
    rules = cv2.dilate(cv2.bitwise_or(horizontal, vertical), _kernel(5, 5))
    return grids, cv2.bitwise_and(ink, cv2.bitwise_not(rules))


def read_table(gray: np.ndarray, ink: np.ndarray, grid: Grid, dpi: int, ocr: OcrFn) -> list[list[str | None]]:
    """The grid as RawTable rows: text in each cell's anchor, None where a merge covers.

    `ink` is the binarised page with the rules removed. Numbers that the
    Vietnamese model garbles — "S21" for 521, "D514", "o9" for 59, a lone "S"
    for 5; its language model favours letters — are read again alone with the
    English model, which reads isolated digits better (on the corpus' rendered
    tables it fixed every such cell), and kept only if they then parse as a
    number. Candidates: cells with a digit that do not parse, and short cells
    in columns that are mostly numbers.
    """
    rows: list[list[str | None]] = [[None] * (len(grid.xs) - 1) for _ in range(len(grid.ys) - 1)]
    crops, anchors = [], []
    for cell in grid.cells:
        row, col = cell[0], cell[1]
        rows[row][col] = ""
        crop = cell_crop(gray, ink, grid.cell_box(*cell), dpi)
        if crop is not None:
            crops.append(crop)
            anchors.append((row, col))
    texts = read_cells(crops, dpi, ocr)
    numeric = _numeric_columns(anchors, texts)
    for index, ((row, col), text) in enumerate(zip(anchors, texts)):
        if parse_number(text) is None and (
            any(ch.isdigit() for ch in text) or (col in numeric and len(text) <= 4)
        ):
            data = ocr(_pad(crops[index], round(dpi * 0.2)), "--psm 7", DIGITS_LANG)
            reread = clean(" ".join(t for t in data["text"] if t.strip()))
            if parse_number(reread) is not None:
                texts[index] = reread
        rows[row][col] = texts[index]
    return rows


def _numeric_columns(anchors: list[tuple[int, int]], texts: list[str]) -> set[int]:
    """Columns in which at least 60 % of the non-empty cells parse as numbers."""
    seen: dict[int, list[bool]] = {}
    for (_, col), text in zip(anchors, texts):
        if text:
            seen.setdefault(col, []).append(parse_number(text) is not None)
    return {col for col, flags in seen.items() if sum(flags) >= 0.6 * len(flags)}
