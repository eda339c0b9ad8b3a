"""Spreadsheet readers: real type from content, sheets → raw tables with context."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from chiso.model import BadInputError
from chiso.read.sheets.reader import read_spreadsheet
from chiso.read.sheets.values import is_percent_format, number_text


def test_native_numbers_are_written_as_a_reader_sees_them() -> None:
    assert number_text(1340.0) == "1340"
    assert number_text(47.7) == "47.7"
    assert number_text(0.959, percent=True) == "95.9%"
    assert number_text(0.92, percent=True) == "92%"
    # Three decimals would read as a thousands group ("1.125" = 1125): a fourth is added.
    assert number_text(1.125) == "1.1250"
    assert number_text(0.1 + 0.2) == "0.3"
    assert is_percent_format("0.0%") and not is_percent_format('#,##0"%"')


def test_text_named_xlsx_is_rejected_by_content(corpus: Path) -> None:
    with pytest.raises(BadInputError, match=r"^not a spreadsheet \(text file named \.xlsx\)$"):
        read_spreadsheet(corpus / "bad" / "bieu05_so-xa-bi-thu-chu-tich.xlsx")


def test_empty_and_corrupt_files_are_rejected(tmp_path: Path) -> None:
    empty = tmp_path / "bieu.xls"
    empty.write_bytes(b"")
    with pytest.raises(BadInputError, match=r"empty file \(0 bytes\)"):
        read_spreadsheet(empty)
    corrupt = tmp_path / "bieu.xlsx"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(BadInputError, match=r"^corrupt spreadsheet \("):
        read_spreadsheet(corrupt)
    archive = tmp_path / "report.xlsx"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(BadInputError, match="not a spreadsheet"):
        read_spreadsheet(archive)
    pdf = tmp_path / "bieu.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    with pytest.raises(BadInputError, match="PDF"):
        read_spreadsheet(pdf)


def test_xlsx_title_rows_become_context_and_text_numbers_survive(corpus: Path) -> None:
    document = read_spreadsheet(corpus / "xlsx" / "haiduong_bieu01_bi-thu-chi-bo-truong-thon_31-7-2022.xlsx")
    assert document.format == "xlsx" and document.pages == 2
    assert len(document.tables) == 1, "the 'Ghi chú' sheet holds no table"
    table = document.tables[0]
    assert (table.page, table.sheet_name, table.method) == (1, "Bieu1", "xlsx")
    assert "Biểu số 1" in table.context and "(Tính đến 31/7/2022)" in table.context
    assert table.rows[0][:5] == ["Số TT", "Tên đơn vị", "Tổng số thôn, KDC", "Tổng số chi bộ thôn, KDC", "Trong đó"]
    assert table.rows[0][5:8] == [None, None, None], "cells covered by the merged 'Trong đó'"
    assert table.rows[1][0] is None, "'Số TT' is merged over two rows"
    total = table.rows[-1]
    assert total[1] == "Cộng" and total[3] == "1.340" and total[10] == "95%"
    assert not any("NGƯỜI LẬP BIỂU" in str(cell) for row in table.rows for cell in row)
    notes = [block for block in document.texts if block.page == 2]
    assert notes and "tính đến 31/7/2022" in notes[0].text


def test_legacy_xls_with_merged_headers(corpus: Path) -> None:
    document = read_spreadsheet(corpus / "xlsx" / "haiduong_bieu03_dao-tao-boi-duong_2015-2020.xls")
    assert document.format == "xls" and len(document.tables) == 1
    table = document.tables[0]
    assert table.method == "xls"
    assert table.rows[0] == ["TT", "Chức danh", "Đào tạo chuyên môn", None, None, "Đào tạo LLCT", None, "Bồi dưỡng", None]
    assert table.rows[-1][1:4] == ["Tổng cộng", "102", "1648"]
    assert any("nhiệm kỳ 2015 - 2020" in line for line in table.context)


def test_html_named_xls_is_read_as_html(corpus: Path) -> None:
    document = read_spreadsheet(corpus / "xlsx" / "haiduong_chi-so-cchc-2022_ubnd-cap-huyen_SYNTHETIC.xls")
    assert document.format == "xls_html"
    table = document.tables[0]
    assert table.method == "html" and table.page == 1
    assert any("NĂM 2022" in line for line in table.context)
    header = next(row for row in table.rows if row[0] == "STT")
    assert header[2] == "Điểm đánh giá qua tài liệu kiểm chứng" and header[3] is None
    first = next(row for row in table.rows if row[1] == "UBND huyện Nam Sách")
    assert first[2] == "14,5", "numbers typed as text keep their decimal comma"


def test_csv_with_bom_semicolons_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "gso.csv"
    path.write_bytes(
        '\ufeff"Số trường học phân theo địa phương"\r\n\r\n'
        '"Địa phương";"2015";"2016"\r\n"Hà Nội";"2.712";"2.750"\r\n"Hải Dương";"812";"815"\r\n'.encode()
    )
    document = read_spreadsheet(path)
    assert document.format == "csv"
    table = document.tables[0]
    assert table.context == ["Số trường học phân theo địa phương"]
    assert table.rows == [["Địa phương", "2015", "2016"], ["Hà Nội", "2.712", "2.750"], ["Hải Dương", "812", "815"]]


def test_mof_quirks_survive_reading(real: Path) -> None:
    folder = real / "mof-budget"
    plan_2010 = read_spreadsheet(folder / "Plan_2010.xls").tables[0]
    assert any(row[1] == "\xa0HÀ GIANG" for row in plan_2010.rows), "non-breaking space kept for the table stage"
    final_2008 = read_spreadsheet(folder / "Final_2008.xls").tables[0]
    assert any(str(row[2]).startswith("(1)") and "419.278.223" in str(row[2]) for row in final_2008.rows)
    legacy = read_spreadsheet(folder / "Plan_2003.xls").tables[0]
    labels = {row[1] for row in legacy.rows}
    assert "Hà nội" in labels and "Hải dương" in labels, "TCVN3 sheet decoded to Unicode"


def test_a_workbook_over_budget_is_refused_before_it_is_loaded(tmp_path):
    """A sheet that declares 1M rows × 20 columns is held with the budget it broke, not loaded."""
    import zipfile

    import openpyxl
    import pytest

    from chiso.model import BadInputError
    from chiso.read.sheets.reader import read_spreadsheet

    small = tmp_path / "small.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Đơn vị", "Số"])
    book.save(small)
    big = tmp_path / "big.xlsx"
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(big, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:B1"/>', b'<dimension ref="A1:T1000000"/>')
            target.writestr(info, data)
    with pytest.raises(BadInputError, match=r"declares 20,000,000 cells \(A1:T1000000\), over the budget"):
        read_spreadsheet(big)
    assert read_spreadsheet(small).pages == 1
