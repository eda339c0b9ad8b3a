"""Export the chartable time series from the warehouse as CSV, Parquet or SDMX-CSV.

Reads the marts through a read-only DuckDB connection, so an export can run
while nobody writes (DuckDB allows readers alongside no writer) and can never
change the warehouse. Files are written by DuckDB's COPY, which also reports
how many rows it wrote.

SDMX-CSV (version 1) is for statistical tools that expect the SDMX shape:
one observation per row, DATAFLOW first, then the dimensions REF_AREA,
INDICATOR (the measure), one column per breakdown dimension (SEX, AGE_GROUP,
COMPONENT, …; `_T` — total — where the observation has no such breakdown)
and TIME_PERIOD, then OBS_VALUE and the attribute UNIT_MEASURE.
REF_AREA is the GSO code when the entity has one (provinces, districts) and
the entity's name otherwise (agencies, party organisations, regions).
TIME_PERIOD is `YYYY-MM` for a one-month period (GSO's monthly tables),
the year for other figures at 31 December, and the full date otherwise (a
figure "as of 31/7/2022" is not a 2022 annual value).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import duckdb

from chiso.indicators.catalog import dimension_names

Format = Literal["csv", "parquet", "sdmx-csv"]

_PLAIN = """
select
    t.indicator_code,
    i.name_vi as indicator_name,
    t.breakdown,
    t.entity_id,
    e.name_vi as entity_name,
    e.level as entity_level,
    e.gso_code,
    t.period_start,
    t.period_end,
    t.value,
    t.unit,
    t.document_id,
    d.source_file
from marts.indicator_timeseries as t
inner join marts.dim_indicator as i using (indicator_code)
inner join marts.dim_entity as e using (entity_id)
left join marts.dim_document as d using (document_id)
where t.value is not null
"""

_HARMONISED = """
select
    h.indicator_code,
    i.name_vi as indicator_name,
    h.breakdown,
    h.entity_id,
    h.entity_name,
    'province' as entity_level,
    h.gso_code,
    h.period_start,
    h.period_end,
    h.value,
    h.unit,
    h.is_harmonised,
    h.predecessor_count,
    array_to_string(h.predecessors, '; ') as predecessors,
    array_to_string(h.document_ids, '; ') as document_ids
from marts.indicator_timeseries_harmonised as h
inner join marts.dim_indicator as i using (indicator_code)
where h.value is not null
"""

_SDMX = """
select
    '{dataflow}' as "DATAFLOW",
    coalesce(gso_code, entity_name) as "REF_AREA",
    indicator_code as "INDICATOR",
{dimensions}
    case
        when period_start = date_trunc('month', period_end) and period_end = last_day(period_end)
            then strftime(period_end, '%Y-%m')
        when month(period_end) = 12 and day(period_end) = 31 then cast(year(period_end) as varchar)
        else strftime(period_end, '%Y-%m-%d')
    end as "TIME_PERIOD",
    value as "OBS_VALUE",
    unit as "UNIT_MEASURE"
from ({rows})
"""

_DATAFLOWS = {False: "CHISO:INDICATOR_TIMESERIES(1.0)", True: "CHISO:INDICATOR_TIMESERIES_HARMONISED(1.0)"}


def timeseries_query(fmt: Format, harmonised: bool = False) -> str:
    """The SELECT an export writes, ordered so that the same warehouse gives the same file."""
    rows = _HARMONISED if harmonised else _PLAIN
    if fmt == "sdmx-csv":
        sdmx = _SDMX.format(dataflow=_DATAFLOWS[harmonised], rows=rows, dimensions=_sdmx_dimensions())
        order = ", ".join(f'"{name.upper()}"' for name in dimension_names())
        return sdmx + f' order by "INDICATOR", {order}, "REF_AREA", "TIME_PERIOD"'
    return f"select * from ({rows}) order by indicator_code, breakdown, entity_name, entity_id, period_end"


def _sdmx_dimensions() -> str:
    """One SDMX dimension column per breakdown dimension; `_T` (total) where the breakdown does not name it."""
    pairs = "list_filter(string_split(breakdown, '; '), lambda p: p <> '')"
    return "\n".join(
        f"    coalesce(list_extract(list_transform(list_filter({pairs}, lambda p: split_part(p, '=', 1) = '{name}'),"
        f" lambda p: substr(p, strpos(p, '=') + 1)), 1), '_T') as \"{name.upper()}\","
        for name in dimension_names()
    )


def export_timeseries(warehouse: Path, out: Path, fmt: Format, harmonised: bool = False) -> int:
    """Write `marts.indicator_timeseries` (or its harmonised view) to `out`; return the rows written.

    Rows without a value (a harmonised sum with a predecessor missing) are
    not exported: every exported number is one the warehouse stands behind.
    """
    if fmt not in ("csv", "parquet", "sdmx-csv"):
        raise ValueError(f"unknown export format {fmt!r}: use csv, parquet or sdmx-csv")
    options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    target = str(out.resolve()).replace("'", "''")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        written = con.execute(f"COPY ({timeseries_query(fmt, harmonised)}) TO '{target}' ({options})").fetchone()
    return int(written[0]) if written else 0
