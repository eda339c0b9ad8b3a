"""Office Open XML workbooks (.xlsx) → one grid of cell text per sheet."""

from __future__ import annotations

import re
import warnings
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

import openpyxl
from openpyxl.utils.cell import range_boundaries

from chiso import budgets
from chiso.model import BadInputError
from chiso.read.sheets.formulas import compute, uncached_formulas
from chiso.read.sheets.values import date_text, is_percent_format, number_text

_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')

Grid = list[list[str | None]]


def _text(cell: Any) -> str:
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


def read_xlsx_grids(path: Path, notes: list[str] | None = None) -> list[tuple[str, Grid]]:
    """(sheet name, grid) for every worksheet; merged ranges: anchor text, covered None.

    Formulas are read as their cached results (`data_only`), which is what the
    sheet displayed when it was saved; formulas saved without a result are
    computed or named in `notes` (chiso.read.sheets.formulas). A workbook
    over budget is refused before it is loaded (`check_budget`).
    """
    has_formulas = check_budget(path)
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
    if has_formulas:
        _fill_uncached_formulas(path, book, sheets, notes if notes is not None else [])
    book.close()
    return sheets


def _fill_uncached_formulas(path: Path, book: Any, sheets: list[tuple[str, Grid]], notes: list[str]) -> None:
    missing = uncached_formulas(path, [name for name, _ in sheets])
    if not missing:
        return
    results, said = compute(path, missing)
    grids = dict(sheets)
    for (name, r, c), value in results.items():
        if r < len(grids[name]) and c < len(grids[name][r]):
            cell = book[name].cell(r + 1, c + 1)
            grids[name][r][c] = _text(_Computed(value, cell.number_format))
    notes.extend(said)


class _Computed:
    """A computed result shaped like an openpyxl cell, so it is written as the sheet would show it."""

    def __init__(self, value: object, number_format: str) -> None:
        self.value, self.number_format = value, number_format


def check_budget(path: Path) -> bool:
    """Refuse a workbook over its budgets (chiso.budgets) before openpyxl loads it; say whether
    any sheet holds formulas (`<f>` elements), whose saved results may be missing.

    Decompressed bytes come from the zip directory; a sheet's cells are its
    `<dimension>` extent and, since a writer may omit or understate that, the
    `<c` elements counted while streaming the sheet's XML in 1 MB pieces.
    openpyxl holds every cell in memory (about 1 KB each), so a million-row
    sheet of a 3 MB file would otherwise take the run down.
    """
    limits = budgets.current()
    has_formulas = False
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise BadInputError(f"not a readable workbook ({error})") from error
    with archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > limits.max_unpacked_bytes:
            raise budgets.OverBudgetError(
                f"workbook unpacks to {unpacked / 2**20:,.0f} MB,"
                f" over the budget of {limits.max_unpacked_bytes / 2**20:,.0f} MB"
            )
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            sheet = info.filename.rsplit("/", 1)[-1]
            with archive.open(info) as handle:
                head = handle.read(4096)
                match = _DIMENSION.search(head)
                if match and b":" in match.group(1):
                    bounds = cast(tuple[int, int, int, int], range_boundaries(match.group(1).decode()))  # 'A1:C5': no None
                    min_col, min_row, max_col, max_row = bounds
                    cells = (max_row - min_row + 1) * (max_col - min_col + 1)
                    if cells > limits.max_sheet_cells:
                        raise budgets.OverBudgetError(
                            f"sheet {sheet} declares {cells:,} cells ({match.group(1).decode()}),"
                            f" over the budget of {limits.max_sheet_cells:,} cells per sheet"
                        )
                counted, tail = head.count(b"<c ") + head.count(b"<c>"), head[-2:]
                has_formulas = has_formulas or b"<f" in head
                for piece in iter(lambda: handle.read(1 << 20), b""):
                    text = tail + piece  # a 2-byte tail: '<c ' split across pieces is counted once
                    counted += text.count(b"<c ") + text.count(b"<c>")
                    has_formulas = has_formulas or b"<f" in text
                    tail = text[-2:]
                    budgets.check_cells(counted, f"sheet {sheet}")
                budgets.check_time(f"sheet {sheet}")
    return has_formulas
