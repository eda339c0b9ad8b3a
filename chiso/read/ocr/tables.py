"""A ruled table grid in a page image → a RawTable's rows, with doubtful cells flagged.

The grid comes from `ocr_grid` (ruling lines, merged cells), the text of
each cell from `ocr_cells` (mosaic reading, per-cell orientation,
confidence). This module decides what a cell finally says:

* numbers that the Vietnamese model garbles — "S21" for 521, "D514", "o9"
  for 59, a lone "S" for 5; its language model favours letters — are read
  again alone with the English model, which reads isolated digits better,
  and kept only if they then parse as a number. Candidates: cells with a
  digit that do not parse, and short cells in columns that are mostly
  numbers;
* numbers read with little confidence (below `OcrSettings.reread_below`)
  are read again with the English model, all of a table's in one mosaic,
  and the surer reading that parses wins;
* a cell whose final reading is still below `OcrSettings.min_confidence`
  keeps its value and gets a flag in `RawTable.cell_flags`, which the table
  stage copies to the observation's `quality_flag`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from chiso.normalize.numbers import parse_number
from chiso.read.lanes import concurrently
from chiso.read.ocr.cells import EMPTY, CellText, OcrFn, cell_crops, read_alone, read_cells, read_oriented
from chiso.read.ocr.grid import Box, Grid, PageInk, find_tables, ink_lines, split_stacked_row
from chiso.read.ocr.settings import DEFAULT_SETTINGS, OcrSettings

DIGITS_LANG = "eng"
"""Model for re-reading numbers the Vietnamese model garbled."""

__all__ = ["DIGITS_LANG", "Box", "Grid", "OcrFn", "PageInk", "TableCells", "find_tables", "read_cells", "read_figures",
           "read_table"]


@dataclass
class TableCells:
    """A grid read: RawTable rows and the reader's doubts about single cells."""

    rows: list[list[str | None]]
    flags: dict[tuple[int, int], str] = field(default_factory=dict)
    confidence: dict[tuple[int, int], float] = field(default_factory=dict)
    """(row, col) → lowest word confidence of the cell's final reading."""


def read_table(
    gray: np.ndarray, ink: PageInk, grid: Grid, dpi: int, ocr: OcrFn,
    settings: OcrSettings = DEFAULT_SETTINGS,
) -> TableCells:
    """The grid's cells: text in each cell's anchor, None where a merge covers, flags.

    `ink` is the page's print with rules and stamps removed (`find_tables`). A grid row
    whose cells read as stacks of figures is a body that was not ruled between its rows:
    it is cut into one row per line of figures (`split_stacked_rows`) and the grid read again.
    """
    table = _read_grid(gray, ink, grid, dpi, ocr, settings)
    split = split_stacked_rows(grid, table.rows, ink, dpi)
    return table if split is grid else _read_grid(gray, ink, split, dpi, ocr, settings)


def split_stacked_rows(grid: Grid, rows: list[list[str | None]], ink: PageInk, dpi: int) -> Grid:
    """`grid` with every row that stacks several rows' figures cut into rows (or `grid` itself).

    A row stacks figures when two or more of its cells read as several numbers printed
    on as many lines. Each line of figures, in any of those cells, places a row: lines
    level across the columns are one row, and a line only one column prints (a 'highest
    score' row under the last column) is a row of its own. Rows a merged cell spans are
    left alone: a header's captions wrap, its figures do not stack.
    """
    spanned = {r + k for r, _, rs, _ in grid.cells if rs > 1 for k in range(rs)}
    split = grid
    for row in reversed(range(len(grid.ys) - 1)):  # bottom up: a cut moves only the rows below it
        if row in spanned:
            continue
        stacks = [lines for r, c, _, cs in grid.cells if r == row and _figures(rows[row][c]) > 1
                  if len(lines := ink_lines(ink.print, grid.cell_box(row, c, 1, cs), dpi)) > 1]
        if len(stacks) < 2:
            continue
        lines = sorted((line for stack in stacks for line in stack), key=sum)
        reach = float(np.median([bottom - top for top, bottom in lines])) / 2
        levels: list[list[float]] = []
        for top, bottom in lines:
            centre = (top + bottom) / 2
            if levels and centre - levels[-1][-1] <= reach:
                levels[-1].append(centre)
            else:
                levels.append([centre])
        split = split_stacked_row(split, row, [float(np.median(level)) for level in levels], ink.print, dpi)
    return split


def _figures(text: str | None) -> int:
    """How many numbers `text` is, word by word; 0 when any word is not one."""
    words = (text or "").split()
    return len(words) if words and all(parse_number(word) is not None for word in words) else 0


def _read_grid(
    gray: np.ndarray, ink: PageInk, grid: Grid, dpi: int, ocr: OcrFn, settings: OcrSettings,
) -> TableCells:
    rows: list[list[str | None]] = [[None] * (len(grid.xs) - 1) for _ in range(len(grid.ys) - 1)]
    cells, anchors = [], []
    for cell in grid.cells:
        row, col = cell[0], cell[1]
        rows[row][col] = ""
        crops = cell_crops(gray, ink, grid.cell_box(*cell), dpi, settings)
        if crops:
            cells.append(crops)
            anchors.append((row, col))
    readings = read_oriented(cells, dpi, ocr, settings)
    numeric = _numeric_columns(anchors, [reading.text for reading, _ in readings])
    settled = _settle_numbers(readings, [col in numeric for _, col in anchors], dpi, ocr, settings)
    table = TableCells(rows)
    for (row, col), reading in zip(anchors, settled):
        rows[row][col] = reading.text
        if reading.confidence is not None:
            table.confidence[(row, col)] = reading.confidence
            if reading.confidence < settings.min_confidence:
                table.flags[(row, col)] = f"low OCR confidence {reading.confidence:.0f} (read '{reading.text}')"
    return table


def read_figures(gray: np.ndarray, ink: PageInk, boxes: list[Box], dpi: int, ocr: OcrFn,
                 settings: OcrSettings = DEFAULT_SETTINGS) -> list[CellText]:
    """Cells known to hold figures, found by position rather than by rules, read as a grid's
    cells are read: cleaned crops, one mosaic, garbled and doubtful numbers read again."""
    crops = [cell_crops(gray, ink, box, dpi, settings, orient=False) for box in boxes]
    present = [i for i, crop in enumerate(crops) if crop]
    readings = read_oriented([crops[i] for i in present], dpi, ocr, settings)
    settled = _settle_numbers(readings, [True] * len(readings), dpi, ocr, settings)
    out = [EMPTY] * len(boxes)
    for index, reading in zip(present, settled):
        out[index] = reading
    return out


def _settle_numbers(
    readings: list[tuple[CellText, np.ndarray]], numeric_columns: list[bool], dpi: int, ocr: OcrFn,
    settings: OcrSettings,
) -> list[CellText]:
    """The surest reading of each cell that is, or should be, a number (see the module docstring).

    Garbled numbers are read alone (`--psm 7`), which rescues isolated
    digits; doubtful ones, which are many in a faint scan, share one mosaic.
    """
    settled = [reading for reading, _ in readings]
    doubtful, garbled = [], []
    for index, ((reading, _), numeric_column) in enumerate(zip(readings, numeric_columns)):
        text = reading.text
        if parse_number(text) is not None:
            if reading.confidence is None or reading.confidence < settings.reread_below:
                doubtful.append(index)
        elif any(ch.isdigit() for ch in text) or (numeric_column and 0 < len(text) <= 4):
            garbled.append(index)
    alone = concurrently(lambda i: read_alone(readings[i][1], dpi, ocr, "--psm 7", DIGITS_LANG), garbled)
    for index, again in zip(garbled, alone):
        if parse_number(again.text) is not None:
            settled[index] = again
    if doubtful:
        reread = read_cells([readings[i][1] for i in doubtful], dpi, ocr, DIGITS_LANG)
        for index, reading in zip(doubtful, reread):
            if parse_number(reading.text) is not None and _surer(reading, settled[index]):
                settled[index] = reading
    return settled


def _surer(a: CellText, b: CellText) -> bool:
    return (a.confidence if a.confidence is not None else -1.0) > (b.confidence if b.confidence is not None else -1.0)


def _numeric_columns(anchors: list[tuple[int, int]], texts: list[str]) -> set[int]:
    """Columns in which at least 60 % of the non-empty cells parse as numbers."""
    seen: dict[int, list[bool]] = {}
    for (_, col), text in zip(anchors, texts):
        if text:
            seen.setdefault(col, []).append(parse_number(text) is not None)
    return {col for col, flags in seen.items() if sum(flags) >= 0.6 * len(flags)}
