"""Header paths, column codes, labels and totals from spreadsheet, HTML and PDF grids."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from chiso.interpret.tables.layout import find_tables
from chiso.interpret.tables.structure import caption, header_paths, join_continuations, structure_table
from chiso.model import RawTable
from chiso.read.sheets.reader import read_spreadsheet


def test_merged_headers_are_filled_across_and_down(corpus: Path) -> None:
    raw = read_spreadsheet(corpus / "xlsx" / "haiduong_bieu01_bi-thu-chi-bo-truong-thon_31-7-2022.xlsx").tables[0]
    table = structure_table(raw)
    assert table is not None
    assert table.table_ref == "Biểu số 1" and table.as_of == date(2022, 7, 31)
    assert table.header_paths[2:] == [
        "Tổng số thôn, KDC",
        "Tổng số chi bộ thôn, KDC",
        "Trong đó / Thôn, KDC có 1 chi bộ",
        "Trong đó / Thôn, KDC có 2 chi bộ",
        "Trong đó / Thôn, KDC có 3 chi bộ",
        "Trong đó / Thôn, KDC chưa có chi bộ",
        "Tổng số Bí thư chi bộ đồng thời là trưởng thôn, KDC",
        "Trưởng thôn, KDC không phải là đảng viên",
        "Tỷ lệ (%)",
    ]
    assert table.column_codes == ["A", "B", "1", "2", "3", "4", "5", "6", "7", "8", "9=7/1"]
    assert table.label_column == 1 and table.value_columns == list(range(2, 11))
    assert [row.label for row in table.body if row.is_total] == ["Cộng"]
    assert len(table.body) == 13


def test_pdfplumber_style_grid() -> None:
    """None for every merged cell, a max-score row and a signature line inside the grid."""
    rows = [
        ["STT", "Đơn vị", "Điểm thành phần", None, "Tổng điểm"],
        [None, None, "Lĩnh vực 1", "Lĩnh vực 2", None],
        ["A", "B", "1", "2", "3=1+2"],
        ["", "Điểm tối đa", "10", "20", "30"],
        ["1", "Sở Nội vụ", "9,5", "18", "27,5"],
        ["2", "Sở Y tế", "", "15", "15"],
        ["", "Tổng cộng", "9,5", "33", "42,5"],
        ["", "NGƯỜI LẬP BIỂU", "", "", ""],
    ]
    table = structure_table(RawTable(rows=rows, page=3, method="pdf_table", context=["Biểu số 5", "Năm 2022"]))
    assert table is not None
    assert table.header_paths[2:] == ["Điểm thành phần / Lĩnh vực 1", "Điểm thành phần / Lĩnh vực 2", "Tổng điểm"]
    assert table.column_codes[2:] == ["1", "2", "3=1+2"]
    assert [(row.label, row.is_total) for row in table.body] == [
        ("Sở Nội vụ", False),
        ("Sở Y tế", False),
        ("Tổng cộng", True),
    ]
    assert table.table_ref == "Biểu số 5" and table.period == (date(2022, 1, 1), date(2022, 12, 31))


def test_grid_without_data_is_not_a_table() -> None:
    rows = [["Ghi chú"], ["Số liệu tính đến 31/7/2022."]]
    assert structure_table(RawTable(rows=rows, page=2, method="xlsx")) is None


def test_bilingual_and_broken_captions() -> None:
    assert caption("Tổng thu NSNN trên địa bàn \nTotal revenues in the locality") == "Tổng thu NSNN trên địa bàn"
    assert caption("STT\nNo") == "STT No"
    # The MoF types one caption over three rows without merging them.
    rows = [
        ["", "", "TỔNG THU", "BỔ SUNG", None],
        ["SỐ", "", "NSNN TRÊN", "TỔNG", "BỔ SUNG"],
        ["TT", "TỈNH, THÀNH PHỐ", "ĐỊA BÀN", "SỐ", "CÂN ĐỐI"],
    ]
    assert header_paths(rows) == [
        "SỐ TT",
        "TỈNH, THÀNH PHỐ",
        "TỔNG THU NSNN TRÊN ĐỊA BÀN",
        "BỔ SUNG / TỔNG SỐ",
        "BỔ SUNG / BỔ SUNG CÂN ĐỐI",
    ]


def test_regional_subtotals_are_totals(real: Path) -> None:
    raw = read_spreadsheet(real / "mof-budget" / "Plan_2010.xls").tables[0]
    table = structure_table(raw)
    assert table is not None
    totals = {row.label for row in table.body if row.is_total}
    assert {"TỔNG SỐ", "MIỀN NÚI PHÍA BẮC", "ĐỒNG BẰNG SÔNG HỒNG"} <= totals
    provinces = [row.label for row in table.body if not row.is_total]
    assert provinces[0] == "HÀ GIANG" and len(provinces) == 63
    assert table.header_paths[2] == "TỔNG THU NSNN TRÊN ĐỊA BÀN"
    assert table.period == (date(2010, 1, 1), date(2010, 12, 31))


def test_pdf_table_continued_on_next_page_is_joined(corpus: Path) -> None:
    pdf = pytest.importorskip("chiso.read.pdf.reader")
    document = pdf.read_pdf(corpus / "pdf" / "haiduong_tong-ket-de-an-01_2022.pdf")
    tables = [t for t in (structure_table(raw) for raw in document.tables) if t is not None]
    joined = join_continuations(tables)
    refs = [t.table_ref for t in joined]
    assert refs == ["Biểu số 1", "Biểu số 2", "Biểu số 3"]
    bieu2 = joined[1]
    assert len(bieu2.body) == 13 and {row.page for row in bieu2.body} == {5, 6}
    assert bieu2.body[-1].label == "Cộng" and bieu2.body[-1].is_total
    assert bieu2.column_codes[5] == "4=3/2"
    assert bieu2.header_paths[5] == "Cán bộ, công chức xã, phường, thị trấn / Đạt %"


def test_sheets_of_a_workbook_are_never_joined(real: Path) -> None:
    document = read_spreadsheet(real / "mof-budget" / "Plan_2003.xls")
    tables = [t for t in (structure_table(raw) for raw in document.tables) if t is not None]
    assert len(tables) == 2 and len(join_continuations(tables)) == 2


def test_an_unaccented_vietnamese_caption_is_a_level_not_a_translation():
    """'Chia ra' typed without diacritics over 'Nam' / 'Nữ' is a header level; 'Total revenues' is English."""
    from chiso.interpret.tables.structure import header_paths, is_english

    assert header_paths([["STT", "Đơn vị", "Chia ra", None], [None, None, "Nam", "Nữ"]])[2:] == [
        "Chia ra / Nam", "Chia ra / Nữ",
    ]
    assert not is_english("Tong so") and is_english("Total revenues") and is_english("Vertical Accountability")


def test_captions_that_swallowed_the_column_numbers_give_them_back():
    """A scan whose rule under the captions is lost reads 'Điểm chuẩn tối đa 1'; 'Quý 1' … stays a caption."""
    from chiso.interpret.tables.structure import split_fused_codes

    paths = ["STT A", "Đơn vị B", "Điểm chuẩn tối đa 1", "Điểm tự đánh giá 2", "Chỉ số (%) 3=2/1"]
    assert split_fused_codes(paths, [None] * 5) == (
        ["STT", "Đơn vị", "Điểm chuẩn tối đa", "Điểm tự đánh giá", "Chỉ số (%)"],
        ["A", "B", "1", "2", "3=2/1"],
    )
    quarters = ["Đơn vị", "Quý 1", "Quý 2", "Quý 3"]
    assert split_fused_codes(quarters, [None] * 4) == (quarters, [None] * 4)


def test_a_lone_variable_name_between_caption_rows_stays_in_the_header():
    """PCI 2014's sheets: captions, a row holding only 'pci_id', the variable names, then the provinces."""
    grid = [
        ["PCI ID", "Tỉnh", "Sub-Index 8", "Số hội chợ thương mại do tỉnh tổ chức", "Tỉ lệ số nhà cung cấp dịch vụ (%)"],
        ["", "pci_id", "", "", ""],
        ["", "", "sub8_psd", "trade_fair_avg", "totalproviders_per"],
        ["1", "Hà Nội", "6.57", "20", "1.47%"],
        ["2", "Hải Phòng", "5.75", "19", "1.79%"],
    ]
    assert find_tables(grid)[0].header == 0


def test_a_lettered_number_row_is_the_column_codes_even_with_a_misread_digit() -> None:
    """A scan reads the number row 'A B 1 2 3 4' as 'A B 1 2 3 1': still the codes, not a caption level
    ('Kết quả / Chỉ số 1'); a row of figures that counts down without letters stays data."""
    rows: list[list[str | None]] = [
        ["STT", "Tên đơn vị", "Điểm chuẩn tối đa", "Điểm tự đánh giá", "Kết quả", None],
        [None, None, None, None, "Điểm thẩm định", "Chỉ số"],
        ["A", "B", "1", "2", "3", "1"],
        ["1", "UBND phường Mũi Né", "7,50", "7,50", "7,50", "100,00"],
        ["2", "UBND phường Phú Thủy", "7,50", "7,00", "7,25", "96,67"],
    ]
    table = structure_table(RawTable(rows, 1, "ocr_table"))
    assert table is not None
    assert table.header_paths[2:] == ["Điểm chuẩn tối đa", "Điểm tự đánh giá", "Kết quả / Điểm thẩm định", "Kết quả / Chỉ số"]
    assert table.column_codes == ["A", "B", "1", "2", "3", "1"]
    from chiso.interpret.tables.layout import is_column_number_row

    assert not is_column_number_row(["3", "2", "1"])
