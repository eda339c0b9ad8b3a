"""What the data-quality report shows, read from the published warehouse's marts.

Each function is one query over the dbt-built marts (dq_runs, dq_check_results,
dq_checks_by_run, dq_quarantine, dq_held_observations, dq_coverage,
dq_freshness, dq_unresolved_labels, dq_unmapped_indicators): the SQL that
aggregates lives in dbt, this module only picks rows for the page. A warehouse
built before a mart existed simply shows that section empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

MAX_ROWS = 500
"""Rows shown per table; the report says how many more there are."""

TOP_INDICATORS = 25
"""Indicators drawn in the coverage heat map: those with the most observations."""


@dataclass
class ReportData:
    runs: pl.DataFrame
    checks_by_run: pl.DataFrame
    latest_units: pl.DataFrame
    """dq_quarantine rows of the latest run."""
    held_units: pl.DataFrame
    """Every held unit of documents in the warehouse, newest first."""
    held_cells: pl.DataFrame
    """A few cells per held unit that can be shown on their page."""
    arithmetic: pl.DataFrame
    """Failing arithmetic checks of the documents in the warehouse: discrepancies and rounding."""
    coverage: pl.DataFrame
    freshness: pl.DataFrame
    unresolved: pl.DataFrame
    unmapped: pl.DataFrame


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("select table_name from information_schema.tables where table_schema = 'marts'").fetchall()
    return {row[0] for row in rows}


def _query(
    con: duckdb.DuckDBPyConnection, present: set[str], needs: str, sql: str, params: list[Any] | None = None
) -> pl.DataFrame:
    if needs not in present:
        return pl.DataFrame()
    frame: pl.DataFrame = con.sql(sql, params=params).pl() if params else con.sql(sql).pl()
    return frame


_HELD_CELLS = """
with cells as (
    select h.document_id, h.source_file, h.held_unit, h.page, h.table_ref, h.row_label, h.column_label,
           h.source_text, h.value, h.extraction_method, h.reason,
           row_number() over (partition by h.document_id, h.held_unit order by h.page, h.row_label) as n
    from marts.dq_held_observations as h
    where h.held_unit = 'row'
),

totals as (
    select c.document_id, c.source_file, 'document' as held_unit, c.page, c.table_ref, c.row_label,
           c.column_label, c.observed_value as source_text, try_cast(c.observed_value as double) as value,
           null as extraction_method, c.reason,
           row_number() over (partition by c.document_id order by c.page, c.column_label) as n
    from marts.dq_check_results as c
    where c.suite = 'table_totals' and not c.success
)

select * exclude (n) from cells where n <= {per_unit}
union all
select * exclude (n) from totals where n <= {per_unit}
"""


def read(warehouse: Path, per_unit: int = 3) -> ReportData:
    """Everything the report shows, in one read-only connection."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        present = _tables(con)
        def q(needs: str, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
            return _query(con, present, needs, sql, params)

        runs = q("dq_runs", "select * from marts.dq_runs order by started_at")
        latest = runs["run_id"][-1] if runs.height else None
        current = "document_id in (select document_id from marts.dq_document_outcomes)"
        return ReportData(
            runs=runs,
            checks_by_run=q("dq_checks_by_run", "select * from marts.dq_checks_by_run order by run_started_at, suite"),
            latest_units=q(
                "dq_quarantine",
                "select * from marts.dq_quarantine where run_id = ? order by unit, source_file",
                [latest],
            ),
            held_units=q(
                "dq_quarantine",
                "select * from marts.dq_quarantine where document_id is null or "
                + current + " or stage = 'read' order by quarantined_at desc, unit, source_file",
            ),
            held_cells=q("dq_check_results", _HELD_CELLS.format(per_unit=per_unit)),
            arithmetic=q(
                "dq_check_results",
                "select c.*, d.source_path, abs(try_cast(c.observed_value as double)"
                " - try_cast(c.expected_value as double)) as difference"
                " from marts.dq_check_results c left join marts.dim_document d using (document_id)"
                " where c.suite = 'arithmetic' and not c.success and c." + current
                + " order by c.outcome, difference desc nulls last",
            ),
            coverage=q("dq_coverage", "select * from marts.dq_coverage"),
            freshness=q("dq_freshness", "select * from marts.dq_freshness order by newest_date desc nulls last"),
            unresolved=q(
                "dq_unresolved_labels",
                "select label, list(distinct source_file order by source_file) as files,"
                " sum(occurrences) as occurrences from marts.dq_unresolved_labels"
                " group by label order by occurrences desc, label",
            ),
            unmapped=q(
                "dq_unmapped_indicators",
                "select indicator_code, indicator_label, n_observations, n_documents, source_files"
                " from marts.dq_unmapped_indicators order by n_observations desc, indicator_code",
            ),
        )


def top_indicators(coverage: pl.DataFrame, n: int = TOP_INDICATORS) -> list[str]:
    """The indicators with the most observations, for the heat map."""
    if coverage.is_empty():
        return []
    ranked = coverage.group_by("indicator_code").agg(pl.col("observations").sum()).sort(
        ["observations", "indicator_code"], descending=[True, False]
    )
    return ranked["indicator_code"].head(n).to_list()
