"""The no-op night, decided and recorded without starting an orchestrator.

Most nights bring nothing new. Deciding that needs only the raw folder's
content hashes and the hashes the warehouse already holds (0.3 s); starting
Prefect to learn it cost ~6 s more (its import, an ephemeral API, its exit).
So `chiso run` looks first: when every file's content is already registered,
it records the run in `landing.runs` and exits; only a night with new content
starts the flow, which plans the run itself (chiso.run.batch.plan_run).

Only `duckdb`, Polars and the run planner are imported here, on purpose: the
whole check, from the command line, is what a no-op night costs. The plan is
the flow's own (chiso.run.batch.plan_run), so a file put back to an earlier
version or deleted, and a catalog change, are never mistaken for a no-op.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from chiso.discover import discover
from chiso.run.lifecycle import OnDeleted
from chiso.run.lock import WarehouseLock


@dataclass(frozen=True)
class Look:
    """What the raw folder holds against the warehouse."""

    seen: int
    new: int
    """Files whose content the warehouse has never registered (in any state)."""
    ignored: list[str] = field(default_factory=list)
    changes: bool = False
    """Something else for a run to publish: a file restored or deleted (chiso.run.lifecycle), or a catalog
    change that re-reads the landed labels (chiso.indicators.remap), or marts to rebuild (chiso.load.increment)."""


def look(raw_dir: Path, warehouse: Path, on_deleted: OnDeleted = "retract") -> Look:
    """The raw folder against the warehouse, planned exactly as the flow plans its run."""
    from chiso.indicators.remap import catalog_outdated
    from chiso.load.increment import marts_outdated
    from chiso.load.warehouse import known_documents
    from chiso.run.batch import plan_run

    discovery = discover(raw_dir)
    plan = plan_run(discovery, known_documents(warehouse), on_deleted)
    changes = plan.changes_warehouse or catalog_outdated(warehouse) or marts_outdated(warehouse)
    return Look(len(discovery.files), len(plan.new), discovery.ignored, changes)


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
        from chiso.load.build import Build

        build = Build.start(warehouse, run_id)  # the run's own build directory, as a loading run uses
        try:
            with duckdb.connect(str(build.stage(warehouse))) as con:
                con.execute(_RECORD_SQL, values)
            build.publish(warehouse, warehouse.parent / "quarantine")
        except BaseException:
            build.discard()
            raise
        return True


def nothing_new(raw_dir: Path, warehouse: Path, wait: float = 0.0, on_deleted: OnDeleted = "retract") -> str | None:
    """The no-op night's report when the raw folder holds nothing new (the run recorded), else None.

    Holds the writer lock while it looks and records, so a night that is
    loading cannot publish between the two.
    """
    started = datetime.now()
    warehouse = warehouse.resolve()
    with WarehouseLock(warehouse, wait):
        found = look(raw_dir.resolve(), warehouse, on_deleted)
        if found.new or found.changes:
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
