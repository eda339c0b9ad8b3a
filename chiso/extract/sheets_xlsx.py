"""Office Open XML workbooks (.xlsx) → one grid of cell text per sheet."""

from __future__ import annotations

import re
import warnings
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import range_boundaries

from chiso.extract.sheets_values import date_text, is_percent_format, number_text
from chiso.model import BadInputError

MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""Budget of a workbook's decompressed parts: an appendix is kilobytes, a shared-strings bomb gigabytes."""
MAX_SHEET_CELLS = 2_000_000
"""Budget of one sheet's declared extent (rows × columns): openpyxl holds every cell in memory,
about 1 KB each, so 1M rows × 20 columns would take the run down on a small machine."""
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')

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
    sheet displayed when it was saved. A workbook over budget is refused before
    it is loaded (`check_budget`).
    """
    check_budget(path)
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


def check_budget(path: Path) -> None:
    """Refuse a workbook whose parts unpack past MAX_UNPACKED_BYTES or whose sheet declares
    more than MAX_SHEET_CELLS cells — read from the zip directory and each sheet's `<dimension>`,
    without loading anything."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise BadInputError(f"not a readable workbook ({error})") from error
    with archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise BadInputError(
                f"workbook unpacks to {unpacked / 2**20:,.0f} MB, over the budget of {MAX_UNPACKED_BYTES / 2**20:,.0f} MB"
            )
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            with archive.open(info) as handle:
                match = _DIMENSION.search(handle.read(4096))
            if not match or b":" not in match.group(1):
                continue
            min_col, min_row, max_col, max_row = range_boundaries(match.group(1).decode())
            cells = (max_row - min_row + 1) * (max_col - min_col + 1)
            if cells > MAX_SHEET_CELLS:
                raise BadInputError(
                    f"sheet {info.filename.rsplit('/', 1)[-1]} declares {cells:,} cells"
                    f" ({match.group(1).decode()}), over the budget of {MAX_SHEET_CELLS:,}"
                )
