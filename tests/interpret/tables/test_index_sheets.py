"""PCI and PAPI workbooks: one dated score per province, index year and sub-index.

The expected values are read from the sheets here with xlrd/openpyxl alone,
independently of chiso's readers. Where the summary sheet is a league table
(each sub-index sorted on its own, its province column repeated), the value
is taken from the single province's row the sheet prints under the league:
the table stage must attribute the league's figure to the same province.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
import xlrd

from chiso.interpret.tables import structure_table, table_observations
from chiso.interpret.tables.periods import file_period, header_period, sheet_period
from chiso.model import Observation
from chiso.normalize.text import fold
from chiso.read.sheets.reader import read_spreadsheet
from chiso.resolve.entities import resolve_label


def _rows(path: Path, sheet: str) -> list[list[object]]:
    if path.suffix == ".xls":
        return _xls_rows(path, sheet)
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [list(row) for row in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()


def _xls_rows(path: Path, sheet: str) -> list[list[object]]:
    book = xlrd.open_workbook(str(path)).sheet_by_name(sheet)
    return [book.row_values(r) for r in range(book.nrows)]


def _observations(path: Path, sheet: str | None = None) -> list[Observation]:
    """Every observation of the workbook (of one sheet, if named), dated by the file name as a last resort."""
    raw_tables = [raw for raw in read_spreadsheet(path).tables if sheet in (None, raw.sheet_name)]
    tables = [t for t in (structure_table(raw) for raw in raw_tables) if t is not None]
    return [obs for table in tables for obs in table_observations(table, None, file_period(path.name))]


def _column(rows: list[list[object]], caption: str) -> int:
    return next(j for j, cell in enumerate(rows[0]) if fold(str(cell or "")).strip() == fold(caption))


def _find(observations: list[Observation], province: str, year: int, header: str) -> list[Observation]:
    """The observations of one province, year and column."""
    target = resolve_label(province, None)
    assert target is not None and target.level == "province", province
    return [
        obs
        for obs in observations
        if obs.period_end == date(year, 12, 31)
        and fold(obs.indicator_label) == fold(header)
        and (entity := resolve_label(obs.row_label or "", None)) is not None
        and entity.name_vi == target.name_vi
    ]


def _one_score(found: list[Observation], value: float) -> None:
    assert len(found) == 1 and abs(found[0].value - value) < 1e-5, (found, value)
    assert found[0].unit == "score"


@pytest.fixture(scope="module")
def pci(real: Path) -> Path:
    folder = real / "pci"
    if not folder.is_dir():
        pytest.skip(f"PCI workbooks not found at {folder}")
    return folder


@pytest.mark.parametrize(
    ("name", "sheet", "caption"), [("PCI_2010.xls", "Tong hop", "PCI 2010"), ("PCI_2013.xlsx", "Summary_VN", "PCI 2013")]
)
def test_league_tables_give_each_score_to_its_own_province(pci: Path, name: str, sheet: str, caption: str) -> None:
    path = pci / name
    rows = _rows(path, sheet)
    column = _column(rows, caption)
    ranks = max(i for i, row in enumerate(rows) if fold(str(row[1] or "")) in ("thu tu", "xep hang"))
    province, value = str(rows[ranks - 1][1]), float(rows[ranks - 1][column])  # the row printed under the league
    observations = _observations(path, sheet)
    _one_score(_find(observations, province, file_period(name)[1].year, caption), value)
    assert all(obs.period_end is not None for obs in observations)
    assert not any(fold(obs.row_label or "") in ("thu tu", "median", "min", "max") for obs in observations)


def test_plain_summary_sheet(pci: Path) -> None:
    path = pci / "PCI_2006.xls"
    rows = _xls_rows(path, "PCI Tóm tắt")
    header = str(rows[1][12])
    row = next(r for r in rows if str(r[1]) == "Đà Nẵng")
    observations = _observations(path)
    _one_score(_find(observations, "Đà Nẵng", 2006, header), float(row[12]))
    assert all(obs.period_end is not None for obs in observations)
    assert not any(obs.period_end == date(2000, 12, 31) for obs in observations), "'so với năm 2000' is a base year"


def test_papi_years_come_from_sheet_names(real: Path) -> None:
    path = real / "papi" / "PAPI_2011-2016.xlsx"
    if not path.is_file():
        pytest.skip(f"PAPI workbook not found at {path}")
    assert file_period(path.name) is None, "a span in a file name dates nothing"
    rows = _rows(path, "2016_PAPI")
    names = _column(rows, "tentinh_vie")
    overall = len(rows[1]) - 1
    row = next(r for r in rows if r[names] == "Hà Nội")
    observations = _observations(path)
    _one_score(_find(observations, "Hà Nội", 2016, str(rows[1][overall])), float(row[overall]))
    assert {obs.period_end.year for obs in observations if obs.period_end} == set(range(2011, 2017))
    assert all(obs.period_end is not None for obs in observations)


def test_which_years_date_a_table() -> None:
    assert header_period(["Tỉnh", "Chỉ số CCHC năm 2022 (điểm)", "Xếp hạng"]) == (date(2022, 1, 1), date(2022, 12, 31))
    assert header_period(["PCI 2013", "PCI 2013 ranking"]) == (date(2013, 1, 1), date(2013, 12, 31))
    assert header_period(["% thay đổi số DNNN so với năm 2000 (%)"]) is None
    assert header_period(["Số Khu/cụm công nghiệp Bộ KHĐT (tháng 8 năm 2007)"]) is None
    assert header_period(["Số điện thoại năm 2007 Bộ Bưu chính viễn thông"]) is None
    assert header_period(["Số hội chợ 2004-2005 (Viettrade)", "Thời gian (ngày) c1_2005"]) is None
    assert sheet_period("2011_PAPI") == (date(2011, 1, 1), date(2011, 12, 31))
    assert file_period("PCI_2014.xlsx") == (date(2014, 1, 1), date(2014, 12, 31))
    assert file_period("bieu01_31-7-2022.xlsx") is None


def test_year_column_dates_each_row() -> None:
    from chiso.model import RawTable

    rows = [
        ["Tỉnh", "Năm", "Chỉ số PAPI"],
        ["Hà Nội", "2015", "35,1"],
        ["Hà Nội", "2016", "36,2"],
    ]
    table = structure_table(RawTable(rows=rows, page=1, method="xlsx"))
    assert table is not None
    observations = table_observations(table, None, (date(2020, 1, 1), date(2020, 12, 31)))
    assert [(o.value, o.period_end, o.unit) for o in observations] == [
        (35.1, date(2015, 12, 31), "score"),
        (36.2, date(2016, 12, 31), "score"),
    ]
