"""A night with nothing new: decided from content hashes, recorded, and Prefect never started."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from chiso.discover import sha256_of
from chiso.load.landing import ensure_landing
from chiso.run.noop import look, nothing_new, record_noop


@pytest.fixture()
def raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    (raw / "feed").mkdir(parents=True)
    (raw / "feed" / "a.txt").write_text("Đảng bộ tỉnh hiện nay có 108.764 đảng viên.\n", encoding="utf-8")
    (raw / "notes.odt").write_bytes(b"PK\x03\x04")
    return raw


def _warehouse_knowing(path: Path, hashes: list[str]) -> Path:
    """A warehouse whose only document is `feed/a.txt` with this content (the fixture's one file)."""
    with duckdb.connect(str(path)) as con:
        ensure_landing(con)
        for digest in hashes:
            con.execute(
                "insert into landing.documents (document_id, source_path, status) values (?, 'feed/a.txt', 'loaded')",
                [digest],
            )
    return path


def _runs(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select documents_seen, documents_new from landing.runs").fetchall()


def test_known_content_is_a_recorded_no_op(raw: Path, tmp_path: Path) -> None:
    warehouse = _warehouse_knowing(tmp_path / "w.duckdb", [sha256_of(raw / "feed" / "a.txt")])
    report = nothing_new(raw, warehouse)
    assert report is not None
    assert "documents seen: 1  new: 0" in report and "run recorded" in report
    assert "ignored (unsupported type): notes.odt" in report
    assert _runs(warehouse) == [(1, 0)]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select files_ignored from landing.runs").fetchall() == [(1,)]


def test_new_content_goes_to_the_flow_and_records_nothing(raw: Path, tmp_path: Path) -> None:
    warehouse = _warehouse_knowing(tmp_path / "w.duckdb", ["0" * 64])
    assert look(raw, warehouse).new == 1
    assert nothing_new(raw, warehouse) is None
    assert _runs(warehouse) == []


def test_an_empty_folder_without_a_warehouse_is_a_no_op_that_creates_nothing(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    report = nothing_new(tmp_path / "raw", tmp_path / "w.duckdb")
    assert report is not None and "no warehouse yet" in report
    assert not (tmp_path / "w.duckdb").exists()


def test_a_reader_holding_the_warehouse_does_not_stop_the_record(raw: Path, tmp_path: Path) -> None:
    """DuckDB refuses a writer while another process reads: the record goes through a copy and a rename."""
    warehouse = _warehouse_knowing(tmp_path / "w.duckdb", [sha256_of(raw / "feed" / "a.txt")])
    reader = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True);"
         " c.execute('select 1'); print('open', flush=True); time.sleep(30)", str(warehouse)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "open"
        assert record_noop(warehouse, "r1", datetime.now(), datetime.now(), 1)
    finally:
        reader.kill()
        reader.wait()
    assert _runs(warehouse) == [(1, 0)]


def test_the_cli_no_op_never_imports_prefect(raw: Path, tmp_path: Path) -> None:
    warehouse = _warehouse_knowing(tmp_path / "w.duckdb", [sha256_of(raw / "feed" / "a.txt")])
    code = ("import sys; from flows.cli import main; status = main(['run', '--raw-dir', sys.argv[1],"
            " '--warehouse', sys.argv[2]]); print('prefect loaded:', 'prefect' in sys.modules); sys.exit(status)")
    done = subprocess.run([sys.executable, "-c", code, str(raw), str(warehouse)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "nothing new" in done.stdout and "prefect loaded: False" in done.stdout
    assert _runs(warehouse) == [(1, 0)]


def test_a_missing_raw_folder_fails_in_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--raw-dir", str(tmp_path / "nope"), "--warehouse",
         str(tmp_path / "w.duckdb")], capture_output=True, text=True,
    )
    assert done.returncode == 1
    assert done.stderr.strip().startswith("chiso run failed: raw folder not found")
