"""Keep the landed labels' reading in step with the catalog.

Labels are read into measure + breakdown when a document is loaded. When the
catalog or the vocabulary changes (a reviewer adds a pattern), documents
loaded earlier must be read again, or one series would split between the old
and the new reading. Every run therefore lands the catalog itself (for dbt's
`dim_indicator` and `dim_breakdown`) and, when its digest differs from the
one the previous run used, re-reads each distinct (label, document) pair — a
few thousand pairs, not the millions of observations — and updates in place.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from chiso.indicators.catalog import catalog_digest, load_catalog
from chiso.indicators.dimensions import COMPONENT, DESCRIPTIONS
from chiso.indicators.interpret import interpret, source_key


def land_catalog(con: duckdb.DuckDBPyConnection) -> None:
    """Replace landing.catalog_indicators and landing.catalog_dimensions with the current catalog."""
    indicators = [
        (i.code, i.name_vi, i.name_en, i.unit, i.topic, i.description, i.additive, ",".join(i.dimensions), i.reviewed)
        for i in load_catalog().values()
    ]
    dimensions: list[tuple[str, str | None, str | None, str | None, str | None, str]] = [
        (name, None, None, None, None, text) for name, text in sorted(DESCRIPTIONS.items())
    ]
    dimensions += [
        (COMPONENT, c.code, i.code, c.name_vi, c.name_en, f"{i.name_en}: {c.name_en}")
        for i in load_catalog().values()
        for c in i.components
    ]
    con.execute("delete from landing.catalog_indicators")
    con.executemany("insert into landing.catalog_indicators values (?, ?, ?, ?, ?, ?, ?, ?, ?)", indicators)
    con.execute("delete from landing.catalog_dimensions")
    con.executemany("insert into landing.catalog_dimensions values (?, ?, ?, ?, ?, ?)", dimensions)


def last_digest(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(
        "select catalog_digest from landing.runs where catalog_digest is not null order by finished_at desc limit 1"
    ).fetchone()
    return row[0] if row else None


def remap(con: duckdb.DuckDBPyConnection, force: bool = False) -> int:
    """Re-read every landed label when the catalog changed since the last run; returns rows whose reading changed."""
    if not force and last_digest(con) == catalog_digest():
        return 0
    pairs = con.execute(
        """
        select distinct o.document_id, o.indicator_label, o.table_title, d.source_file, d.title, d.issuer,
               o.indicator_code, coalesce(o.breakdown, '') as breakdown
        from landing.observations as o
        join landing.documents as d using (document_id)
        """
    ).fetchall()
    changed = []
    for document_id, label, table_title, source_file, title, issuer, code, breakdown in pairs:
        meaning = interpret(label or "", source_key(source_file, title, issuer), table_title or "", title or "")
        if (meaning.code, meaning.breakdown) != (code, breakdown):
            changed.append((document_id, label, table_title, code, breakdown, meaning.code, meaning.breakdown))
    if not changed:
        return 0
    updates = pl.DataFrame(  # noqa: F841 - read by DuckDB's replacement scan
        changed,
        schema=["document_id", "indicator_label", "table_title", "old_code", "old_breakdown", "indicator_code", "breakdown"],
        orient="row",
    )
    count = con.execute(
        """
        update landing.observations as o
        set indicator_code = u.indicator_code, breakdown = u.breakdown
        from updates as u
        where o.document_id = u.document_id and o.indicator_label is not distinct from u.indicator_label
          and o.table_title is not distinct from u.table_title
        """
    ).fetchone()
    return int(count[0]) if count else 0


def catalog_outdated(warehouse: Path) -> bool:
    """True when the published warehouse's labels were read with another catalog than this one.

    A night with no new file still runs then, so that a reviewer's catalog
    change reaches the marts without waiting for the next document.
    """
    if not warehouse.exists():
        return False
    with duckdb.connect(str(warehouse), read_only=True) as con:
        has_column = con.execute(
            "select count(*) from information_schema.columns"
            " where table_schema = 'landing' and table_name = 'runs' and column_name = 'catalog_digest'"
        ).fetchone()
        landed = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'landing' and table_name = 'observations'"
        ).fetchone()
        rows = con.execute("select count(*) from landing.observations").fetchone() if landed and landed[0] else None
        if not rows or not rows[0]:
            return False  # nothing landed: nothing to read again
        if not has_column or not has_column[0]:
            return True
        return last_digest(con) != catalog_digest()
