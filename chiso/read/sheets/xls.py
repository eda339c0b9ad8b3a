"""Legacy BIFF workbooks (.xls) → one grid of cell text per sheet.

Formatting info is read for two reasons: merged ranges (multi-row headers)
and number formats (a cell holding 0.959 formatted as percent is "95.9%").
Some sheets declare 65 535 rows of which a few dozen hold anything; trailing
empty rows are dropped before any cell is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import xlrd

from chiso.read.sheets.values import date_text, is_percent_format, number_text

Grid = list[list[str | None]]
_EMPTY = {xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK}


def _open(path: Path) -> tuple[xlrd.Book, bool]:
    try:
        return xlrd.open_workbook(str(path), formatting_info=True, on_demand=True), True
    except NotImplementedError:  # formatting info unsupported for this BIFF version
        return xlrd.open_workbook(str(path), on_demand=True), False


def _last_row(sheet: xlrd.sheet.Sheet) -> int:
    for r in range(sheet.nrows - 1, -1, -1):
        types = sheet.row_types(r)
        if set(types) <= _EMPTY:
            continue
        if any(t not in _EMPTY and str(v).strip() for t, v in zip(types, sheet.row_values(r))):
            return r + 1
    return 0


def _text(book: xlrd.Book, cell: xlrd.sheet.Cell, formats: bool) -> str:
    kind = cell.ctype
    if kind == xlrd.XL_CELL_TEXT:
        return cast(str, cell.value)
    if kind == xlrd.XL_CELL_NUMBER:
        percent = False
        if formats:
            xf = book.xf_list[cast(int, cell.xf_index)]  # set when the book was opened with formatting_info
            percent = is_percent_format(book.format_map[xf.format_key].format_str)
        return number_text(cast(float, cell.value), percent)
    if kind == xlrd.XL_CELL_DATE:
        try:
            return date_text(xlrd.xldate.xldate_as_datetime(cast(float, cell.value), book.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return number_text(cast(float, cell.value))
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    return ""


def read_xls_grids(path: Path) -> list[tuple[str, Grid]]:
    """(sheet name, grid) for every worksheet; merged ranges: anchor text, covered None."""
    book, formats = _open(path)
    sheets: list[tuple[str, Grid]] = []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows = _last_row(sheet)
            grid: Grid = [
                [_text(book, sheet.cell(r, c), formats) for c in range(sheet.row_len(r))]
                for r in range(rows)
            ]
            for rlo, rhi, clo, chi in sheet.merged_cells if formats else []:
                for r in range(rlo, min(rhi, rows)):
                    for c in range(clo, min(chi, len(grid[r]))):
                        if (r, c) != (rlo, clo):
                            grid[r][c] = None
            sheets.append((sheet.name, grid))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return sheets
