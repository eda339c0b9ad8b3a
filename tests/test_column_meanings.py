"""Bare column numbers borrow their meaning from the same table elsewhere (dbt int_column_meanings).

An OCR table whose header was not read prints "Cột 1", "Cột 2"… The fixture
has a born-digital Biểu số 3 (codes 1..3) and Biểu số 2 (code "9=7/1"), and
OCR copies of Biểu số 2 (with the column-number row), Biểu số 3 (without it:
by position) and Biểu số 4 (four columns where the lender has three: the OCR
lost or split a column, so position means nothing and nothing is borrowed).
Biểu số 5 is the same case with real figures: four OCR columns against three
printed ones, in another order, so the figures say which column is which.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from chiso.indicators.remap import land_catalog
from chiso.load.dbt import run_dbt
from chiso.load.landing import ensure_landing

pytestmark = pytest.mark.slow

LENDER = "a" * 64
OCR = "b" * 64
SEEN = datetime(2024, 3, 1, 8, 0)
DISTRICTS = ["Huyện ủy Kim Thành", "Huyện ủy Nam Sách"]

# (document, table, column label, column code, indicator code, breakdown)
COLUMNS = [
    (LENDER, "Biểu số 3", "Đào tạo chuyên môn / Đại học", "1", "can_bo_dao_tao", "qualification=đại học"),
    (LENDER, "Biểu số 3", "Đào tạo chuyên môn / Trung cấp", "2", "can_bo_dao_tao", "qualification=trung cấp"),
    (LENDER, "Biểu số 3", "Bồi dưỡng theo chức danh", "3", "can_bo_boi_duong", ""),
    (LENDER, "Biểu số 2", "Tỷ lệ đạt", "9=7/1", "ty_le_dat", ""),
    (LENDER, "Biểu số 4", "Tổng số", "1", "can_bo_chu_chot", ""),
    (LENDER, "Biểu số 4", "Nữ", "2", "can_bo_chu_chot", "sex=female"),
    (LENDER, "Biểu số 4", "Đảng viên", "3", "can_bo_chu_chot_dang_vien", ""),
    (OCR, "Biểu số 3", "Cột 1", None, "cot_1", ""),
    (OCR, "Biểu số 3", "Cột 2", None, "cot_2", ""),
    (OCR, "Biểu số 3", "Cột 3", None, "cot_3", ""),
    (OCR, "Biểu số 2", "Cột 9=7/1", "9=7/1", "cot_9_7_1", ""),
    *[(OCR, "Biểu số 4", f"Cột {n}", None, f"cot_{n}", "") for n in range(1, 5)],
]

FOUR = ["Kim Thành", "Nam Sách", "Gia Lộc", "Tứ Kỳ"]
# (document, table, column label, column code, indicator code, breakdown, figures of the four districts)
FIGURES = [
    (LENDER, "Biểu số 5", "Tổng số chi bộ", "1", "chi_bo", "", (41, 52, 37, 60)),
    (LENDER, "Biểu số 5", "Chi bộ trong sạch vững mạnh", "2", "chi_bo", "rating=trong sạch vững mạnh", (30, 44, 0, 51)),
    (LENDER, "Biểu số 5", "Đảng viên", "3", "dang_vien", "", (1200, 1530, 998, 1710)),
    (OCR, "Biểu số 5", "Cột 1", None, "cot_1", "", (30, 44, 0, 51)),  # the lender's column 2
    (OCR, "Biểu số 5", "Cột 2", None, "cot_2", "", (41, 52, 37, 60)),  # its column 1
    (OCR, "Biểu số 5", "Cột 3", None, "cot_3", "", (7, 9, 2, 11)),  # a column the lender does not print
    (OCR, "Biểu số 5", "Cột 4", None, "cot_4", "", (1200, 1530, 998, 1717)),  # column 3, one figure misread
]


def build_landing(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        ensure_landing(con)
        land_catalog(con)
        for doc, name, method in [(LENDER, "bieu.pdf", "pdf_table"), (OCR, "bao-cao.txt", "txt_ocr")]:
            con.execute(
                "insert into landing.documents (document_id, source_file, source_path, format, province, status,"
                " first_seen_at, run_id, issue_date) values (?, ?, ?, ?, 'Hải Dương', 'loaded', ?, 'run-1', ?)",
                [doc, name, name, method, SEEN, date(2022, 8, 4)],
            )
        cells = [(*column, district.removeprefix("Huyện ủy "), 3) for column in COLUMNS for district in DISTRICTS]
        cells += [(*column[:6], district, value) for column in FIGURES for district, value in zip(FOUR, column[6])]
        for seq, (doc, table, label, code, indicator, breakdown, district, value) in enumerate(cells):
            con.execute(
                "insert into landing.observations (observation_id, document_id, seq, indicator_code, breakdown,"
                " indicator_label, value, unit, entity_name, entity_level, province, period_end, page, table_ref,"
                " row_label, column_label, column_code, source_text, extraction_method, is_total, run_id, loaded_at)"
                " values (?, ?, ?, ?, ?, ?, ?, 'count', ?, 'district', 'Hải Dương', ?, 1, ?, ?, ?, ?, ?, ?,"
                " false, 'run-1', ?)",
                [f"{doc[:4]}-{seq}", doc, seq, indicator, breakdown, label, value, district,
                 date(2022, 7, 31), table, district, label, code, str(value),
                 "pdf_table" if doc == LENDER else "txt_ocr", SEEN],
            )
        con.execute(
            "insert into landing.runs (run_id, started_at, finished_at, documents_seen, documents_new,"
            " documents_loaded, documents_quarantined, observations_loaded, checks_failed)"
            " values ('run-1', ?, ?, 2, 2, 2, 0, ?, 0)",
            [SEEN, SEEN, len(cells)],
        )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("meanings") / "chiso.duckdb"
    build_landing(path)
    result = run_dbt(["build"], path, target_dir=path.parent / "target")
    assert result.success, result.failures or result.log_tail
    return path


def readings(path: Path, table: str) -> dict[str, tuple[str, str, bool]]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select distinct indicator_label, indicator_code, breakdown, is_borrowed_meaning"
            " from marts.fct_indicator_observation f join marts.dim_document d using (document_id)"
            " where d.source_file = 'bao-cao.txt' and f.table_ref = ?",
            [table],
        ).fetchall()
    return {label: (code, breakdown, borrowed) for label, code, breakdown, borrowed in rows}


def test_a_bare_column_with_its_printed_code_borrows_that_column(warehouse: Path) -> None:
    assert readings(warehouse, "Biểu số 2") == {"Cột 9=7/1": ("ty_le_dat", "", True)}


def test_a_bare_column_without_codes_borrows_by_position_from_a_table_of_its_width(warehouse: Path) -> None:
    assert readings(warehouse, "Biểu số 3") == {
        "Cột 1": ("can_bo_dao_tao", "qualification=đại học", True),
        "Cột 2": ("can_bo_dao_tao", "qualification=trung cấp", True),
        "Cột 3": ("can_bo_boi_duong", "", True),
    }


def test_position_means_nothing_when_the_widths_differ(warehouse: Path) -> None:
    """Four OCR columns against a printed table of three: no column is guessed, all stay listed as unmapped."""
    found = readings(warehouse, "Biểu số 4")
    assert len(found) == 4 and not any(borrowed for _, _, borrowed in found.values())
    with duckdb.connect(str(warehouse), read_only=True) as con:
        unmapped = {row[0] for row in con.execute("select indicator_code from marts.dq_unmapped_indicators").fetchall()}
    assert {"cot_1", "cot_4"} <= unmapped


def test_where_widths_differ_the_figures_say_which_column_is_which(warehouse: Path) -> None:
    """Columns agreeing on 3 or more non-zero figures (60% of theirs) take the lender's meaning; one
    misread figure does not stop it; a column the lender does not print stays unmapped."""
    assert readings(warehouse, "Biểu số 5") == {
        "Cột 1": ("chi_bo", "rating=trong sạch vững mạnh", True),
        "Cột 2": ("chi_bo", "", True),
        "Cột 3": ("cot_3", "", False),
        "Cột 4": ("dang_vien", "", True),
    }
    with duckdb.connect(str(warehouse), read_only=True) as con:
        label = con.execute(
            "select distinct meaning_label from marts.fct_indicator_observation where table_ref = 'Biểu số 5'"
            " and indicator_label = 'Cột 1' and is_borrowed_meaning"
        ).fetchall()
    assert label == [("Chi bộ trong sạch vững mạnh",)]
