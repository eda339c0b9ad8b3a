"""read_pdf on the corpus PDFs: ruled tables, page text, scanned pages and bad files."""

from __future__ import annotations

import csv
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from chiso.model import BadInputError, ExtractedDocument, RawTable
from chiso.normalize.numbers import parse_number
from chiso.normalize.text import fold
from chiso.read.pdf.reader import page_has_text_layer, read_pdf

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
REPORT = CORPUS / "pdf" / "haiduong_tong-ket-de-an-01_2022.pdf"
HATINH = CORPUS / "pdf" / "hatinh_dang-uy-khoi_tong-ket-xay-dung-tccsd_2021.pdf"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus folder missing: {CORPUS}")


@pytest.fixture(scope="module")
def report() -> ExtractedDocument:
    return read_pdf(REPORT)


def _tables_on(document: ExtractedDocument, page: int) -> list[RawTable]:
    return [table for table in document.tables if table.page == page]


def _row_labelled(table: RawTable, label: str) -> list[str | None] | None:
    return next((row for row in table.rows if fold(label) in (fold(c) for c in row)), None)


def test_report_has_one_table_per_appendix_page(report: ExtractedDocument) -> None:
    assert report.format == "pdf_text"
    assert report.pages == 7
    assert [table.page for table in report.tables] == [4, 5, 6, 7]
    assert all(table.method == "pdf_table" and table.bbox for table in report.tables)
    assert [block.page for block in report.texts] == [1, 2, 3, 4, 5, 6, 7]
    assert report.warnings == []


def test_table_context_is_the_title_block_in_reading_order(report: ExtractedDocument) -> None:
    assert report.tables[0].context == [
        "TỈNH ỦY HẢI DƯƠNG ĐẢNG CỘNG SẢN VIỆT NAM",
        "BAN TỔ CHỨC",
        "Hải Dương, ngày 04 tháng 8 năm 2022",
        "Biểu số 1",
        "BIỂU TỔNG HỢP",
        "Bí thư chi bộ đồng thời là trưởng thôn, KDC; trưởng thôn, KDC không phải là đảng",
        "viên",
        "(Tính đến 31/7/2022)",
    ]
    assert "Biểu số 2" in report.tables[1].context
    assert report.tables[2].context == ["Biểu số 2 (tiếp theo)"]
    assert "Biểu số 3" in report.tables[3].context


def test_merged_headers_and_totals_rows_are_kept(report: ExtractedDocument) -> None:
    bieu1 = report.tables[0]
    assert bieu1.rows[0][:5] == ["Số TT", "Tên đơn vị", "Tổng số thôn, KDC", "Tổng số chi bộ thôn, KDC",
                                 "Trong đó"]
    # Cells covered by the merged "Trong đó" caption are None, not forward-filled.
    assert bieu1.rows[0][5:8] == [None, None, None]
    assert bieu1.rows[2] == ["A", "B", "1", "2", "3", "4", "5", "6", "7", "8", "9=7/1"]
    assert bieu1.rows[-1] == ["", "Cộng", "1.333", "1.340", "1.324", "8", "0", "1", "1.263", "26", "95%"]
    assert _row_labelled(report.tables[3], "Tổng cộng") is not None


def test_continued_table_repeats_its_header_on_the_second_page(report: ExtractedDocument) -> None:
    first, continued = report.tables[1], report.tables[2]
    assert first.rows[:3] == continued.rows[:3]
    assert "Người hoạt động không chuyên trách thôn, KDC" in continued.rows[0]
    assert _row_labelled(first, "Cộng") is None
    assert _row_labelled(continued, "Cộng")[2:4] == ["5.112", "620"]


def test_every_truth_cell_is_in_a_grid_on_its_page(report: ExtractedDocument) -> None:
    with (CORPUS / "truth" / f"{REPORT.name}.csv").open(encoding="utf-8") as handle:
        cells = [row for row in csv.DictReader(handle) if row["kind"] == "table_cell"]
    assert len(cells) == 349
    for cell in cells:
        tables = _tables_on(report, int(cell["page"]))
        rows = [row for table in tables for row in table.rows
                if fold(cell["row_label"]) in (fold(c) for c in row)]
        assert rows, f"row {cell['row_label']!r} missing on page {cell['page']}"
        values = {parsed.value for row in rows for c in row if (parsed := parse_number(c))}
        assert float(cell["value"]) in values, cell
        headers = {fold(c) for table in tables for row in table.rows[:3] for c in row}
        for level in cell["column_label"].split(" / "):
            assert fold(level) in headers, cell["column_label"]


def test_page_text_leaves_out_table_cells(report: ExtractedDocument) -> None:
    page4 = report.texts[3].text
    assert "(Tính đến 31/7/2022)" in page4 and "NGƯỜI LẬP BIỂU TRƯỞNG BAN" in page4
    assert "Kim Thành" not in page4 and "1.333" not in page4
    page1 = report.texts[0].text
    assert "- Đảng bộ tỉnh hiện nay có 108.764 đảng viên, trong đó có 85.817 đảng viên đang" in page1


def test_footnote_markers_do_not_glue_to_the_sentence() -> None:
    document = read_pdf(HATINH)
    assert (document.format, document.pages, document.tables) == ("pdf_text", 2, [])
    page1 = document.texts[0].text.splitlines()
    assert page1[0] == "ĐẢNG BỘ TỈNH HÀ TĨNH ĐẢNG CỘNG SẢN VIỆT NAM"
    assert "sở. Các tổ chức đảng hoạt động trong 08 loại hình khác nhau; ban chấp hành đảng bộ," in page1
    assert any(line.startswith("Có 44 tổ chức cơ sở đảng trong cơ quan hành chính") for line in page1)
    assert "số đảng viên của Đảng bộ Khối hiện nay là 8.341 đảng viên." in page1


@pytest.mark.parametrize("name", ["haiduong_bieu04_can-bo-chu-chot_scan.pdf",
                                  "phongtho_489-BC-HU_trang1_scan.pdf"])
def test_scanned_pdf_is_routed_to_ocr(name: str) -> None:
    document = read_pdf(CORPUS / "scanned" / name)
    assert (document.format, document.pages) == ("pdf_scanned", 1)
    assert (document.texts, document.tables) == ([], [])
    assert document.warnings == ["page 1 has no text layer"]
    with pdfplumber.open(CORPUS / "scanned" / name) as pdf:
        assert not page_has_text_layer(pdf.pages[0])


def test_page_has_text_layer_accepts_pdfium_and_pdfplumber_pages() -> None:
    document = pdfium.PdfDocument(REPORT)
    try:
        assert page_has_text_layer(document[0])
    finally:
        document.close()
    with pdfplumber.open(REPORT) as pdf:
        assert page_has_text_layer(pdf.pages[0])


@pytest.mark.parametrize(("name", "reason"), [
    ("bieu-tong-hop-thang-8.pdf", "empty file (0 bytes)"),
    ("tong-ket-de-an-01_tai-ve-loi.pdf", "truncated or corrupt PDF ("),
    ("bao-cao-dang-uy-khoi-ha-tinh_mat-khau.pdf", "encrypted PDF, password required"),
])
def test_bad_pdfs_are_rejected_with_a_plain_reason(name: str, reason: str) -> None:
    with pytest.raises(BadInputError) as error:
        read_pdf(CORPUS / "bad" / name)
    assert str(error.value).startswith(reason)


@pytest.mark.parametrize(("content", "kind"), [
    ("Lỗi: không tìm thấy tệp yêu cầu.\n".encode(), "a text file"),
    (b"<!DOCTYPE html><html><body>404</body></html>", "an HTML page"),
    (b"PK\x03\x04" + bytes(60), "a ZIP archive or Office document"),
])
def test_mislabelled_file_names_its_real_kind(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "bieu.pdf"
    path.write_bytes(content)
    with pytest.raises(BadInputError, match=rf"^not a PDF \(looks like {kind}\)$"):
        read_pdf(path)


def test_pdf_cut_after_its_end_marker_check_still_fails_cleanly(tmp_path: Path) -> None:
    """A damaged body behind an intact trailer is reported as corrupt, not as a crash."""
    path = tmp_path / "hong.pdf"
    data = REPORT.read_bytes()
    path.write_bytes(data[:20] + bytes(len(data) // 2) + data[-200:])
    with pytest.raises(BadInputError, match=r"^truncated or corrupt PDF \("):
        read_pdf(path)
