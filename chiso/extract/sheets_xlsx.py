"""Office Open XML workbooks (.xlsx) → one grid of cell text per sheet."""

from __future__ import annotations

import warnings
from datetime import date, datetime
from pathlib import Path

import openpyxl

from chiso.extract.sheets_values import date_text, is_percent_format, number_text

Grid = list[list[str | None]]


def _text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number_text(float(value), is_percent_format(cell.number_format))
    if isinstance(value, (date, datetime)):
        return date_text(value)
    return str(value)


def read_xlsx_grids(path: Path) -> list[tuple[str, Grid]]:
    """(sheet name, grid) for every worksheet; merged ranges: anchor text, covered None.

    Formulas are read as their cached results (`data_only`), which is what the
    sheet displayed when it was saved.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
        book = openpyxl.load_workbook(path, data_only=True)
    sheets: list[tuple[str, Grid]] = []
    for sheet in book.worksheets:
        grid: Grid = [[_text(cell) for cell in row] for row in sheet.iter_rows()]
        for merged in sheet.merged_cells.ranges:
            for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
                for c in range(merged.min_col - 1, merged.max_col):
                    if (r, c) != (merged.min_row - 1, merged.min_col - 1) and c < len(grid[r]):
                        grid[r][c] = None
        sheets.append((sheet.title, grid))
    book.close()
    return sheets
