"""The no-op night, decided and recorded without starting an orchestrator.

Most nights bring nothing new. Deciding that needs only the raw folder's
content hashes and the hashes the warehouse already holds (0.3 s); starting
Prefect to learn it cost ~6 s more (its import, an ephemeral API, its exit).
So `chiso run` looks first: when every file's content is already registered,
it records the run in `landing.runs` and exits; only a night with new content
starts the flow, which plans the run itself (chiso.batch.plan_run).

Only `duckdb` and the standard library are imported here, on purpose: the
whole check, from the command line, is what a no-op night costs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from chiso.discover import discover
from chiso.lock import WarehouseLock


@dataclass(frozen=True)
class Look:
    """What the raw folder holds against the warehouse."""

    seen: int
    new: int
    """Files whose content the warehouse has never registered (in any state)."""
    ignored: list[str] = field(default_factory=list)


def known_hashes(warehouse: Path) -> set[str]:
    """Content hashes of every document the published warehouse registered (loaded, held, rejected, superseded)."""
    if not warehouse.exists():
        return set()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        has_documents = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'landing' and table_name = 'documents'"
        ).fetchone()[0]
        if not has_documents:
            return set()
        return {row[0] for row in con.execute("select document_id from landing.documents").fetchall()}


def look(raw_dir: Path, warehouse: Path) -> Look:
    discovery = discover(raw_dir)
    known = known_hashes(warehouse)
    new = {source.sha256 for source in discovery.files} - known
    return Look(len(discovery.files), len(new), discovery.ignored)


_RECORD_SQL = (
    "insert into landing.runs (run_id, started_at, finished_at, documents_seen, documents_new, documents_loaded,"
    " documents_quarantined, observations_loaded, checks_failed, observations_flagged, observations_held)"
    " values (?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0)"
)


def record_noop(warehouse: Path, run_id: str, started: datetime, finished: datetime, seen: int) -> bool:
    """Add the no-op night to `landing.runs` of the published warehouse; False when there is none yet.

    One insert in one transaction, under the run's writer lock. When a reader's
    process has the file open (DuckDB then refuses a writer), the record is
    written to a copy that replaces the file atomically, as a loading run does.
    `marts.dq_runs` shows it after the next dbt build; `chiso status` reads
    `landing.runs` and shows it at once.
    """
    if not warehouse.exists():
        return False
    values = [run_id, started, finished, seen]
    try:
        with duckdb.connect(str(warehouse)) as con:
            con.execute(_RECORD_SQL, values)
        return True
    except duckdb.IOException:
        from chiso.load import building_path, discard, publish, stage_warehouse

        building = stage_warehouse(warehouse)
        try:
            with duckdb.connect(str(building)) as con:
                con.execute(_RECORD_SQL, values)
            publish(building, warehouse)
        except BaseException:
            discard(building_path(warehouse))
            raise
        return True


def nothing_new(raw_dir: Path, warehouse: Path, wait: float = 0.0) -> str | None:
    """The no-op night's report when the raw folder holds nothing new (the run recorded), else None.

    Holds the writer lock while it looks and records, so a night that is
    loading cannot publish between the two.
    """
    started = datetime.now()
    warehouse = warehouse.resolve()
    with WarehouseLock(warehouse, wait):
        found = look(raw_dir.resolve(), warehouse)
        if found.new:
            return None
        run_id = str(uuid.uuid4())
        recorded = record_noop(warehouse, run_id, started, datetime.now(), found.seen)
    lines = [
        f"chiso run {run_id}",
        f"  documents seen: {found.seen}  new: 0 (every file's content is already registered)",
        *(f"  ignored (unsupported type): {name}" for name in found.ignored),
        f"  nothing new: warehouse unchanged ({warehouse})"
        + ("; run recorded" if recorded else "; no warehouse yet, nothing recorded"),
    ]
    return "\n".join(lines)
