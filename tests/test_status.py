"""`chiso status` on a real warehouse file: last run, freshness per source folder, held counts."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from chiso.load.landing import ensure_landing
from chiso.status import read_status, render

NOW = datetime(2026, 3, 10, 7, 0)


def _warehouse(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        ensure_landing(con)
        docs = [
            ("d1", "mof/Plan_2015.xls", "loaded", NOW - timedelta(days=60)),
            ("d2", "mof/Plan_2016.xls", "quarantined", NOW - timedelta(days=50)),
            ("d3", "scanned/bieu04.pdf", "loaded", NOW - timedelta(hours=5)),
            ("d0", "scanned/bieu04.pdf", "superseded", NOW - timedelta(days=90)),
            ("d4", "top.txt", "rejected", NOW - timedelta(hours=5)),
        ]
        for doc_id, path_, status, seen in docs:
            con.execute("insert into landing.documents (document_id, source_path, status, first_seen_at)"
                        " values (?, ?, ?, ?)", [doc_id, path_, status, seen])
        con.execute("insert into landing.observations (document_id, period_end) values"
                    " ('d1', '2015-12-31'), ('d3', '2022-07-31'), ('d3', '2021-12-31')")
        con.execute(
            "insert into landing.quarantine (document_id, unit, cells_held, reason) values"
            " ('d2', 'document', 40, 'totals mismatch'), ('d3', 'row', 2, 'negative count'),"
            " ('d3', 'table', 12, 'no captions'), ('d4', 'document', null, 'empty file'),"
            " ('d0', 'document', 99, 'old version')"
        )
        con.execute(
            "insert into landing.runs (run_id, started_at, finished_at, documents_seen, documents_new,"
            " documents_loaded, documents_quarantined, observations_loaded, checks_failed) values"
            " ('r1', ?, ?, 4, 4, 2, 2, 300, 0), ('r2', ?, ?, 4, 0, 0, 0, 0, 0)",
            [NOW - timedelta(hours=5), NOW - timedelta(hours=5) + timedelta(seconds=40),
             NOW - timedelta(minutes=30), NOW - timedelta(minutes=30) + timedelta(seconds=0.3)],
        )
    return path


def test_status_reads_runs_sources_and_holds(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path / "w.duckdb")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        status = read_status(con)
    assert status.runs == 2
    assert status.last_run.run_id == "r2" and status.last_loading_run.run_id == "r1"
    by_name = {source.name: source for source in status.sources}
    assert set(by_name) == {"mof", "scanned", "."}
    assert by_name["mof"].documents == 2 and by_name["mof"].held_documents == 1
    assert by_name["scanned"].documents == 1  # the superseded version is not counted
    assert by_name["scanned"].latest_period == date(2022, 7, 31)
    assert by_name["scanned"].held_cells == 14
    # Held now: the altered copy and the unreadable file; the superseded version's hold is history.
    assert (status.held_documents, status.held_tables, status.held_cells) == (2, 1, 54)

    screen = render(status, str(warehouse), now=NOW)
    assert "last run:         2026-03-10 06:30 (30 min ago" in screen and "nothing new" in screen
    assert "last loading run: 2026-03-10 02:00 (5 h ago, 40.0 s): 4 files seen, 4 new: 2 loaded" in screen
    assert "held: 2 documents, 1 tables, 54 printed numbers" in screen
    mof_line = next(line for line in screen.splitlines() if line.strip().startswith("mof"))
    assert "50 days ago" in mof_line and mof_line.endswith("STALE")
    scanned_line = next(line for line in screen.splitlines() if line.strip().startswith("scanned"))
    assert "figures up to 2022-07-31" in scanned_line and "STALE" not in scanned_line


def test_status_command_on_an_empty_warehouse_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        ensure_landing(con)
    done = subprocess.run([sys.executable, "-m", "chiso.cli", "status", "--warehouse", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "no run recorded yet" in done.stdout
