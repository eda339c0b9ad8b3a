"""dbt models on a small landing fixture: schemas, keys, choices and the quality marts.

The fixture is built through chiso.load.landing.LANDING_DDL, the same DDL the loader
uses, and dbt runs in a subprocess via chiso.load.dbt.run_dbt, as in the flow.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from chiso.load.dbt import run_dbt
from chiso.load.landing import ensure_landing

pytestmark = pytest.mark.slow  # dbt runs in subprocesses: about 20 s for the module

DOC_A = "a" * 64  # Biểu số 1, issued 2022-08-04
DOC_B = "b" * 64  # a later correction, issued 2023-01-10
DOC_Q = "c" * 64  # quarantined by the gate: must not reach the marts
SEEN = datetime(2024, 3, 1, 8, 0)

DOCUMENTS = [
    (DOC_A, "haiduong_bieu01.xlsx", "xlsx/haiduong_bieu01.xlsx", "xlsx", "", "Ban Tổ chức Tỉnh ủy Hải Dương",
     date(2022, 8, 4), "Hải Dương", "Biểu số 1", 2, date(2022, 7, 31), "loaded", SEEN, "run-1"),
    (DOC_B, "haiduong_bieu01_sua.xlsx", "xlsx/haiduong_bieu01_sua.xlsx", "xlsx", "12/BC-TU", None,
     date(2023, 1, 10), "Hải Dương", "Biểu số 1 (sửa)", 1, None, "loaded", SEEN, "run-2"),
    (DOC_Q, "bieu06_ban-sao.xlsx", "bad/bieu06_ban-sao.xlsx", "xlsx", None, None,
     date(2022, 8, 4), "Hải Dương", "Biểu số 6", 2, None, "quarantined", SEEN, "run-2"),
]

JUL_31 = date(2022, 7, 31)
# (document, seq, code, label, value, unit, entity, level, row_label, method, is_total, flag)
OBSERVATIONS = [
    (DOC_A, 0, "so_chi_bo", "Số chi bộ", 100.0, "count", "Kim Thành", "district", "Huyện ủy Kim Thành", "xlsx", False, None),
    (DOC_A, 1, "so_chi_bo", "Số chi bộ", 120.0, "count", "Nam Sách", "district", "Huyện ủy Nam Sách", "xlsx", False, None),
    (DOC_A, 2, "so_chi_bo", "Số chi bộ", 220.0, "count", "Hải Dương", "province", "Cộng", "xlsx", True, None),
    (DOC_A, 3, "so_chi_bo", "số chi bộ", 220.0, "count", "Hải Dương", "province", None, "pdf_text", False, None),
    (DOC_A, 4, "ty_le", "Tỷ lệ", 53.7, "percent", "Kim Thành", "district", "Huyện ủy Kim Thành", "xlsx", False,
     "derived column 9=8/7 gives 53.5, printed 53.7"),
    (DOC_A, 5, "ty_le", "Tỷ lệ", 95.0, "percent", "KIM THANH", "district", "KIM THANH", "xlsx", False, None),
    (DOC_A, 6, "so_dang_vien", "Số đảng viên", 35.0, "count", "Sở Nội vụ", "agency", "Sở Nội vụ", "xlsx", False, None),
    (DOC_A, 7, "so_dang_vien", "Số đảng viên", 12.0, "count", "Xã Cộng Hòa", "commune", "Xã Cộng Hòa", "xlsx", False, None),
    (DOC_B, 0, "so_chi_bo", "Số chi bộ", 101.0, "count", "Kim Thành", "district", "Huyện ủy Kim Thành", "xlsx", False, None),
    (DOC_Q, 0, "so_chi_bo", "Số chi bộ", 157.0, "count", "Hải Dương", "province", "TỔNG", "xlsx", True, None),
]

QUARANTINE = [
    ("run-2", DOC_Q, "bieu06_ban-sao.xlsx", "validate", "totals mismatch: column 1, TỔNG 157 vs sum 156", SEEN),
    ("run-2", None, "bieu-tong-hop-thang-8.pdf", "read", "empty file (0 bytes)", SEEN),
]

RUNS = [
    ("run-1", datetime(2024, 3, 1, 8, 0), datetime(2024, 3, 1, 8, 1, 30), 1, 1, 1, 0, 8, 0),
    ("run-2", datetime(2024, 3, 2, 8, 0), datetime(2024, 3, 2, 8, 0, 10), 4, 3, 1, 2, 1, 1),
]


def build_landing(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        ensure_landing(con)
        con.executemany(f"insert into landing.documents values ({', '.join(['?'] * 14)})", DOCUMENTS)
        for doc, seq, code, label, value, unit, entity, level, row_label, method, is_total, flag in OBSERVATIONS:
            con.execute(
                "insert into landing.observations values "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'Hải Dương', null, ?, 1, 'Biểu số 1', ?, 'Tổng số', '1', ?, ?, ?, ?, ?, ?, null, '', null)",
                [f"{doc[:8]}-{seq}", doc, seq, code, label, value, unit, entity, level, JUL_31, row_label,
                 f"{label}: {value:g}", method, is_total, flag, "run-1", SEEN],
            )
        con.executemany(
            "insert into landing.quarantine (run_id, document_id, source_file, stage, reason, quarantined_at)"
            " values (?, ?, ?, ?, ?, ?)",
            QUARANTINE,
        )
        con.executemany(
            "insert into landing.runs (run_id, started_at, finished_at, documents_seen, documents_new,"
            " documents_loaded, documents_quarantined, observations_loaded, checks_failed)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            RUNS,
        )


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One dbt target dir for the module, so later runs reuse the parsed manifest."""
    return tmp_path_factory.mktemp("dbt-target")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, target: Path) -> tuple[Path, Path]:
    path = tmp_path_factory.mktemp("dbt") / "chiso.duckdb"
    build_landing(path)
    result = run_dbt(["build"], path, target_dir=target)
    assert result.success, result.failures or result.log_tail
    assert result.summary["ERROR"] == 0 and result.summary["PASS"] == result.summary["TOTAL"] > 40
    return path, target


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def entity_id(path: Path, name: str) -> str:
    """The district or province of that name (the 2025 map also has a commune 'Kim Thành')."""
    rows = query(path, "select entity_id from marts.dim_entity where name_vi = ? and level in ('district', 'province')", [name])
    assert len(rows) == 1, (name, rows)
    return rows[0][0]


def test_marts_are_in_schema_marts(warehouse: tuple[Path, Path]) -> None:
    path, _ = warehouse
    tables = {r[0] for r in query(path, "select table_name from information_schema.tables where table_schema = 'marts'")}
    assert tables == {
        "fct_indicator_observation", "dim_document", "dim_entity", "dim_indicator",
        "indicator_timeseries", "dq_quarantine", "dq_runs", "dq_observation_flags",
        "indicator_timeseries_harmonised", "observation_conflicts", "dq_unmapped_indicators", "dq_unresolved_labels", "dq_document_warnings",
        "dim_breakdown",
        "dq_document_outcomes", "dq_held_observations", "dq_file_changes",
        "dq_check_results", "dq_checks_by_run", "dq_coverage", "dq_freshness",
        "export_timeseries", "export_timeseries_harmonised", "export_sdmx", "export_sdmx_harmonised",
    }
    assert not query(path, "select 1 from information_schema.schemata where schema_name like 'main_%'")


def test_quarantined_document_is_not_published(warehouse: tuple[Path, Path]) -> None:
    path, _ = warehouse
    assert query(path, "select count(*) from marts.fct_indicator_observation") == [(9,)]
    assert query(path, "select count(*) from marts.fct_indicator_observation where document_id = ?", [DOC_Q]) == [(0,)]
    assert {r[0] for r in query(path, "select document_id from marts.dim_document")} == {DOC_A, DOC_B}


def test_entities_are_matched_without_accents_and_hang_under_their_province(warehouse: tuple[Path, Path]) -> None:
    path, _ = warehouse
    rows = query(
        path,
        "select name_vi, level, parent_entity_id from marts.dim_entity"
        " where entity_id in (select entity_id from marts.fct_indicator_observation) order by name_vi",
    )
    province = entity_id(path, "Hải Dương")
    assert rows == [
        ("Hải Dương", "province", None),
        ("Kim Thành", "district", province),  # 'KIM THANH' folds to the same entity
        ("Nam Sách", "district", province),
        ("Sở Nội vụ", "agency", province),
        ("Xã Cộng Hòa", "commune", None),
    ]


def test_indicator_takes_most_frequent_label(warehouse: tuple[Path, Path]) -> None:
    path, _ = warehouse
    rows = query(path, "select name_vi, unit, description from marts.dim_indicator where indicator_code = 'so_chi_bo'")
    assert rows[0][:2] == ("Số chi bộ", "count")
    assert rows[0][2] == "Printed in 2 document(s) as: Số chi bộ | số chi bộ"


def test_timeseries_prefers_latest_document_then_non_total(warehouse: tuple[Path, Path]) -> None:
    path, _ = warehouse
    sql = (
        "select value, document_id, is_total, n_candidates from marts.indicator_timeseries "
        "where indicator_code = 'so_chi_bo' and entity_id = ? and period_end = ?"
    )
    assert query(path, sql, [entity_id(path, "Kim Thành"), JUL_31]) == [(101.0, DOC_B, False, 2)]
    assert query(path, sql, [entity_id(path, "Hải Dương"), JUL_31]) == [(220.0, DOC_A, False, 2)]
    assert query(path, "select count(*) from marts.indicator_timeseries") == [(6,)]


def test_quality_marts(warehouse: tuple[Path, Path]) -> None:
    path, _ = warehouse
    assert query(path, "select source_file, stage, reason from marts.dq_quarantine order by stage") == [
        ("bieu-tong-hop-thang-8.pdf", "read", "empty file (0 bytes)"),
        ("bieu06_ban-sao.xlsx", "validate", "totals mismatch: column 1, TỔNG 157 vs sum 156"),
    ]
    assert query(path, "select run_id, duration_seconds from marts.dq_runs order by run_id") == [
        ("run-1", 90.0),
        ("run-2", 10.0),
    ]
    assert query(path, "select entity_name, value, quality_flag from marts.dq_observation_flags") == [
        ("Kim Thành", 53.7, "derived column 9=8/7 gives 53.5, printed 53.7")
    ]
    outcomes = query(
        path, "select source_file, status, cells_published, cells_flagged from marts.dq_document_outcomes order by 1"
    )
    assert [row for row in outcomes if row[1] == "loaded" and row[2]] and all(row[3] <= row[2] for row in outcomes)


def test_docs_generate(warehouse: tuple[Path, Path]) -> None:
    path, target = warehouse
    result = run_dbt(["docs", "generate"], path, target_dir=target)
    assert result.success, result.log_tail
    catalog = json.loads((target / "catalog.json").read_text("utf-8"))["nodes"]
    manifest = json.loads((target / "manifest.json").read_text("utf-8"))["nodes"]
    marts = [uid for uid, node in manifest.items() if node["resource_type"] == "model" and node["schema"] == "marts"]
    assert len(marts) == 25
    for uid in marts:  # every column analysts see in the warehouse is described
        described = {name for name, col in manifest[uid]["columns"].items() if col["description"].strip()}
        assert manifest[uid]["description"].strip(), uid
        assert set(catalog[uid]["columns"]) == described, uid


def test_failing_data_test_is_reported(tmp_path: Path, warehouse: tuple[Path, Path]) -> None:
    path = tmp_path / "chiso.duckdb"
    build_landing(path)
    with duckdb.connect(str(path)) as con:  # the loader appended a document twice
        con.execute("insert into landing.observations select * from landing.observations where document_id = ?", [DOC_B])
    result = run_dbt(["build", "--select", "+int_observations_keyed+1"], path, target_dir=warehouse[1])
    assert not result.success
    assert result.summary["ERROR"] == 1 and result.summary["SKIP"] >= 1  # the marts were not rebuilt
    assert any("unique_int_observations_keyed_observation_id" in f for f in result.failures)
