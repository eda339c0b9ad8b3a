"""Export the chartable time series from the warehouse as CSV, Parquet or SDMX-CSV.

What an export holds is SQL in the warehouse, not here: one view per export
(dbt_project/models/marts/exports: `export_timeseries`, its harmonised twin,
and their SDMX-CSV shape `export_sdmx`, `export_sdmx_harmonised`), so an
analyst reads the same rows in `marts` and their description in dbt docs.
This module only orders a view and writes it.

Reads the marts through a read-only DuckDB connection, so an export can run
while nobody writes (DuckDB allows readers alongside no writer) and can never
change the warehouse. Files are written by DuckDB's COPY, which also reports
how many rows it wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import duckdb

from chiso.indicators.catalog import dimension_names

Format = Literal["csv", "parquet", "sdmx-csv"]


def _view(fmt: Format, harmonised: bool) -> str:
    return ("marts.export_sdmx" if fmt == "sdmx-csv" else "marts.export_timeseries") + ("_harmonised" if harmonised else "")


def timeseries_query(fmt: Format, harmonised: bool = False) -> str:
    """The SELECT an export writes, ordered so that the same warehouse gives the same file (a view has no order)."""
    view = _view(fmt, harmonised)
    if fmt == "sdmx-csv":
        order = ", ".join(f'"{name.upper()}"' for name in dimension_names())
        return f'select * from {view} order by "INDICATOR", {order}, "REF_AREA", "TIME_PERIOD"'
    return f"select * from {view} order by indicator_code, breakdown, entity_name, entity_id, period_end"


def export_timeseries(warehouse: Path, out: Path, fmt: Format, harmonised: bool = False) -> int:
    """Write the export view of `fmt` (`marts.export_timeseries`, …) to `out`; return the rows written.

    The views leave out rows without a value (a harmonised sum with a
    predecessor missing): every exported number is one the warehouse stands
    behind. A warehouse built before the views existed is refused with what
    to do, not with DuckDB's catalog error.
    """
    if fmt not in ("csv", "parquet", "sdmx-csv"):
        raise ValueError(f"unknown export format {fmt!r}: use csv, parquet or sdmx-csv")
    options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    target = str(out.resolve()).replace("'", "''")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        schema, name = _view(fmt, harmonised).split(".")
        if not con.execute("select 1 from information_schema.tables where table_schema = ? and table_name = ?",
                           [schema, name]).fetchone():
            raise FileNotFoundError(f"the warehouse has no {schema}.{name} (built by an earlier release):"
                                    " the next `chiso run` rebuilds its marts")
        written = con.execute(f"COPY ({timeseries_query(fmt, harmonised)}) TO '{target}' ({options})").fetchone()
    return int(written[0]) if written else 0
