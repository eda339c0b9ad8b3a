"""A generated Word report: the letterhead, a body with Vietnamese numbers, an appendix table.

Why generated: no .docx with a transcription is in ../shared, and writing it
with python-docx (the library the reader uses to read it back, but a writer
that knows nothing of chiso) gives the exact truth of every number. The
layout is the one provincial reports use: the two-column letterhead as a
borderless table, "BÁO CÁO" and its title, numbered sections, and an appendix
"Biểu số 2" whose header is two rows with merged cells (a caption spanning
two columns, captions merged down both rows), a column-number row and a
"Cộng" row that sums the districts.
"""

from __future__ import annotations

from pathlib import Path

import docx

PARTY_MEMBERS = 108_764
CELLS = 2_043
DISTRICTS = [("Huyện ủy Kim Thành", 5_234, 2_101), ("Huyện ủy Nam Sách", 4_120, 1_650)]
"""(row label, party members, of whom women)."""


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def write_report(path: Path, *, total: int | None = None) -> Path:
    """The report at `path`; `total` overrides the printed "Cộng" of column 3 (an altered copy)."""
    document = docx.Document()
    letterhead = document.add_table(rows=1, cols=2)
    letterhead.cell(0, 0).text = "TỈNH ỦY HẢI DƯƠNG\nBAN TỔ CHỨC\nSố 125-BC/BTCTU"
    letterhead.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM\nHải Dương, ngày 15 tháng 8 năm 2022"
    document.add_paragraph("BÁO CÁO")
    document.add_paragraph("Kết quả công tác phát triển đảng viên năm 2022")
    document.add_paragraph("I. TÌNH HÌNH CHUNG")
    document.add_paragraph(f"Đảng bộ tỉnh hiện nay có {_number(PARTY_MEMBERS)} đảng viên.")
    document.add_paragraph(f"Toàn tỉnh có {_number(CELLS)} chi bộ trực thuộc đảng ủy cơ sở.")
    document.add_paragraph("Nơi nhận:")
    document.add_paragraph("Biểu số 2")
    document.add_paragraph("SỐ LƯỢNG ĐẢNG VIÊN CỦA CÁC HUYỆN ỦY")
    document.add_paragraph("(Tính đến 31/7/2022)")

    rows = [(str(i), label, _number(members), _number(women)) for i, (label, members, women) in enumerate(DISTRICTS, 1)]
    members_total = total if total is not None else sum(members for _, members, _ in DISTRICTS)
    women_total = sum(women for _, _, women in DISTRICTS)
    table = document.add_table(rows=3 + len(rows) + 1, cols=4)
    table.style = "Table Grid"
    table.cell(0, 0).merge(table.cell(1, 0)).text = "STT"
    table.cell(0, 1).merge(table.cell(1, 1)).text = "Đơn vị"
    table.cell(0, 2).merge(table.cell(0, 3)).text = "Số đảng viên"
    table.cell(1, 2).text = "Tổng số"
    table.cell(1, 3).text = "Trong đó nữ"
    for column, code in enumerate(("1", "2", "3", "4")):
        table.cell(2, column).text = code
    for r, row in enumerate(rows, start=3):
        for column, text in enumerate(row):
            table.cell(r, column).text = text
    last = 3 + len(rows)
    table.cell(last, 0).merge(table.cell(last, 1)).text = "Cộng"
    table.cell(last, 2).text = _number(members_total)
    table.cell(last, 3).text = _number(women_total)
    document.save(str(path))
    return path
