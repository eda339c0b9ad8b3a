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
* a number read with little confidence is read again alone in both models
  and the surest reading that parses wins;
* a cell whose final reading is still below `OcrSettings.min_confidence`
  keeps its value and gets a flag in `RawTable.cell_flags`, which the table
  stage copies to the observation's `quality_flag`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from chiso.extract.ocr_cells import CellText, OcrFn, cell_crops, read_alone, read_cells, read_oriented
from chiso.extract.ocr_grid import Box, Grid, PageInk, find_tables
from chiso.extract.ocr_settings import DEFAULT_SETTINGS, OcrSettings
from chiso.normalize.numbers import parse_number

DIGITS_LANG = "eng"
"""Model for re-reading numbers the Vietnamese model garbled."""

__all__ = ["DIGITS_LANG", "Box", "Grid", "OcrFn", "PageInk", "TableCells", "find_tables", "read_cells", "read_table"]


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

    `ink` is the page's print with rules and stamps removed (`find_tables`).
    """
    rows: list[list[str | None]] = [[None] * (len(grid.xs) - 1) for _ in range(len(grid.ys) - 1)]
    cells, anchors = [], []
    for cell in grid.cells:
        row, col = cell[0], cell[1]
        rows[row][col] = ""
        crops = cell_crops(gray, ink, grid.cell_box(*cell), dpi, settings)
        if crops:
            cells.append(crops)
            anchors.append((row, col))
    readings = read_oriented(cells, dpi, ocr)
    numeric = _numeric_columns(anchors, [reading.text for reading, _ in readings])
    table = TableCells(rows)
    for (row, col), (reading, crop) in zip(anchors, readings):
        reading = _settle_number(crop, col in numeric, reading, dpi, ocr, settings)
        rows[row][col] = reading.text
        if reading.confidence is not None:
            table.confidence[(row, col)] = reading.confidence
            if reading.confidence < settings.min_confidence:
                table.flags[(row, col)] = f"low OCR confidence {reading.confidence:.0f} (read '{reading.text}')"
    return table


def _settle_number(
    crop: np.ndarray, numeric_column: bool, reading: CellText, dpi: int, ocr: OcrFn, settings: OcrSettings
) -> CellText:
    """The surest reading of a cell that is, or should be, a number (see the module docstring)."""
    text = reading.text
    parses = parse_number(text) is not None
    garbled = not parses and (any(ch.isdigit() for ch in text) or (numeric_column and 0 < len(text) <= 4))
    doubtful = parses and (reading.confidence is None or reading.confidence < settings.reread_below)
    if not (garbled or doubtful):
        return reading
    candidates = [reading] if parses else []
    languages: tuple[str | None, ...] = (DIGITS_LANG,) if garbled else (None, DIGITS_LANG)
    for lang in languages:
        again = read_alone(crop, dpi, ocr, "--psm 7", lang)
        if parse_number(again.text) is not None:
            candidates.append(again)
    if not candidates:
        return reading
    return max(candidates, key=lambda c: c.confidence if c.confidence is not None else -1.0)


def _numeric_columns(anchors: list[tuple[int, int]], texts: list[str]) -> set[int]:
    """Columns in which at least 60 % of the non-empty cells parse as numbers."""
    seen: dict[int, list[bool]] = {}
    for (_, col), text in zip(anchors, texts):
        if text:
            seen.setdefault(col, []).append(parse_number(text) is not None)
    return {col for col, flags in seen.items() if sum(flags) >= 0.6 * len(flags)}
