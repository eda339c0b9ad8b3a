"""What a warehouse publishes, comparable across runs: every mart's rows without run-specific columns."""

from __future__ import annotations

from pathlib import Path

import duckdb

RUN_COLUMNS = {
    "run_id", "loaded_at", "first_seen_at", "quarantined_at", "started_at", "finished_at", "recorded_at",
    "last_arrival",  # dq_freshness: when the newest file of a source was first seen
}
"""Columns that name or time the run that wrote a row: two runs that publish the same data differ only there."""
HISTORY_MARTS = {"dq_runs", "dq_file_changes", "dq_check_results", "dq_checks_by_run"}
"""Marts that record the runs themselves (one row per run or change), not what raw/ holds."""


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """mart → its sorted rows, run-specific columns left out."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        ).fetchall()]
        found = {}
        for table in tables:
            if table in HISTORY_MARTS:
                continue
            columns = [row[0] for row in con.execute(
                "select column_name from information_schema.columns where table_schema = 'marts'"
                " and table_name = ? order by ordinal_position", [table]
            ).fetchall() if row[0] not in RUN_COLUMNS]
            listed = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f'select {listed} from marts."{table}"').fetchall()
            found[table] = sorted(rows, key=repr)
    return found


def observation_values(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select d.source_path, f.row_label, f.column_label, f.value from marts.fct_indicator_observation f"
            " join marts.dim_document d using (document_id) order by all"
        ).fetchall()
