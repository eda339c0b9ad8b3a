"""What every renderer prints the same way: header cells with their spans, numbers as text.

A header of L levels is L printed rows; a caption shared by consecutive columns is one merged
cell across them, and a column whose path is shorter than L has its last caption merged down
to the bottom header row (how Word and Excel tables of the genre look).
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.variants.base import BaseTable, Cell, Row
from tests.variants.transforms import Style


@dataclass(frozen=True)
class HeaderCell:
    level: int
    column: int
    """0 = serial (STT), 1 = label, 2… = value columns."""
    colspan: int
    rowspan: int
    text: str


def header_levels(table: BaseTable) -> int:
    return max(len(c.path) for c in table.columns)


def header_cells(table: BaseTable, style: Style) -> list[HeaderCell]:
    levels = header_levels(table)
    cells = [HeaderCell(0, 0, 1, levels, style.serial_caption), HeaderCell(0, 1, 1, levels, table.label_caption)]
    paths = [c.path for c in table.columns]
    for level in range(levels):
        j = 0
        while j < len(paths):
            path = paths[j]
            if len(path) <= level:
                j += 1
                continue
            if level == len(path) - 1:
                cells.append(HeaderCell(level, j + 2, 1, levels - level, path[level]))
                j += 1
                continue
            span = 1
            while j + span < len(paths) and len(paths[j + span]) > level + 1 and paths[j + span][: level + 1] == path[: level + 1]:
                span += 1
            cells.append(HeaderCell(level, j + 2, span, 1, path[level]))
            j += span
    return cells


def column_numbers(table: BaseTable) -> list[str]:
    """The column-number row: 'A', 'B', then 1, 2, … for the value columns."""
    return ["A", "B", *[str(i + 1) for i in range(len(table.columns))]]


def format_number(cell: Cell, percent: bool, style: Style) -> str:
    """'1.333' / '13,25' / '95,27%' (Vietnamese) or '1,333' / '13.25' / '95.27%' (English)."""
    text = f"{cell.value:,.{cell.decimals}f}"
    if style.decimal == "vi":
        text = text.translate(str.maketrans(",.", ".,"))
    return text + ("%" if percent and style.percent_sign else "")


def serials(table: BaseTable) -> list[str]:
    """STT of each row: 1, 2, … for entity and category rows, blank for totals and statistics."""
    out: list[str] = []
    n = 0
    for row in table.rows:
        if row.kind in ("entity", "category"):
            n += 1
            out.append(str(n))
        else:
            out.append("")
    return out


def issuer(table: BaseTable) -> str:
    """The letterhead's left line: the People's Committee, or the party committee for party tables."""
    province = table.province
    if table.table_ref.startswith("Biểu"):
        return province.replace("TỈNH ", "TỈNH ỦY ", 1).replace("THÀNH PHỐ ", "THÀNH ỦY ", 1)
    return f"ỦY BAN NHÂN DÂN {province}"


def title_lines(table: BaseTable) -> list[str]:
    """Title block top to bottom: 'BIỂU SỐ n', the title with the province, the as-of line."""
    lines = []
    if table.table_ref.startswith("Biểu"):
        lines.append(table.table_ref.upper())
    lines.append(f"{table.title} {table.province}")
    lines.append(table.as_of)
    return lines


def section_heading(table: BaseTable) -> str | None:
    """A section heading printed right above the table ('I. ĐỐI VỚI CẤP SỞ')."""
    return None if table.table_ref.startswith(("Biểu", "Chỉ số")) else table.table_ref


def row_cells(table: BaseTable, row: Row, style: Style) -> list[str]:
    return [
        "" if cell is None else format_number(cell, column.unit == "percent", style)
        for column, cell in zip(table.columns, row.cells)
    ]
