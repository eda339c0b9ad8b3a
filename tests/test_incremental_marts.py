"""An incremental `dbt build` equals a full rebuild of the same landing tables, row for row.

A warehouse is built from generated documents; then two documents are
added, one replaced by a new version and one retracted, as the loader and
chiso.run.lifecycle do it, and the warehouse is built again incrementally.
A copy of it is rebuilt from its landing tables (`dbt build --full-refresh`);
every table of the marts must hold the same rows. The documents are chosen so
that the increment exercises what is not per-document: a bare column number
whose borrowed meaning changes because of the new documents (a document
that did not change must be rewritten), a figure two documents disagree on
(observation_conflicts), province figures harmonised over a merger.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from chiso.load.dbt import run_dbt
from chiso.load.landing import ensure_landing

pytestmark = pytest.mark.slow  # three dbt builds in subprocesses

SEEN = datetime(2024, 3, 1, 8, 0)
YEAR_END = date(2023, 12, 31)


def _document(doc_id: str, name: str, issued: date, status: str = "loaded") -> dict:
    return {
        "document_id": doc_id, "source_file": name, "source_path": f"xlsx/{name}", "format": "xlsx",
        "doc_number": None, "issuer": "Cục Thống kê", "issue_date": issued, "province": "Hà Giang",
        "title": "Biểu số 2", "pages": 1, "data_date": YEAR_END, "status": status, "first_seen_at": SEEN,
        "run_id": f"run-{doc_id}",
    }


def _observations(doc_id: str, rows: list[tuple[str, str, str, float, str, str]]) -> list[dict]:
    """rows: (indicator_code, label, column_code, value, entity, level) of one document, table 'Biểu số 2'."""
    return [
        {
            "observation_id": f"{doc_id}-{seq}", "document_id": doc_id, "seq": seq, "indicator_code": code,
            "breakdown": "", "indicator_label": label, "value": value, "unit": "count", "entity_name": entity,
            "entity_level": level, "province": "Hà Giang", "period_start": None, "period_end": YEAR_END, "page": 1,
            "table_ref": "Biểu số 2", "row_label": entity, "column_label": label, "column_code": column,
            "source_text": f"{label}: {value:g}", "extraction_method": "xlsx", "is_total": False,
            "quality_flag": None, "status": None, "run_id": f"run-{doc_id}", "loaded_at": SEEN,
        }
        for seq, (code, label, column, value, entity, level) in enumerate(rows)
    ]


PROVINCE = ("Hà Giang", "province")
DISTRICT = ("Vị Xuyên", "district")


def _rows(code: str, label: str, column: str, value: float) -> list[tuple[str, str, str, float, str, str]]:
    return [(code, label, column, value, *PROVINCE), (code, label, column, value / 10, *DISTRICT)]


FIRST = {  # document → its observations at the first build
    "d1": _rows("dan_so", "Dân số", "3", 850.0) + _rows("so_ho", "Số hộ", "4", 200.0),
    "d2": _rows("dan_so", "Dân số", "3", 851.0),  # disagrees with d1: a conflict
    "d3": _rows("so_ho", "Số hộ", "4", 201.0),  # retracted later
    "d4": _rows("cot_3", "Cột 3", "3", 860.0),  # a bare column number: borrows 'dan_so' from d1 and d2
}
ADDED = {  # two documents that print column 3 as another measure: the borrowed meaning changes
    "d5": _rows("so_lao_dong", "Số lao động", "3", 500.0),
    "d6": _rows("so_lao_dong", "Số lao động", "3", 501.0) + _rows("so_lao_dong", "Số lao động", "3", 502.0),
}
D2_NEW = _rows("dan_so", "Dân số", "3", 852.0)  # the same path, a corrected version: replaces d2


def _insert(con: duckdb.DuckDBPyConnection, documents: list[dict], observations: list[dict]) -> None:
    docs = pl.DataFrame(documents)  # noqa: F841 - read by DuckDB's replacement scan
    obs = pl.DataFrame(observations)  # noqa: F841 - read by DuckDB's replacement scan
    con.execute("insert into landing.documents by name select * from docs")
    con.execute("insert into landing.observations by name select * from obs")


def first_landing(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        ensure_landing(con)
        con.execute(
            "insert into landing.catalog_indicators values"
            " ('dan_so', 'Dân số', 'Population', 'count', 'population', '', true, '', true)"
        )
        documents = [_document(doc, f"{doc}.xlsx", date(2024, 1, int(doc[1]))) for doc in FIRST]
        _insert(con, documents, [row for doc, rows in FIRST.items() for row in _observations(doc, rows)])


def change_landing(path: Path) -> None:
    """What a night does to the landing tables: two new documents, d2 replaced, d3 retracted."""
    with duckdb.connect(str(path)) as con:
        con.execute("begin transaction")
        for old, status in (("d2", "superseded"), ("d3", "retracted")):
            con.execute("delete from landing.observations where document_id = ?", [old])
            con.execute("update landing.documents set status = ? where document_id = ?", [status, old])
        documents = [_document(doc, f"{doc}.xlsx", date(2024, 2, int(doc[1]))) for doc in ADDED]
        documents.append(_document("d2b", "d2.xlsx", date(2024, 2, 2)))
        observations = [row for doc, rows in ADDED.items() for row in _observations(doc, rows)]
        _insert(con, documents, observations + _observations("d2b", D2_NEW))
        con.execute("commit")


def marts(path: Path) -> dict[str, list[str]]:
    """Every table and view of the marts, its rows as sorted text."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        ).fetchall()]
        return {name: sorted(repr(row) for row in con.execute(f"select * from marts.{name}").fetchall()) for name in names}


def build(path: Path, target: Path, *args: str) -> None:
    result = run_dbt(["build", *args], path, target_dir=target)
    assert result.success, result.failures or result.log_tail


def test_increment_equals_full_rebuild(tmp_path: Path) -> None:
    target = tmp_path / "dbt-target"
    incremental = tmp_path / "incremental" / "chiso.duckdb"
    incremental.parent.mkdir()
    first_landing(incremental)
    build(incremental, target)
    with duckdb.connect(str(incremental), read_only=True) as con:
        before = dict(con.execute(
            "select document_id, indicator_code from marts.fct_indicator_observation where observation_id = 'd4-0'"
        ).fetchall())
    assert before == {"d4": "dan_so"}  # the bare column borrows the reading of d1 and d2

    change_landing(incremental)
    build(incremental, target)
    with duckdb.connect(str(incremental), read_only=True) as con:
        changed = dict(con.execute("select document_id, change from intermediate.int_changed_documents").fetchall())
        partition = dict(con.execute("select document_id, change from intermediate.int_fact_partition").fetchall())
        touched = {row[0] for row in con.execute("select indicator_code from intermediate.int_touched_indicators").fetchall()}
    # an increment, not a rebuild: only what changed was rewritten
    assert changed == {"d5": "landed", "d6": "landed", "d2b": "landed", "d2": "removed", "d3": "removed"}
    assert partition == {**changed, "d4": "landed"}  # d4 unchanged, but its column 3 now reads so_lao_dong
    assert touched == {"dan_so", "so_ho", "so_lao_dong"}

    # a full refresh of the same landing tables: every table rebuilt from scratch
    fresh = tmp_path / "fresh.duckdb"
    shutil.copy(incremental, fresh)
    build(fresh, tmp_path / "dbt-target-fresh", "--full-refresh")
    with duckdb.connect(str(fresh), read_only=True) as con:
        rewritten = {row[0] for row in con.execute("select document_id from intermediate.int_changed_documents").fetchall()}
    assert rewritten == {"d1", "d2b", "d4", "d5", "d6"}

    got, expected = marts(incremental), marts(fresh)
    assert got.keys() == expected.keys()
    for name in expected:
        assert got[name] == expected[name], name
    assert any("so_lao_dong" in row and "'d4'" in row for row in got["fct_indicator_observation"])
    assert len(got["observation_conflicts"]) > 0
