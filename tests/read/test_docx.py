"""Word reports: a generated .docx read by the registry's docx reader, through chiso.extract and a real run."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pytest

import chiso
from chiso.model import BadInputError
from chiso.read.docx.reader import read_docx
from tests.read.docx_report import CELLS, DISTRICTS, PARTY_MEMBERS, write_report

AS_OF = date(2022, 7, 31)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(tmp_path_factory.mktemp("docx") / "haiduong_bao-cao-dang-vien_2022.docx")


def test_paragraphs_are_prose_and_merged_header_cells_are_none(report: Path) -> None:
    document = read_docx(report)
    assert document.format == "docx" and not document.warnings
    prose = {block.page: block.text for block in document.texts if block.method == "docx_text"}
    [page] = [page for page, text in prose.items() if "108.764 đảng viên" in text]
    assert page is not None and page > 1  # the paragraph's number in the body, its locator
    [table] = document.tables
    assert table.method == "docx_table" and table.page == max(prose)  # after its caption paragraphs
    assert table.context[-3:] == ["Biểu số 2", "SỐ LƯỢNG ĐẢNG VIÊN CỦA CÁC HUYỆN ỦY", "(Tính đến 31/7/2022)"]
    assert table.rows[0] == ["STT", "Đơn vị", "Số đảng viên", None]  # spans two columns
    assert table.rows[1] == [None, None, "Tổng số", "Trong đó nữ"]  # merged down from the first row
    assert table.rows[2] == ["1", "2", "3", "4"]
    assert table.rows[-1][:2] == ["Cộng", None]


def test_extract_reads_sentences_and_table_cells_with_provenance(report: Path) -> None:
    frame = chiso.extract(report)
    sentences = frame.filter(frame["extraction_method"] == "docx_text")
    members = sentences.filter(sentences["value"] == PARTY_MEMBERS).row(0, named=True)
    assert (members["indicator_code"], members["unit"], members["entity_name"]) == ("dang_vien", "count", "Hải Dương")
    assert "108.764 đảng viên" in members["source_text"] and members["page"] is not None
    assert CELLS in sentences["value"].to_list()

    cells = frame.filter(frame["extraction_method"] == "docx_table")
    label, members_count, _ = DISTRICTS[0]
    cell = cells.filter((cells["row_label"] == label) & (cells["column_code"] == "3")).row(0, named=True)
    assert cell["value"] == members_count and cell["entity_name"] == "Kim Thành" and cell["entity_level"] == "district"
    assert (cell["table_ref"], cell["column_label"], cell["period_end"]) == ("Biểu số 2", "Số đảng viên / Tổng số", AS_OF)
    total = cells.filter(cells["is_total"] & (cells["column_code"] == "3")).row(0, named=True)
    assert total["row_label"] == "Cộng" and total["value"] == sum(m for _, m, _ in DISTRICTS)
    assert total["entity_level"] == "province" and total["quality_flag"] is None
    assert cells.height == 2 * (len(DISTRICTS) + 1)


def test_an_appendix_sent_alone_is_read(tmp_path: Path) -> None:
    """No letterhead, no "BÁO CÁO": the table comes first and is still a table of figures."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    for r, row in enumerate([("STT", "Đơn vị", "Số chi bộ"), ("1", "Huyện ủy Kim Thành", "120"),
                             ("2", "Huyện ủy Nam Sách", "98"), ("", "Cộng", "218")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(tmp_path / "bieu.docx"))
    [raw] = read_docx(tmp_path / "bieu.docx").tables
    assert raw.page is None and raw.rows[1] == ["1", "Huyện ủy Kim Thành", "120"]
    frame = chiso.extract(tmp_path / "bieu.docx", validate=False)
    assert sorted(frame["value"].to_list()) == [98.0, 120.0, 218.0]


def test_a_total_that_contradicts_its_rows_holds_the_document(tmp_path: Path) -> None:
    """A born-digital count table whose "Cộng" is not the sum of its rows is an altered copy, as in a PDF."""
    altered = write_report(tmp_path / "altered.docx", total=9_999)
    assert chiso.extract(altered, validate=False).height > 0
    assert chiso.extract(altered).height == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "Excel workbook named .docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "old binary .doc"),
        (b"PK\x03\x04 truncated", "corrupt Word document"),
        (b"plain text", "not a Word document"),
    ],
)
def test_what_is_not_a_word_document_is_refused_with_a_reason(tmp_path: Path, content: bytes | None, reason: str) -> None:
    path = tmp_path / "bao-cao.docx"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
    else:
        path.write_bytes(content)
    with pytest.raises(BadInputError, match=reason):
        chiso.extract(path, validate=False)


@pytest.mark.slow
@pytest.mark.xdist_group("flow")
def test_a_nightly_run_publishes_a_word_report_with_provenance(tmp_path: Path) -> None:
    from flows.nightly import nightly

    raw, warehouse = tmp_path / "raw", tmp_path / "w.duckdb"
    raw.mkdir()
    write_report(raw / "haiduong_bao-cao-dang-vien_2022.docx")
    write_report(raw / "haiduong_bao-cao-dang-vien_2022_ban-sua.docx", total=9_999)
    (raw / "hong.docx").write_bytes(b"PK\x03\x04 truncated")
    summary = nightly(raw_dir=str(raw), warehouse=str(warehouse))
    assert summary.published and summary.error is None
    assert summary.documents_loaded == 1
    reasons = {item.source_file: item.reason for item in summary.quarantined}
    assert "corrupt Word document" in reasons["hong.docx"]
    assert "Biểu số 2" in reasons["haiduong_bao-cao-dang-vien_2022_ban-sua.docx"]

    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            """
            select f.value, f.extraction_method, f.page, f.table_ref, f.row_label, f.column_label,
                   e.name_vi, e.gso_code, d.format, d.source_file
            from marts.fct_indicator_observation f
            join marts.dim_entity e using (entity_id)
            join marts.dim_document d using (document_id)
            order by f.extraction_method, f.value
            """
        ).fetchall()
    assert {row[9] for row in rows} == {"haiduong_bao-cao-dang-vien_2022.docx"}
    assert {row[8] for row in rows} == {"docx"}
    prose = [row for row in rows if row[1] == "docx_text"]
    assert (PARTY_MEMBERS, "Hải Dương") in {(row[0], row[6]) for row in prose}
    assert all(row[2] is not None for row in prose)
    label, members_count, _ = DISTRICTS[0]
    [cell] = [row for row in rows if row[4] == label and row[5] == "Số đảng viên / Tổng số"]
    assert cell[0] == members_count and cell[3] == "Biểu số 2" and cell[6] == "Kim Thành" and cell[7]
