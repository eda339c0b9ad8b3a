"""`chiso status`: is the pipeline alive, is each source fresh, how much is held?

The one screen an operator reads in the morning. It reads the landing tables
(the record every run writes, no-op nights included: chiso.run.noop), so it is
current even before the next `dbt build`. A *source* is the top folder of
`raw/` a feed drops its files into (`mof/`, `gso/`, `scanned/`); its
freshness is when a new file last arrived there and the latest period its
published figures reach.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb


@dataclass(frozen=True)
class LastRun:
    run_id: str
    started_at: datetime
    finished_at: datetime | None
    documents_seen: int
    documents_new: int
    documents_loaded: int
    documents_quarantined: int
    observations_loaded: int


@dataclass(frozen=True)
class Source:
    name: str
    documents: int
    last_arrival: datetime | None
    latest_period: date | None
    held_documents: int
    held_cells: int


@dataclass(frozen=True)
class Status:
    last_run: LastRun | None
    last_loading_run: LastRun | None
    runs: int
    sources: list[Source]
    held_documents: int
    held_tables: int
    held_cells: int


_RUN_COLUMNS = ("run_id, started_at, finished_at, documents_seen, documents_new, documents_loaded,"
                " documents_quarantined, observations_loaded")

_SOURCES_SQL = """
with docs as (
    select document_id, status, first_seen_at,
           case when contains(source_path, '/') then split_part(source_path, '/', 1) else '.' end as source
    from landing.documents
    where status <> 'superseded'
),
periods as (
    select document_id, max(period_end) as latest_period from landing.observations group by document_id
),
held as (
    select document_id, sum(coalesce(cells_held, 0)) as cells from landing.quarantine group by document_id
)
select docs.source, count(*), max(docs.first_seen_at), max(periods.latest_period),
       count(*) filter (where docs.status in ('quarantined', 'rejected')), coalesce(sum(held.cells), 0)
from docs
left join periods using (document_id)
left join held using (document_id)
group by docs.source
order by docs.source
"""

_HELD_SQL = """
select
    count(distinct q.document_id) filter (where q.unit = 'document' or q.unit is null),
    count(*) filter (where q.unit = 'table'),
    coalesce(sum(q.cells_held), 0)
from landing.quarantine as q
join landing.documents as d using (document_id)
where d.status <> 'superseded'
"""


def _run(row: tuple[Any, ...] | None) -> LastRun | None:
    return LastRun(*row) if row else None


def read_status(con: duckdb.DuckDBPyConnection) -> Status:
    """Everything `chiso status` shows, from one read-only connection to the warehouse.

    These queries stay here, over `landing`, rather than in dbt models like
    the warehouse's other SQL: the status must be true when no `dbt build`
    has followed what it reports. A no-op night records its run in
    `landing.runs` and builds nothing (chiso.run.noop), and an operator asks
    the status of a warehouse whose marts are missing or from an earlier
    release (dbt failed, or the first run after an upgrade has not rebuilt
    them yet). The warehouse answers much the same questions as of its last
    build in `marts.dq_runs` and `marts.dq_freshness`.
    """
    tables = {row[0] for row in con.execute(
        "select table_name from information_schema.tables where table_schema = 'landing'").fetchall()}
    if not {"runs", "documents", "observations", "quarantine"} <= tables:
        return Status(None, None, 0, [], 0, 0, 0)
    last = con.execute(f"select {_RUN_COLUMNS} from landing.runs order by started_at desc limit 1").fetchone()
    loading = con.execute(
        f"select {_RUN_COLUMNS} from landing.runs where documents_new > 0 order by started_at desc limit 1"
    ).fetchone()
    runs = con.execute("select count(*) from landing.runs").fetchall()[0][0]
    sources = [Source(*row) for row in con.execute(_SOURCES_SQL).fetchall()]
    held_documents, held_tables, held_cells = con.execute(_HELD_SQL).fetchall()[0]
    return Status(_run(last), _run(loading), runs, sources, held_documents, held_tables, held_cells)


def _ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    seconds = (now - moment).total_seconds()
    if seconds < 3600:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} h ago"
    return f"{seconds / 86400:.0f} days ago"


def _describe(run: LastRun, now: datetime) -> str:
    took = f", {(run.finished_at - run.started_at).total_seconds():.1f} s" if run.finished_at else ""
    what = (f"{run.documents_new} new: {run.documents_loaded} loaded, {run.documents_quarantined} quarantined,"
            f" {run.observations_loaded} observations" if run.documents_new else "nothing new")
    return f"{run.started_at:%Y-%m-%d %H:%M} ({_ago(run.started_at, now)}{took}): {run.documents_seen} files seen, {what}"


def render(status: Status, warehouse: str, now: datetime | None = None, stale_days: int = 35) -> str:
    """The status screen; a source with no new file for `stale_days` is marked STALE."""
    now = now or datetime.now()
    if status.last_run is None:
        return f"warehouse {warehouse}: no run recorded yet (run `chiso run`)"
    lines = [f"warehouse {warehouse}: {status.runs} runs recorded",
             f"  last run:         {_describe(status.last_run, now)}"]
    if status.last_loading_run and status.last_loading_run != status.last_run:
        lines.append(f"  last loading run: {_describe(status.last_loading_run, now)}")
    lines.append(f"  held: {status.held_documents} documents, {status.held_tables} tables,"
                 f" {status.held_cells} printed numbers (see `chiso quality`)")
    if status.sources:
        lines.append("  sources (top folder of raw/):")
        width = max(len(source.name) for source in status.sources)
        for source in status.sources:
            stale = (source.last_arrival is not None
                     and (now - source.last_arrival).days >= stale_days)
            period = f"{source.latest_period:%Y-%m-%d}" if source.latest_period else "-"
            lines.append(
                f"    {source.name:<{width}}  {source.documents:>5} documents, last new file"
                f" {_ago(source.last_arrival, now):>13}, figures up to {period},"
                f" held {source.held_documents} documents / {source.held_cells} numbers"
                + ("  STALE" if stale else "")
            )
    return "\n".join(lines)
