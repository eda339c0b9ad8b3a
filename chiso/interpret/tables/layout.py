"""Where a table sits in a grid of cells: title lines, header rows, body, notes.

A spreadsheet sheet (or an HTML export) is one grid holding the letterhead,
the title ("Biểu số 6", "(Tính đến 31/7/2022)"), the table and the signature
block. Nothing marks the table's first row, so it is found the way a reader
finds it: the first *data row* is a row with a label and mostly numbers; the
header is the block of multi-cell rows directly above it (stopping at the unit
line "Đơn vị tính: Triệu đồng" and at single-line titles); the body runs until
notes ("Ghi chú"), a signature block or a long run of rows without numbers.

`None` in a grid is a cell covered by a merged cell, `''` an empty cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chiso.interpret.tables.cells import cell_number, cell_text, is_column_code, is_label
from chiso.normalize.text import fold

Grid = list[list[str | None]]

_UNIT_LINE = re.compile(
    r"\b(don vi|dvt|trieu dong|ty dong|nghin dong|phu luc|bieu so|mau so|million|billion)\b"
    r"|ngay .{0,4}\d* ?thang|tinh den|kem theo"
)
_VARIABLE_NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
"""A data set's variable name ('pci_id', 'sub8_psd'): a sheet exported from a statistics package prints a
row of them under its captions, sometimes only one in the row."""
_NOTES = re.compile(r"^(ghi chu|chu thich|luu y|nguon|note|notes|remarks|source)\b")
_GAP = 3
"""Rows without any number after which a table is over (signature blocks, notes)."""
_LABEL_COLUMNS = 4
"""Row labels sit in the first few columns; beyond that a text cell is a value."""


@dataclass
class TableSpan:
    """Row indices of one table in a grid: from its first header row to the end of its body."""

    header: int
    end: int


def anchors(row: list[str | None]) -> list[int]:
    """Columns of the non-empty cells of a row."""
    return [j for j, cell in enumerate(row) if cell_text(cell)]


def is_data_row(row: list[str | None]) -> bool:
    """A row with a label in its first columns and mostly numbers elsewhere.

    The column-number row (A | B | 1 | 2 …) has no label, so it never counts.
    """
    filled = anchors(row)
    labels = [j for j in filled if j < _LABEL_COLUMNS and is_label(cell_text(row[j]))]
    if not labels:
        return False
    values = [j for j in filled if j > labels[0]]
    numbers = [j for j in values if cell_number(row[j]) is not None]
    return bool(numbers) and len(numbers) * 2 >= len(values) - 1


def is_column_number_row(row: list[str | None]) -> bool:
    """'A | B | 1 | 2 | 4=3/2 …' or '1 | 2 | 3 …': numbers every column, no label.

    Plain numbers must not count down (1, 2, 3…; a sheet may repeat one), which
    a row of data rarely does and a data row has a label anyway. A row that
    letters its label columns first ('A | B | 1 | 2 | 3 | 1') is the number row
    whatever its digits say: no data row is labelled 'A', and a scan misreads
    a '4' as '1' without making the row anything else.
    """
    texts = [cell_text(row[j]) for j in anchors(row)]
    if len(texts) < 2 or not all(is_column_code(t) for t in texts):
        return False
    plain = [int(t.strip("()")) for t in texts if t.strip("()").isdigit()]
    lettered = len(texts) > len(plain) and texts[0].strip().isalpha() and len(plain) >= 2
    return lettered or (all(b >= a for a, b in zip(plain, plain[1:])) and len(set(plain)) > len(plain) // 2)


def _is_header_like(row: list[str | None]) -> bool:
    filled = anchors(row)
    if not filled:
        return False
    text = " ".join(fold(cell_text(row[j])) for j in filled)
    if len(filled) <= 2 and _UNIT_LINE.search(text):
        return False
    if len(filled) >= 2:
        return True
    if _VARIABLE_NAME.match(cell_text(row[filled[0]]).strip()):
        return True  # a lone variable name between caption rows is still header
    # One caption ("Trong đó") under merged STT/label cells is a header row;
    # one line starting at the left edge is a title.
    return any(row[j] is None for j in range(filled[0]))


def _is_label_only(row: list[str | None]) -> bool:
    """A body row without figures: a category ('I | Các Bộ, cơ quan Trung ương') or a
    totals row whose formulas failed ('TỔNG SỐ' followed by #REF! cells)."""
    filled = anchors(row)
    if not 1 <= len(filled) <= 2 or filled[-1] >= _LABEL_COLUMNS:
        return False
    *serial, label = [cell_text(row[j]) for j in filled]
    return is_label(label) and all(not is_label(text) for text in serial)


def _in_header(row: list[str | None]) -> bool:
    return _is_header_like(row) or (not anchors(row) and bool(row) and row[0] is None)


def header_block(grid: Grid, body: int, floor: int = 0) -> tuple[int, int]:
    """Rows [start, stop) of the header of the table whose first data row is `body`.

    Label-only rows just above the first data row (categories, a totals row
    of failed formulas) belong to the body, not the header.
    """
    stop = body
    while stop - 1 > floor and _is_label_only(grid[stop - 1]) and _in_header(grid[stop - 2]):
        stop -= 1
    start = stop
    i = stop - 1
    while i >= floor:
        row = grid[i]
        if anchors(row):
            if not _is_header_like(row) or is_data_row(row):
                break
            start = i
        elif row and row[0] is None:
            start = i  # covered by merged header cells (STT/label merged downwards)
        elif not (i - 1 >= floor and _is_header_like(grid[i - 1]) and len(anchors(grid[i - 1])) >= 2):
            break
        i -= 1
    return start, stop


def _is_notes(row: list[str | None]) -> bool:
    filled = anchors(row)
    return bool(filled) and bool(_NOTES.match(fold(cell_text(row[filled[0]]))))


def find_tables(grid: Grid) -> list[TableSpan]:
    """Every table of a grid, top to bottom."""
    spans: list[TableSpan] = []
    i = 0
    while i < len(grid):
        if not is_data_row(grid[i]):
            i += 1
            continue
        floor = spans[-1].end if spans else 0
        header, _ = header_block(grid, i, floor)
        last, gap = i, 0
        for j in range(i, len(grid)):
            row = grid[j]
            if _is_notes(row):
                break
            if is_data_row(row):
                last, gap = j, 0
            elif any(cell_number(row[k]) is not None for k in anchors(row)):
                gap = 0
            else:
                gap += 1
                if gap >= _GAP:
                    break
        spans.append(TableSpan(header=header, end=last + 1))
        i = last + 1
    return spans
