"""Small born-digital appendices with known faults, made with fpdf2 for the report tests.

`altered_copy` prints a count table whose "Cộng" row contradicts its rows (the
document is held whole); `impossible_share` prints a percentage of 1250 in one
row (that row is held). Both name real Hải Dương districts, so everything else
resolves and publishes.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
DISTRICTS = ("Tứ Kỳ", "Gia Lộc", "Ninh Giang", "Thanh Miện", "Kim Thành")


def _appendix(path: Path, title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> Path:
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_font("body", "", str(FONT))
    pdf.add_font("body", "B", str(BOLD))
    pdf.add_page()
    pdf.set_font("body", "B", 11)
    pdf.cell(0, 6, "TỈNH ỦY HẢI DƯƠNG", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, "Biểu số 3", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", "", 10)
    pdf.cell(0, 6, "(Tính đến 31/12/2022)", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    widths = (14, 70, 45, 45)[: len(header)]
    with pdf.table(col_widths=widths, text_align="CENTER", line_height=7) as table:
        for cells in (header, tuple(str(i) for i in range(1, len(header) + 1)), *rows):
            row = table.row()
            for cell in cells:
                row.cell(cell)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def altered_copy(path: Path) -> Path:
    """Party members per district; the printed 'Cộng' is 1 more than its rows."""
    counts = (412, 388, 505, 297, 341)
    rows = [(str(i), f"Huyện ủy {name}", f"{n}") for i, (name, n) in enumerate(zip(DISTRICTS, counts), 1)]
    rows.append(("", "Cộng", f"{sum(counts) + 1:,}".replace(",", ".")))
    return _appendix(path, "SỐ ĐẢNG VIÊN MỚI KẾT NẠP", ("STT", "Đơn vị", "Số đảng viên mới"), rows)


def impossible_share(path: Path) -> Path:
    """Share of villages with a party cell; Gia Lộc prints 1250%."""
    shares = ("92,4", "1250", "88,0", "95,5", "90,1")
    rows = [(str(i), f"Huyện ủy {name}", s) for i, (name, s) in enumerate(zip(DISTRICTS, shares), 1)]
    return _appendix(path, "TỶ LỆ THÔN CÓ CHI BỘ", ("STT", "Đơn vị", "Tỷ lệ (%)"), rows)
