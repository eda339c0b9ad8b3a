"""Ruling-line grid recovery in a page image, with OpenCV morphology.

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

Real scans add marks that are not print: a round seal stamped over the
table's corner, a signature across it. Their light ink is taken out of the
cells' print (`ocr_ink`); a stamp's ring, whose near-vertical arcs can pass
for a border in a row or two, is no column unless it is drawn through a
good share of the table's rows (`OcrSettings.min_separator_rows`). Office scans at
100 dpi print inner rules faint and broken: a second, low-contrast pass
finds them (`rule_masks`), and a rule faded from a header row is restored
where the text stands clear on both sides of it (`split_faded_borders`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from chiso.read.ocr.ink import PageInk, binarize, drop_light_ink, runs, without_specks
from chiso.read.ocr.ink import kernel as _kernel
from chiso.read.ocr.settings import DEFAULT_SETTINGS, OcrSettings

__all__ = ["Box", "Grid", "PageInk", "binarize", "find_grids", "find_tables", "line_masks", "rule_masks"]

Box = tuple[int, int, int, int]
"""x0, y0, x1, y1 in pixels of the page image."""


def line_masks(
    ink: np.ndarray, dpi: int, min_vertical: float = 0.15, gap: float = 0.015
) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling masks.

    A short closing first bridges the gaps that blur, noise and JPEG leave in
    thin rules; the opening then keeps only straight runs longer than any
    character stroke (0.5 in horizontally, `min_vertical` = 0.15 in
    vertically: a row of a dense table is ~0.2 in high, a 13 pt ascender
    ~0.1 in). `gap` (inches) is the longest break bridged.
    """
    gap = max(3, round(dpi * gap))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, _kernel(gap, 1))
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_OPEN, _kernel(round(dpi * 0.5), 1))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, _kernel(1, gap))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_OPEN, _kernel(1, round(dpi * min_vertical)))
    return horizontal, vertical


def rule_masks(gray: np.ndarray, ink: np.ndarray, dpi: int, settings: OcrSettings = DEFAULT_SETTINGS) -> tuple[np.ndarray, np.ndarray]:
    """The page's rules: those of its ink, and the faint rules only a lower contrast shows.

    Low-resolution office scans (100 dpi JPEG) print inner rules so faint
    and broken that the ink threshold keeps only pieces of them, and a table
    falls apart into rows with no columns. A second pass thresholds at a
    contrast of `settings.faint_rule_contrast`, bridges breaks of 0.03 in
    (two pixels of a 100 dpi scan, three times enlarged) and keeps only
    longer vertical runs (`settings.faint_rule_min_vertical`: at that
    contrast the stems of large letters grow too, but no letter is that
    tall). It only completes rules the first pass found a piece of: a faint
    run must lie on the row (or column) of a rule found in the ink, since
    bridging that much also joins a row of crowded captions, across the
    column rules, into one long run.
    """
    horizontal, vertical = line_masks(ink, dpi)
    faint_ink = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, settings.faint_rule_contrast
    )
    faint_h, faint_v = line_masks(faint_ink, dpi, settings.faint_rule_min_vertical, gap=0.03)
    reach = max(4, round(dpi * 0.01))
    on_rows = cv2.dilate(np.asarray(horizontal.any(axis=1), dtype=np.uint8)[:, None], _kernel(1, 2 * reach + 1)) > 0
    on_columns = cv2.dilate(np.asarray(vertical.any(axis=0), dtype=np.uint8)[None, :], _kernel(2 * reach + 1, 1)) > 0
    faint_h = np.where(on_rows, faint_h, 0).astype(np.uint8)
    faint_v = np.where(on_columns, faint_v, 0).astype(np.uint8)
    return cv2.bitwise_or(horizontal, faint_h), cv2.bitwise_or(vertical, faint_v)


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


def find_grids(
    horizontal: np.ndarray, vertical: np.ndarray, dpi: int, settings: OcrSettings = DEFAULT_SETTINGS
) -> list[Grid]:
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
        xs, ys = _open_edges(h_part, v_part, x, y, xs, ys, tolerance)
        grid = _grid_from_rules(horizontal, vertical, xs, ys, tolerance, settings.min_separator_rows)
        if grid is not None:
            grids.append(grid)
    return sorted(grids, key=lambda g: g.ys[0])


def _open_edges(
    h_part: np.ndarray, v_part: np.ndarray, left: int, top: int, xs: list[int], ys: list[int], tolerance: int,
) -> tuple[list[int], list[int]]:
    """Separators with the table's undrawn outer borders added where its rules run past them.

    Many tables are ruled between their columns and under their header only, with no
    frame: the column rules run on below the last row rule, down the whole body, and
    the header rule runs on past the first and last column rules, under the serial and
    the last column. Where two column rules (or one row rule) run on further than a
    rule's width, the table ends where they do, and that edge is a separator. `h_part`
    and `v_part` are the rules of one table, cut at (`left`, `top`) of the page.
    """
    reach = 4 * tolerance
    if len(xs) >= 2 and len(ys) >= 1:
        ends = [_extent(v_part[:, max(0, at - left - tolerance) : at - left + tolerance + 1], axis=1)
                for at in xs]
        lows = [top + end[1] for end in ends if end is not None and top + end[1] > ys[-1] + reach]
        highs = [top + end[0] for end in ends if end is not None and top + end[0] < ys[0] - reach]
        if len(lows) >= 2:
            ys = [*ys, round(float(np.median(lows)))]
        if len(highs) >= 2:
            ys = [round(float(np.median(highs))), *ys]
    if len(ys) >= 2 and len(xs) >= 1:
        ends = [_extent(h_part[max(0, at - top - tolerance) : at - top + tolerance + 1, :], axis=0)
                for at in ys]
        lefts = [left + end[0] for end in ends if end is not None and left + end[0] < xs[0] - reach]
        rights = [left + end[1] for end in ends if end is not None and left + end[1] > xs[-1] + reach]
        if lefts:
            xs = [min(lefts), *xs]
        if rights:
            xs = [*xs, max(rights)]
    return xs, ys


def _extent(band: np.ndarray, axis: int) -> tuple[int, int] | None:
    """First and last position along the band holding rule ink (axis=1: rows of a vertical band;
    axis=0: columns of a horizontal band), None when it holds none."""
    inked = np.flatnonzero(band.any(axis=axis))
    return (int(inked[0]), int(inked[-1])) if inked.size else None


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
    horizontal: np.ndarray, vertical: np.ndarray, xs: list[int], ys: list[int], tolerance: int,
    min_separator_rows: float,
) -> Grid | None:
    """Decide which cell borders are drawn, drop separators drawn nowhere (or, for columns,
    in too few rows to be a column), merge cells."""
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
        rows_needed = max(1, math.ceil(min_separator_rows * (len(ys) - 1)))
        keep_x = [True, *np.asarray(v_border.sum(axis=0) >= rows_needed), True]
        keep_y = [True, *np.asarray(h_border.any(axis=1)), True]
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


def find_tables(gray: np.ndarray, dpi: int, settings: OcrSettings = DEFAULT_SETTINGS) -> tuple[list[Grid], PageInk]:
    """The ruled tables of a deskewed page image, and its print with the grids' rules and stamps removed.

    The grid is found in all the ink: a thin rule of a light scan can be as
    light as a stamp, and a stamp's arcs are kept out of the grid by
    `min_separator_rows` instead. Only rule pixels on a separator of a grid
    are removed from the print: a straight stroke inside a cell — the stem
    of 'ị' joined to its two dots, a '1' standing on a stamp's edge — passes
    the rule masks' length test but is text.
    """
    ink = binarize(gray)
    horizontal, vertical = rule_masks(gray, ink, dpi, settings)
    grids = find_grids(horizontal, vertical, dpi, settings)
    split = drop_light_ink(gray, ink, dpi, settings)
    every_rule = cv2.dilate(cv2.bitwise_or(horizontal, vertical), _kernel(5, 5))
    rules = cv2.bitwise_and(every_rule, _separator_bands(every_rule.shape, grids, max(4, round(dpi * 0.03))))
    print_ink = cv2.bitwise_and(split.print, cv2.bitwise_not(rules))
    grids = [split_faded_borders(grid, print_ink, dpi) for grid in grids]
    return grids, PageInk(print_ink, split.stamp, split.core_level, every_rule)


def split_faded_borders(grid: Grid, print_ink: np.ndarray, dpi: int) -> Grid:
    """Split a merged cell where a column's rule has faded from the scan but the text says it is there.

    A cell spanning a column separator that is drawn in most rows of the
    table is usually a merged caption ("Đánh giá" over "Đạt | Không đạt"),
    whose text sits across the separator. When instead the text stands on
    both sides (a few letters' worth of ink, not noise) and a band of 0.1 in
    around the separator is clear of ink from top to bottom (but for specks)
    — wider than any word space, so no caption is cut —
    the rule was printed and lost (faint rules of a low-resolution scan).
    """
    rows, cols = len(grid.ys) - 1, len(grid.xs) - 1
    owner = np.full((rows, cols), -1)
    for index, (r, c, rs, cs) in enumerate(grid.cells):
        owner[r : r + rs, c : c + cs] = index
    drawn = [(owner[:, c - 1] != owner[:, c]).mean() >= 0.5 for c in range(1, cols)]
    half, margin = max(2, round(dpi * 0.05)), max(3, round(dpi * 0.02))
    speck, letter = dpi * dpi * 0.0005, dpi * dpi * 0.002  # ink of scanner noise; of a few letters
    cells: list[tuple[int, int, int, int]] = []
    for r, c, rs, cs in grid.cells:
        start = c
        for cut in range(c + 1, c + cs):
            if not drawn[cut - 1]:
                continue
            x, y0, y1 = grid.xs[cut], grid.ys[r] + margin, grid.ys[r + rs] - margin
            band = print_ink[y0:y1, x - half : x + half + 1]
            left = print_ink[y0:y1, grid.xs[start] + margin : x - half]
            right = print_ink[y0:y1, x + half + 1 : grid.xs[c + cs] - margin]
            if np.count_nonzero(band) <= speck and min(np.count_nonzero(left), np.count_nonzero(right)) >= letter:
                cells.append((r, start, rs, cut - start))
                start = cut
        cells.append((r, start, rs, c + cs - start))
    return Grid(grid.xs, grid.ys, sorted(cells))


def _separator_bands(shape: tuple[int, ...], grids: list[Grid], tolerance: int) -> np.ndarray:
    """255 within `tolerance` of every separator of every grid, inside the grid's box."""
    bands = np.zeros(shape[:2], dtype=np.uint8)
    for grid in grids:
        x0, y0, x1, y1 = grid.bbox
        top, bottom = max(0, y0 - tolerance), y1 + tolerance + 1
        left, right = max(0, x0 - tolerance), x1 + tolerance + 1
        for x in grid.xs:
            bands[top:bottom, max(0, x - tolerance) : x + tolerance + 1] = 255
        for y in grid.ys:
            bands[max(0, y - tolerance) : y + tolerance + 1, left:right] = 255
    return bands


def ink_lines(print_ink: np.ndarray, box: Box, dpi: int) -> list[tuple[int, int]]:
    """The text lines inside `box`: (top, bottom) page rows of each run of rows holding ink.

    Scanner noise is no print: blobs smaller than 0.02 in square are dropped first. Runs
    closer than 0.01 in are one line (a diacritic over its letter); runs lower than
    0.03 in are specks, not a line of print.
    """
    margin = max(3, round(dpi * 0.01))
    x0, y0, x1, y1 = box[0] + margin, box[1] + margin, box[2] - margin, box[3] - margin
    if x1 <= x0 or y1 <= y0:
        return []
    inked = np.flatnonzero(without_specks(print_ink[y0:y1, x0:x1], (dpi * 0.02) ** 2).any(axis=1))
    join, speck = max(2, round(dpi * 0.01)), max(2, round(dpi * 0.03))
    return [(y0 + top, y0 + bottom + 1) for top, bottom in runs(inked, join) if bottom + 1 - top >= speck]


def split_stacked_row(grid: Grid, row: int, centres: list[float], print_ink: np.ndarray, dpi: int) -> Grid:
    """The grid with `row` cut into one row per figure line (`centres`, top to bottom).

    A table ruled between its columns but not between its rows makes one tall grid
    row whose cells stack the rows' figures. Each line of print across the row — a
    label's wrapped line too — goes with the figure line nearest to it, and the cut
    falls midway between the last line of one row and the first of the next, so a
    label wrapped over two lines stays whole whether it is set level with its figures'
    line, above or around it. Only a row no cell spans into or out of is cut.
    """
    lines = ink_lines(print_ink, (grid.xs[0], grid.ys[row], grid.xs[-1], grid.ys[row + 1]), dpi)
    nearest = [min(range(len(centres)), key=lambda i: abs(centres[i] - (top + bottom) / 2)) for top, bottom in lines]
    cuts = []
    for upper in range(len(centres) - 1):
        above = [bottom for (_, bottom), i in zip(lines, nearest) if i <= upper]
        below = [top for (top, _), i in zip(lines, nearest) if i > upper]
        if not above or not below:
            return grid
        cuts.append(round((max(above) + min(below)) / 2))
    if any(b <= a for a, b in zip([grid.ys[row], *cuts], [*cuts, grid.ys[row + 1]])):
        return grid
    extra = len(cuts)
    cells: list[tuple[int, int, int, int]] = []
    for r, c, rs, cs in grid.cells:
        if r == row:
            cells.extend((row + k, c, 1, cs) for k in range(extra + 1))
        else:
            cells.append((r + extra if r > row else r, c, rs, cs))
    return Grid(grid.xs, [*grid.ys[: row + 1], *cuts, *grid.ys[row + 1 :]], sorted(cells))
