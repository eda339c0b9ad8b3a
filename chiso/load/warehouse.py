"""Landing writes of the DuckDB warehouse, and what the published warehouse already holds.

Analysts keep reading the published file while a run works on a copy in its
own build directory (chiso.load.build); only when the load *and* `dbt build`
succeed is the copy moved over the published file in one atomic rename. A
failed run therefore leaves the last good warehouse exactly as it was, and
DuckDB's single-writer lock is never contended between the flow, dbt and readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from chiso.columns import Columns
from chiso.indicators.catalog import catalog_digest
from chiso.indicators.remap import land_catalog, remap
from chiso.load.contract import DOCUMENTS
from chiso.run import lifecycle

DOCUMENT_SCHEMA: Columns = DOCUMENTS.frame_schema()
"""Explicit, so a column that is empty in the first hundred documents is not mistyped."""


@dataclass(frozen=True)
class KnownDocuments:
    status_by_hash: dict[str, str]
    """sha256 → loaded | quarantined | rejected | superseded."""
    hash_by_path: dict[str, str]
    """relative source path → sha256 of its current (non-superseded) version."""
    path_by_hash: dict[str, str] = field(default_factory=dict)
    """sha256 → the relative path it was read from."""
    kept_deleted: frozenset[str] = frozenset()
    """Documents deleted from raw/ whose observations were kept and marked (chiso.run.lifecycle)."""


@dataclass(frozen=True)
class Quarantined:
    """One unit held back: a whole file, one table of it, or some of its rows."""

    document_id: str | None
    source_file: str
    stage: str
    """read (unreadable file), structure (a table whose grid cannot be trusted) or validate (the GX gate)."""
    reason: str
    unit: str = "document"
    """document, table or row: the smallest unit that was wrong (docs/quality-policy.md)."""
    cells_held: int | None = None
    """Printed numbers held back by this unit; None when the file could not be read at all."""


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    started_at: datetime
    finished_at: datetime
    documents_seen: int
    documents_new: int
    documents_loaded: int
    documents_quarantined: int
    observations_loaded: int
    checks_failed: int
    observations_flagged: int = 0
    observations_held: int = 0


def _landing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Tables of the landing schema: a warehouse from an older release, or a failed first run, may lack some."""
    rows = con.execute("select table_name from information_schema.tables where table_schema = 'landing'").fetchall()
    return {row[0] for row in rows}


def known_documents(warehouse: Path) -> KnownDocuments:
    """What the published warehouse already holds (empty for a first run)."""
    if not warehouse.exists():
        return KnownDocuments({}, {})
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if "documents" not in _landing_tables(con):
            return KnownDocuments({}, {})
        rows = con.execute("select document_id, source_path, status from landing.documents").fetchall()
        kept = lifecycle.kept_deleted(con)
    status = {doc_id: state for doc_id, _, state in rows}
    by_path = {path: doc_id for doc_id, path, state in rows if state in lifecycle.LIVE}
    return KnownDocuments(status, by_path, {doc_id: path for doc_id, path, _ in rows}, kept)


_REPORT_DATES_SQL = """
select d.province, d.issue_date, d.data_date
from landing.documents as d
where d.status = 'loaded' and d.province is not null and d.issue_date is not null and d.data_date is not null
  and exists (
      select 1 from landing.observations as o
      where o.document_id = d.document_id and o.extraction_method in ({methods})
  )
"""


def report_dates(warehouse: Path, prose_methods: frozenset[str]) -> dict[tuple[str, date], set[date]]:
    """(province, issue date) → data dates of the narrative reports loaded by earlier runs.

    An appendix that arrives a night after its report is dated like one that
    arrives with it (see chiso.interpret.dossier).
    """
    if not warehouse.exists():
        return {}
    found: dict[tuple[str, date], set[date]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if not {"documents", "observations"} <= _landing_tables(con):
            return {}
        methods = ", ".join("?" for _ in prose_methods)
        rows = con.execute(_REPORT_DATES_SQL.format(methods=methods), sorted(prose_methods)).fetchall()
    for province, issued, data_date in rows:
        found.setdefault((province, issued), set()).add(data_date)
    return found


def write_landing(
    building: Path,
    documents: list[dict[str, Any]],
    observations: pl.DataFrame,
    quarantined: list[Quarantined],
    replaced_hashes: list[str],
    run: RunRecord,
    unresolved: Sequence[tuple[str, str]] = (),
    warnings: Sequence[tuple[str, str]] = (),
    held_cells: pl.DataFrame | None = None,
) -> None:
    """Write one run's landing rows in a single transaction.

    `unresolved` pairs (document_id, label) name what entity resolution could
    not place; `warnings` pairs (document_id, warning) what a reader noticed. `replaced_hashes` are earlier versions of files that changed under the same
    path: their observations are removed and their documents marked superseded,
    so a changed file replaces that document's rows. `held_cells` are the
    observations the gate held back, with `held_unit` and `reason`.

    A run that lands in batches (chiso.run.stream) calls the three steps itself:
    `retire_replaced`, `land_batch` per batch, then `finish_landing`.
    """
    with duckdb.connect(str(building)) as con:
        con.execute("begin transaction")
        _retire(con, replaced_hashes)
        _land(con, documents, observations, quarantined, run.run_id, run.finished_at, unresolved, warnings, held_cells)
        _finish(con, run)
        con.execute("commit")


def retire_replaced(building: Path, replaced_hashes: list[str]) -> None:
    """Remove the rows of earlier versions of changed files (before the run lands its new versions)."""
    if replaced_hashes:
        with duckdb.connect(str(building)) as con:
            con.execute("begin transaction")
            _retire(con, replaced_hashes)
            con.execute("commit")


def land_batch(
    building: Path,
    documents: list[dict[str, Any]],
    observations: pl.DataFrame,
    quarantined: list[Quarantined],
    run_id: str,
    loaded_at: datetime,
    unresolved: Sequence[tuple[str, str]] = (),
    warnings: Sequence[tuple[str, str]] = (),
    held_cells: pl.DataFrame | None = None,
) -> None:
    """Append one batch of a run's documents, observations, held cells and notes, in one transaction."""
    with duckdb.connect(str(building)) as con:
        con.execute("begin transaction")
        _land(con, documents, observations, quarantined, run_id, loaded_at, unresolved, warnings, held_cells)
        con.execute("commit")


def finish_landing(building: Path, run: RunRecord) -> None:
    """After the last batch: the catalog, labels re-read if it changed, and the run's record."""
    with duckdb.connect(str(building)) as con:
        con.execute("begin transaction")
        _finish(con, run)
        con.execute("commit")


def _retire(con: duckdb.DuckDBPyConnection, replaced_hashes: list[str]) -> None:
    for old in replaced_hashes:
        con.execute("delete from landing.observations where document_id = ?", [old])
        con.execute("delete from landing.held_observations where document_id = ?", [old])
        con.execute("update landing.documents set status = 'superseded' where document_id = ?", [old])


def _land(
    con: duckdb.DuckDBPyConnection,
    documents: list[dict[str, Any]],
    observations: pl.DataFrame,
    quarantined: list[Quarantined],
    run_id: str,
    loaded_at: datetime,
    unresolved: Sequence[tuple[str, str]],
    warnings: Sequence[tuple[str, str]],
    held_cells: pl.DataFrame | None,
) -> None:
    if documents:
        docs = pl.DataFrame(documents, schema=DOCUMENT_SCHEMA)  # noqa: F841 - read by DuckDB's replacement scan
        con.execute("delete from landing.documents where document_id in (select document_id from docs)")
        con.execute("insert into landing.documents by name select * from docs")
    if observations.height:
        obs = observations.with_columns(  # noqa: F841 - read by DuckDB's replacement scan
            pl.lit(run_id).alias("run_id"), pl.lit(loaded_at).alias("loaded_at")
        )
        con.execute("delete from landing.observations where document_id in (select distinct document_id from obs)")
        con.execute("insert into landing.observations by name select * from obs")
    if held_cells is not None and held_cells.height:
        held = held_cells.with_columns(pl.lit(run_id).alias("run_id"))  # noqa: F841 - DuckDB scan
        con.execute("delete from landing.held_observations where document_id in (select distinct document_id from held)")
        con.execute("insert into landing.held_observations by name select * from held")
    for table, notes in (("unresolved_labels", unresolved), ("document_warnings", warnings)):
        if notes:  # (document_id, text) pairs, stamped with the run
            con.executemany(
                f"insert into landing.{table} values (?, ?, ?)",
                [[document_id, text, run_id] for document_id, text in notes],
            )
    for item in quarantined:
        con.execute(
            "insert into landing.quarantine"
            " (run_id, document_id, source_file, stage, reason, quarantined_at, unit, cells_held)"
            " values (?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, item.document_id, item.source_file, item.stage, item.reason, loaded_at, item.unit, item.cells_held],
        )


def _finish(con: duckdb.DuckDBPyConnection, run: RunRecord) -> None:
    land_catalog(con)
    remap(con)
    con.execute(
        "insert into landing.runs (run_id, started_at, finished_at, documents_seen, documents_new,"
        " documents_loaded, documents_quarantined, observations_loaded, checks_failed,"
        " observations_flagged, observations_held, catalog_digest) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run.run_id,
            run.started_at,
            run.finished_at,
            run.documents_seen,
            run.documents_new,
            run.documents_loaded,
            run.documents_quarantined,
            run.observations_loaded,
            run.checks_failed,
            run.observations_flagged,
            run.observations_held,
            catalog_digest(),
        ],
    )
