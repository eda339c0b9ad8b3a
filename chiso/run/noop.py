"""The no-op night, decided and recorded without starting an orchestrator.

Most nights bring nothing new. Deciding that needs only the raw folder's
content hashes and the hashes the warehouse already holds (0.3 s); starting
Prefect to learn it cost ~6 s more (its import, an ephemeral API, its exit).
So `chiso run` looks first: when every file's content is already registered,
it records the run in `landing.runs`, rebuilds the data-quality report (so its
trend shows every night) and exits; only a night with new content starts the
flow, which plans the run itself (chiso.run.batch.plan_run). The flow's own
quiet branch, under `chiso serve`, records its night the same way.

Only `duckdb`, Polars, the run planner and, once the night is recorded, the
report builder are imported here, on purpose: the whole check, from the command
line, is what a no-op night costs. The plan is
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
    " documents_quarantined, observations_loaded, checks_failed, observations_flagged, observations_held,"
    " documents_changed, documents_restored, documents_retracted, documents_kept_deleted, files_ignored)"
    " values (?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ?)"
)


def _insert(con: duckdb.DuckDBPyConnection, values: list[object]) -> None:
    from chiso.load.landing import ensure_landing

    ensure_landing(con)  # a warehouse of an older release may lack the newer run columns
    con.execute(_RECORD_SQL, values)


def record_noop(
    warehouse: Path, run_id: str, started: datetime, finished: datetime, seen: int, ignored: int = 0
) -> bool:
    """Add the no-op night to `landing.runs` of the published warehouse; False when there is none yet.

    One insert in one transaction, under the run's writer lock, and nothing
    rebuilt: `marts.dq_runs` is a view over `landing.runs`, so the night is in
    the run history at once, for `chiso status`, SQL and the report alike. When
    a reader's process has the file open (DuckDB then refuses a writer), the
    record is written to a copy that replaces the file atomically, as a loading
    run does.
    """
    if not warehouse.exists():
        return False
    values: list[object] = [run_id, started, finished, seen, ignored]
    try:
        with duckdb.connect(str(warehouse)) as con:
            _insert(con, values)
        return True
    except duckdb.IOException:
        from chiso.load.build import Build

        build = Build.start(warehouse, run_id)  # the run's own build directory, as a loading run uses
        try:
            with duckdb.connect(str(build.stage(warehouse))) as con:
                _insert(con, values)
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
        recorded = record_noop(warehouse, run_id, started, datetime.now(), found.seen, len(found.ignored))
        problem = refresh_report(warehouse, raw_dir.resolve()) if recorded else None
    lines = [
        f"chiso run {run_id}",
        f"  documents seen: {found.seen}  new: 0 (every file's content is already registered)",
        *(f"  ignored (unsupported type): {name}" for name in found.ignored),
        f"  nothing new: warehouse unchanged ({warehouse})"
        + ("; run recorded" if recorded else "; no warehouse yet, nothing recorded"),
        *([f"  the quality report could not be rebuilt: {problem}"] if problem else []),
    ]
    return "\n".join(lines)


def refresh_report(warehouse: Path, raw_dir: Path) -> str | None:
    """Rebuild the data-quality report so its trend shows the night just recorded (~0.7 s on the sample);
    None, or why it could not be built: the night is recorded either way, and a report problem never
    fails a run."""
    from chiso.report import build_report

    try:
        build_report(warehouse, raw_dirs=[raw_dir])
    except Exception as error:  # noqa: BLE001 - the report is a view of the warehouse, never its gate
        return f"{type(error).__name__}: {error}"
    return None
