"""File lifecycle end to end: restore, delete, garbage-then-restore leave what a fresh run on the final raw/ builds.

Real Prefect flow, real dbt build, real DuckDB file; small generated GSO exports.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.faults.inputs import pxweb_csv
from tests.faults.marts import observation_values, snapshot

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults-lifecycle")]


def _run(raw: Path, warehouse: Path, **options):  # type: ignore[no-untyped-def]
    from flows.nightly import nightly

    return nightly(raw_dir=str(raw), warehouse=str(warehouse), **options)


def _fresh(raw: Path, tmp_path: Path) -> Path:
    """A warehouse built in one run from a copy of `raw` as it is now."""
    copy, warehouse = tmp_path / "fresh-raw", tmp_path / "fresh" / "w.duckdb"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.rmtree(warehouse.parent, ignore_errors=True)
    shutil.copytree(raw, copy)
    assert _run(copy, warehouse).published
    return warehouse


def test_restore_delete_and_garbage_then_restore_equal_a_fresh_run(tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "w" / "chiso.duckdb"
    pxweb_csv(raw / "a" / "population.csv")
    pxweb_csv(raw / "b" / "other.csv", "1.5", "2.5")
    assert _run(raw, warehouse).published
    original = observation_values(warehouse)

    pxweb_csv(raw / "a" / "population.csv", "9000.0")  # a newer version ...
    assert _run(raw, warehouse).published
    pxweb_csv(raw / "a" / "population.csv")  # ... and the earlier one put back
    restored = _run(raw, warehouse)
    assert restored.documents_new == 1
    assert "a/population.csv: an earlier version restored, republished" in restored.render()
    assert observation_values(warehouse) == original

    (raw / "b" / "other.csv").unlink()
    deleted = _run(raw, warehouse)
    assert deleted.published and "b/other.csv: deleted from raw/, its observations retracted" in deleted.render()
    assert {row[0] for row in observation_values(warehouse)} == {"a/population.csv"}
    assert snapshot(warehouse) == snapshot(_fresh(raw, tmp_path))

    (raw / "a" / "population.csv").write_bytes(b"\x00\x01 not a table")  # garbage ...
    garbage = _run(raw, warehouse)
    assert garbage.documents_quarantined == 1 and not observation_values(warehouse)
    pxweb_csv(raw / "a" / "population.csv")  # ... then the good version again
    back = _run(raw, warehouse)
    assert back.published and back.documents_loaded == 1
    assert snapshot(warehouse) == snapshot(_fresh(raw, tmp_path))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = con.execute(
            "select documents_changed, documents_restored, documents_retracted from marts.dq_runs order by started_at"
        ).fetchall()
        changes = con.execute("select change, source_path from marts.dq_file_changes where change <> 'new'"
                              " order by recorded_at").fetchall()
    assert runs == [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 0, 0), (0, 1, 0)]
    assert changes == [
        ("changed", "a/population.csv"), ("restored", "a/population.csv"), ("retracted", "b/other.csv"),
        ("changed", "a/population.csv"), ("restored", "a/population.csv"),
    ]


def test_keep_leaves_a_deleted_files_observations_and_marks_them(tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "w" / "chiso.duckdb"
    pxweb_csv(raw / "population.csv")
    assert _run(raw, warehouse).published
    before = observation_values(warehouse)
    (raw / "population.csv").unlink()
    kept = _run(raw, warehouse, on_deleted="keep")
    assert "population.csv: deleted from raw/, its observations kept and marked" in kept.render()
    assert observation_values(warehouse) == before
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marks = con.execute("select warning from marts.dq_document_warnings").fetchall()
        counted = con.execute("select documents_kept_deleted from marts.dq_runs order by started_at").fetchall()
    assert marks == [("its source file was deleted from raw/; its observations are kept (on_deleted = keep)",)]
    assert counted == [(0,), (1,)]
    assert not _run(raw, warehouse, on_deleted="keep").published  # marked once: nothing new the next night
