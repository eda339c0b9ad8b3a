"""Observations from tables, measured against the corpus ground truth.

For each truth `table_cell` row of a spreadsheet (and of the born-digital
PDF's appendix tables) there must be an observation with the same page,
row label, column label, value and period end.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from chiso.interpret.tables import join_continuations, structure_table, table_observations
from chiso.interpret.tables.cells import cell_number
from chiso.model import Observation, RawTable
from chiso.read.sheets.reader import read_spreadsheet

SPREADSHEETS = [
    "haiduong_bieu01_bi-thu-chi-bo-truong-thon_31-7-2022.xlsx",
    "haiduong_bieu03_dao-tao-boi-duong_2015-2020.xls",
    "haiduong_bieu06_luan-chuyen-can-bo_2016-2021.xlsx",
    "haiduong_chi-so-cchc-2022_SYNTHETIC.xlsx",
    "haiduong_chi-so-cchc-2022_ubnd-cap-huyen_SYNTHETIC.xls",
]
PDF = "haiduong_tong-ket-de-an-01_2022.pdf"
PDF_DATA_DATE = date(2022, 6, 30)
"""The report's data date ("đến 30/6/2022"), which its undated Biểu số 2 takes."""


def _observations(raw_tables: list[RawTable], data_date: date | None) -> list[Observation]:
    tables = join_continuations([t for t in (structure_table(raw) for raw in raw_tables) if t is not None])
    return [obs for table in tables for obs in table_observations(table, data_date)]


def _score(corpus: Path, name: str, observations: list[Observation]) -> tuple[int, int, int]:
    """(matched, truth rows, unit mismatches) for one document."""
    index: dict[tuple, list[Observation]] = defaultdict(list)
    for obs in observations:
        index[(obs.page, obs.row_label, obs.column_label)].append(obs)
    with open(corpus / "truth" / f"{name}.csv", newline="", encoding="utf-8") as handle:
        truth = [row for row in csv.DictReader(handle) if row["kind"] == "table_cell"]
    matched = units = 0
    for row in truth:
        candidates = [
            obs
            for obs in index.get((int(row["page"]), row["row_label"], row["column_label"]), [])
            if abs(obs.value - float(row["value"])) < 1e-9 and str(obs.period_end) == row["period_end"]
        ]
        matched += bool(candidates)
        units += bool(candidates) and all(obs.unit != row["unit"] for obs in candidates)
    return matched, len(truth), units


def test_spreadsheets_reproduce_the_truth(corpus: Path) -> None:
    total = found = unit_errors = 0
    for name in SPREADSHEETS:
        observations = _observations(read_spreadsheet(corpus / "xlsx" / name).tables, None)
        matched, expected, units = _score(corpus, name, observations)
        print(f"{name}: {matched}/{expected} = {100 * matched / expected:.1f}% ({len(observations)} observations)")
        total += expected
        found += matched
        unit_errors += units
    print(f"spreadsheets overall: {found}/{total} = {100 * found / total:.1f}%")
    assert found / total >= 0.95
    assert unit_errors == 0


def test_pdf_grids_reproduce_the_truth(corpus: Path) -> None:
    pdf = pytest.importorskip("chiso.read.pdf.reader")
    observations = _observations(pdf.read_pdf(corpus / "pdf" / PDF).tables, PDF_DATA_DATE)
    matched, expected, units = _score(corpus, PDF, observations)
    print(f"{PDF} (table cells): {matched}/{expected} = {100 * matched / expected:.1f}%")
    assert matched / expected >= 0.95 and units == 0


def _single_table(rows: list[list[str | None]], context: list[str]) -> list[Observation]:
    table = structure_table(RawTable(rows=rows, page=1, method="pdf_table", context=context))
    assert table is not None
    return table_observations(table, date(2023, 3, 1))


def test_blank_is_no_fact_but_zero_is() -> None:
    rows = [
        ["TT", "Đơn vị", "Tổng số", "Tỷ lệ"],
        ["1", "Huyện ủy Kim Thành", "0", ""],
        ["2", "Huyện ủy Tứ Kỳ", "-", "47,7"],
    ]
    observations = _single_table(rows, [])
    assert [(o.row_label, o.column_label, o.value, o.unit) for o in observations] == [
        ("Huyện ủy Kim Thành", "Tổng số", 0.0, "count"),
        ("Huyện ủy Tứ Kỳ", "Tỷ lệ", 47.7, "percent"),
    ]
    first = observations[0]
    assert first.entity_level == "unresolved" and first.province is None
    assert first.period_end == date(2023, 3, 1), "no date in the table: the report's data date"


def test_column_year_dates_its_column_and_ranks_are_counts() -> None:
    rows = [
        ["STT", "Đơn vị", "Điểm năm 2019", "Điểm năm 2020", "Xếp hạng"],
        ["1", "Sở Nội vụ", "80,5", "85,25", "1"],
    ]
    observations = _single_table(rows, ["Chỉ số CCHC"])
    assert [(o.period_start, o.period_end, o.unit) for o in observations] == [
        (date(2019, 1, 1), date(2019, 12, 31), "score"),
        (date(2020, 1, 1), date(2020, 12, 31), "score"),
        (None, date(2023, 3, 1), "count"),
    ]
    assert observations[1].source_text == "85,25" and observations[1].value == 85.25


def test_as_of_date_and_money_unit_from_context() -> None:
    rows = [
        ["STT", "Tỉnh, thành phố", "Tổng thu", "Tỷ lệ (%) phân chia"],
        ["", "TỔNG SỐ", "(1)     419.278.223", ""],
        ["I", "ĐÔNG BẮC", "30164708", ""],
        ["1", "\xa0QUẢNG NINH", "16317121", "76"],
    ]
    observations = _single_table(rows, ["Tính đến 30/6/2022", "Đơn vị tính: Triệu đồng"])
    assert [(o.row_label, o.value, o.unit, o.is_total) for o in observations] == [
        ("TỔNG SỐ", 419278223.0, "amount", True),
        ("ĐÔNG BẮC", 30164708.0, "amount", True),
        ("QUẢNG NINH", 16317121.0, "amount", False),
        ("QUẢNG NINH", 76.0, "percent", False),
    ]
    assert {o.period_end for o in observations} == {date(2022, 6, 30)}


def _ratio_table(codes: list[str], ratio_header: str = "Tỷ lệ (%)") -> list[Observation]:
    rows = [
        ["TT", "Đơn vị", "Tổng số chi bộ", "Tổng số chi bộ đạt trong sạch vững mạnh", ratio_header],
        codes,
        ["1", "Huyện ủy Kim Thành", "40", "30", "75"],
        ["2", "Huyện ủy Gia Lộc", "50", "45", "90"],
    ]
    table = structure_table(RawTable(rows, 1, "pdf_table"))  # type: ignore[arg-type]
    assert table is not None
    return table_observations(table, date(2022, 7, 31))


def test_a_bare_share_column_is_named_by_the_column_its_formula_divides():
    """'Tỷ lệ (%)' coded '3=2/1' is the share of column 2's measure; the printed header stays the column label."""
    found = _ratio_table(["A", "B", "1", "2", "3=2/1"])
    share = {o.indicator_label for o in found if o.column_label == "Tỷ lệ (%)"}
    assert share == {"Tỷ lệ chi bộ đạt trong sạch vững mạnh"}
    assert {o.indicator_label for o in found if o.column_label != "Tỷ lệ (%)"} == {
        "Tổng số chi bộ", "Tổng số chi bộ đạt trong sạch vững mạnh"}


def test_a_share_column_without_a_formula_or_with_a_named_header_keeps_its_header():
    assert {o.indicator_label for o in _ratio_table(["A", "B", "1", "2", "3"]) if o.column_label == "Tỷ lệ (%)"} == {
        "Tỷ lệ (%)"}
    named = "Tỷ lệ đảng viên"
    assert {o.indicator_label for o in _ratio_table(["A", "B", "1", "2", "3=2/1"], named)
            if o.column_label == named} == {named}


def test_a_cell_that_shows_its_working_is_the_result_it_prints() -> None:
    """Lâm Đồng's Tờ trình 511 (a scan) assesses criteria with cells like '(319*100)/3.872.999 = 0.0082%':
    the printed result is the figure, so the row is data, not a header level that every column label
    would carry; 'trọng điểm' (a hotspot) in a caption makes no table a score table; a column code stays a code."""
    rows = [
        ["Tiêu chí xác định địa bàn cấp tỉnh trọng điểm phức tạp về ma túy", "Số liệu đánh giá của địa phương",
         "Đánh giá", None],
        [None, None, "Đạt", "Không đạt"],
        ["Tỷ lệ người nghiện có hồ sơ quản lý so với số nhân khẩu", "(1283*100)/3.872.999 =().0331%", "", "X"],
        ["Có từ 5 điểm tổ chức sử dụng trái phép chất ma túy trở lên", "00", "", "X"],
        ["Tỷ lệ số xã trọng điểm phức tạp về ma túy loại I, II", "01 xã loại II/ 124 xã = 0,8%", "", "X"],
    ]
    observations = _single_table(rows, [])
    assert [(o.value, o.unit, o.column_label) for o in observations] == [
        (0.0331, "percent", "Số liệu đánh giá của địa phương"),  # OCR's '()' for a serif 0, after the '='
        (0.0, "count", "Số liệu đánh giá của địa phương"),
        (0.8, "percent", "Số liệu đánh giá của địa phương"),
    ]
    assert cell_number("4=3/2") is None and cell_number("5=3") is None and cell_number("= 12") is None
