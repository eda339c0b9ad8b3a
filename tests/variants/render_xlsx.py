"""A table as an Excel workbook, the way provincial offices export them.

Letterhead and title rows merged across the table, a multi-row header with merged cells, an
optional column-number row, STT and label columns, numbers stored as numbers (with a number
format; percentages as fractions under a '%' format when the style prints a sign) or typed as
text in the document's decimal convention, a signature row below.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from tests.variants.base import BaseTable, Cell
from tests.variants.layout import (
    column_numbers,
    header_cells,
    header_levels,
    issuer,
    row_cells,
    section_heading,
    serials,
    title_lines,
)
from tests.variants.transforms import Style

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_XLSX_FONTS = {"DejaVuSerif": "Times New Roman", "DejaVuSerifCondensed": "Times New Roman",
               "DejaVuSans": "Arial", "DejaVuSansCondensed": "Arial Narrow"}


def render_xlsx(table: BaseTable, style: Style, path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Biểu" if table.table_ref.startswith("Biểu") else "Tổng hợp"
    width = len(table.columns) + 2
    font = Font(name=_XLSX_FONTS.get(style.font, "Times New Roman"), size=round(style.font_size + 3))
    bold = Font(name=font.name, size=font.size, bold=True)
    r = 1
    sheet.cell(r, 1, issuer(table)).font = bold
    sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=min(3, width))
    r += 1
    for line in title_lines(table):
        sheet.cell(r, 1, line).font = bold
        sheet.cell(r, 1).alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        r += 1
    heading = section_heading(table)
    if heading:
        r += 1
        sheet.cell(r, 1, heading).font = bold
        r += 1
    r += 1
    top = r
    for cell in header_cells(table, style):
        row, col = top + cell.level, cell.column + 1
        target = sheet.cell(row, col, cell.text)
        target.font = bold
        target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if cell.colspan > 1 or cell.rowspan > 1:
            sheet.merge_cells(start_row=row, start_column=col, end_row=row + cell.rowspan - 1,
                              end_column=col + cell.colspan - 1)
    r = top + header_levels(table)
    if style.column_numbers:
        for j, code in enumerate(column_numbers(table)):
            sheet.cell(r, j + 1, code).alignment = Alignment(horizontal="center")
        r += 1
    for serial, row in zip(serials(table), table.rows):
        sheet.cell(r, 1, int(serial) if serial else None)
        label = sheet.cell(r, 2, row.label)
        label.font = bold if row.kind == "total" else font
        texts = row_cells(table, row, style)
        for j, (column, cell) in enumerate(zip(table.columns, row.cells)):
            target = sheet.cell(r, j + 3)
            if cell is None:
                continue
            if style.numbers_as_text:
                target.value = texts[j]
            else:
                _store_number(target, cell, column.unit == "percent" and style.percent_sign)
        r += 1
    for row in sheet.iter_rows(min_row=top, max_row=r - 1, max_col=width):
        for cell in row:
            cell.border = _BOX
    r += 1
    sheet.cell(r, 2, "NGƯỜI LẬP BIỂU").font = bold
    sheet.cell(r, max(3, width - 2), "TM. BAN THƯỜNG VỤ" if table.table_ref.startswith("Biểu") else "TM. ỦY BAN NHÂN DÂN")
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 32
    for j in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(j)].width = 12
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _store_number(target, cell: Cell, as_percent: bool) -> None:  # type: ignore[no-untyped-def]
    """A number cell with the format a real sheet would show it in."""
    decimals = "0" if cell.decimals == 0 else "0." + "0" * cell.decimals
    if as_percent:
        target.value = round(cell.value / 100, cell.decimals + 2)
        target.number_format = decimals + "%"
        return
    target.value = int(cell.value) if cell.decimals == 0 and cell.value.is_integer() else cell.value
    target.number_format = ("#,##" if cell.value >= 1000 else "") + decimals
