"""A printed cell of a spreadsheet in its neighbourhood: the workbook's equivalent of a boxed page.

A workbook has no page to picture, so the report shows the few rows around the
cell as the sheet has them (the row label's row, the cell's column, the first
columns that name the rows), with the cell marked. The cell is found as on a
page: the row whose cells include the row label, and in it the cell that
prints the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from chiso.normalize.text import fold
from chiso.read.registry import grid_reader

if TYPE_CHECKING:
    from chiso.interpret.tables.layout import Grid

ROWS_AROUND = 3
COLUMNS_AROUND = 2
LABEL_COLUMNS = 2
"""Leading columns always shown: the serial number and the row label."""


@dataclass(frozen=True)
class SheetSnippet:
    sheet_name: str
    rows: list[list[str]]
    row_numbers: list[int]
    """1-based sheet row of each shown row."""
    columns: list[str]
    """Spreadsheet column letters of the shown columns."""
    mark: tuple[int, int]
    """(row, column) of the cell within `rows`."""


def _letters(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def _clean(text: str | None) -> str:
    return " ".join(fold(text or "").split())


@lru_cache(maxsize=16)
def _sheet(path: Path, sheet: int) -> tuple[str, Grid] | None:
    """A workbook is read once per report, however many of its cells are shown."""
    reader = grid_reader(path)
    return reader.sheet_grid(path, sheet) if reader else None


def snippet(path: Path, sheet: int, source_text: str, row_label: str | None) -> SheetSnippet | None:
    """The rows around the cell printing `source_text` on the row of `row_label`; None if not found."""
    if grid_reader(Path(path)) is None:
        return None
    found = _sheet(Path(path), sheet)
    if found is None:
        return None
    name, grid = found
    wanted, label = _digits(source_text), _clean(row_label)
    if not wanted:
        return None
    label_rows = [r for r, row in enumerate(grid) if label and any(_clean(c) == label for c in row)]
    rows = label_rows or range(len(grid))
    hit = next(
        ((r, c) for r in rows for c, cell in enumerate(grid[r]) if cell and _digits(cell) == wanted and _clean(cell) != label),
        None,
    )
    if hit is None:
        return None
    r, c = hit
    shown_rows = list(range(max(0, r - ROWS_AROUND), min(len(grid), r + ROWS_AROUND + 1)))
    shown_cols = sorted(set(range(min(LABEL_COLUMNS, len(grid[r])))) | set(range(max(0, c - COLUMNS_AROUND), c + COLUMNS_AROUND + 1)))
    shown_cols = [j for j in shown_cols if j < len(grid[r])]
    return SheetSnippet(
        sheet_name=name,
        rows=[[(grid[i][j] or "") for j in shown_cols] for i in shown_rows],
        row_numbers=[i + 1 for i in shown_rows],
        columns=[_letters(j) for j in shown_cols],
        mark=(shown_rows.index(r), shown_cols.index(c)),
    )
