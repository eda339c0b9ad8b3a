"""A table as a born-digital PDF (fpdf2, embedded Unicode TrueType fonts, vector-ruled table).

The page looks like an appendix of the genre: letterhead line, 'BIỂU SỐ n', the title with the
province, the as-of line in italics, an optional section heading, a ruled table with merged
header cells (repeated on each page when the table runs over), the column-number row, and a
signature block. Tables wider than eight value columns are set on landscape pages. A table set
inside a report (`Style.report_paragraphs`) comes after the national letterhead and prose that
cites documents and dates, and runs over the page without its header repeated.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TableHeadingsDisplay
from fpdf.fonts import FontFace

from tests.variants.base import BaseTable
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

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_STYLES = {"": "", "B": "-Bold", "I": "-Italic"}


def _font_file(font: str, suffix: str) -> Path:
    path = FONT_DIR / f"{font}{suffix}.ttf"
    if not path.exists() and suffix == "-Italic":  # the sans families call it Oblique
        path = FONT_DIR / f"{font}-Oblique.ttf"
    return path


def fonts_available(font: str = "DejaVuSerif") -> bool:
    return all(_font_file(font, s).exists() for s in _STYLES.values())


def render_pdf(table: BaseTable, style: Style, path: Path) -> Path:
    landscape = len(table.columns) > 8
    pdf = FPDF(orientation="L" if landscape else "P", unit="mm", format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(15, 15, 15)
    for emphasis, suffix in _STYLES.items():
        pdf.add_font("body", emphasis, str(_font_file(style.font, suffix)))
    pdf.add_page()
    size = style.font_size
    if style.report_paragraphs:
        _report_head(pdf, table, style)
    else:
        pdf.set_font("body", "B", size + 1)
        pdf.cell(0, 6, issuer(table), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    lines = title_lines(table)
    for i, line in enumerate(lines):
        italic = i == len(lines) - 1 and line.startswith("(")
        pdf.set_font("body", "I" if italic else "B", size + (0 if italic else 2))
        pdf.multi_cell(0, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
    heading = section_heading(table)
    if heading:
        pdf.ln(2)
        pdf.set_font("body", "B", size + 1)
        pdf.cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _table(pdf, table, style, size)
    pdf.ln(6)
    if style.report_paragraphs:
        _report_foot(pdf, style)
    pdf.set_font("body", "B", size)
    pdf.cell(pdf.epw / 2, 6, "NGƯỜI LẬP BIỂU", align="C")
    pdf.cell(pdf.epw / 2, 6, "TM. BAN THƯỜNG VỤ" if table.table_ref.startswith("Biểu") else "TM. ỦY BAN NHÂN DÂN",
             align="C", new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


_PROSE = (
    "Thực hiện Kế hoạch số 45/KH-UBND ngày 12/3/2024 của Ủy ban nhân dân tỉnh về triển khai công tác "
    "cải cách hành chính năm 2024; căn cứ Quyết định số 1187/QĐ-BNV ngày 28 tháng 12 năm 2023 của Bộ Nội vụ, "
    "Ủy ban nhân dân tỉnh báo cáo kết quả như sau:",
    "Các cơ quan, đơn vị đã tổ chức tự đánh giá, chấm điểm theo hướng dẫn tại Công văn số 2150/SNV-CCHC "
    "ngày 05/01/2025 và gửi hồ sơ về Sở Nội vụ trước ngày 20/01/2025 để thẩm định theo quy định.",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư, "
    "các biểu tổng hợp được lập theo mẫu tại Phụ lục III kèm theo Thông tư số 01/2023/TT-BNV.",
    "Hội đồng thẩm định đã họp ngày 15/02/2025, thống nhất kết quả tại Biên bản số 03/BB-HĐTĐ; "
    "số liệu chi tiết tại biểu dưới đây.",
)
"""Report prose of the genre that cites documents, dates and appendices and states no figure:
any number chiso publishes from it is an extra."""


def _report_head(pdf: FPDF, table: BaseTable, style: Style) -> None:
    """The national letterhead: issuer and document number left, the national motto and the place
    and date right, then the report's title and its opening paragraphs."""
    size = style.font_size
    half = pdf.epw / 2
    place = table.province.split(" ", 1)[-1].title()
    people = issuer(table).startswith("ỦY BAN NHÂN DÂN")
    left = ("ỦY BAN NHÂN DÂN", table.province, "Số: 215/BC-UBND") if people else (issuer(table), "*", "Số: 215-BC/TU")
    right = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", f"{place}, ngày 15 tháng 01 năm 2025")
    for i, (a, b) in enumerate(zip(left, right)):
        pdf.set_font("body", "" if i == 2 else "B", size)
        pdf.cell(half * 0.8, 5, a, align="C")
        pdf.set_font("body", "I" if i == 2 else "B", size)
        pdf.cell(half * 1.2, 5, b, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("body", "B", size + 2)
    pdf.cell(0, 6, "BÁO CÁO", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", "B", size + 1)
    pdf.cell(0, 6, "Kết quả thực hiện nhiệm vụ năm 2024", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("body", "", size + 1)
    for paragraph in _PROSE[:style.report_paragraphs]:
        pdf.multi_cell(0, 5.5, "    " + paragraph, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)


def _report_foot(pdf: FPDF, style: Style) -> None:
    """A note under the table and the distribution list beside the signature."""
    pdf.set_font("body", "I", style.font_size)
    pdf.multi_cell(0, 5, "Ghi chú: Số liệu tổng hợp từ báo cáo của các cơ quan, đơn vị gửi về trước ngày 20/01/2025.",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("body", "B", style.font_size)
    pdf.cell(0, 5, "Nơi nhận:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", "", style.font_size - 1)
    for line in ("- Bộ Nội vụ (b/c);", "- TT Tỉnh ủy, TT HĐND tỉnh;", "- Lưu: VT, NV."):
        pdf.cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


_PADDING = 0.8


def _heading_size(pdf: FPDF, header: list, widths: tuple[float, ...], size: float) -> float:  # type: ignore[type-arg]
    """The largest size up to `size` at which every header word fits its cell: a typesetter
    shrinks a narrow column's caption rather than break a word ('(SIPA' / 'S)') over two lines."""
    while size > 5:
        pdf.set_font("body", "B", size)
        if all(
            pdf.get_string_width(word) <= sum(widths[cell.column:cell.column + cell.colspan]) - 2 * _PADDING - 0.6
            for cell in header
            for word in cell.text.split()
        ):
            break
        size -= 0.5
    return size


def _table(pdf: FPDF, table: BaseTable, style: Style, size: float) -> None:
    values = len(table.columns)
    label_width = 48 if values > 4 else 70
    serial_width = 10
    value_width = (pdf.epw - label_width - serial_width) / values
    levels = header_levels(table)
    heading_rows = levels + (1 if style.column_numbers else 0)
    header = sorted(header_cells(table, style), key=lambda c: (c.level, c.column))
    widths = (serial_width, label_width, *([value_width] * values))
    heading_size = _heading_size(pdf, header, widths, size)
    pdf.set_font("body", "", size)
    with pdf.table(
        col_widths=widths,
        width=pdf.epw,
        num_heading_rows=heading_rows,
        headings_style=FontFace(emphasis="BOLD", size_pt=heading_size),
        text_align="CENTER",
        line_height=size * 0.5,
        padding=_PADDING,
        borders_layout=style.rules,
        repeat_headings=TableHeadingsDisplay.NONE if style.report_paragraphs else TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE,
    ) as grid:
        for level in range(levels):
            row = grid.row()
            for cell in (c for c in header if c.level == level):
                row.cell(cell.text, colspan=cell.colspan, rowspan=cell.rowspan)
        if style.column_numbers:
            row = grid.row()
            for code in column_numbers(table):
                row.cell(code)
        for serial, body in zip(serials(table), table.rows):
            row = grid.row()
            emphasis = FontFace(emphasis="BOLD") if body.kind == "total" else None
            row.cell(serial)
            row.cell(body.label, align="LEFT", style=emphasis)
            for text in row_cells(table, body, style):
                row.cell(text, align="RIGHT", style=emphasis)
