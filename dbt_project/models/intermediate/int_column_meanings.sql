{{ config(materialized='table') }}
-- A bare column number ("Cột 3", "Cột 9 = 7/1": an OCR table whose header was
-- not read) → the measure and breakdown that the same column of the same
-- table carries in another published document about the same province. "The
-- same table" is the folded table_ref ("Biểu số 2") and the printed column
-- code ("3", "9=7/1"); only columns whose own label names a measure lend their
-- meaning (measure and breakdown without the lender's category rows: the
-- borrower keeps its own), and the most frequent reading wins (then the
-- first code, so the choice is stable). Only the columns some document
-- prints bare are read, so the table stays small and quick to rebuild.
with observations as (
    select province_key, table_key, column_code, indicator_code, breakdown, is_bare_column
    from {{ ref('int_observations_keyed') }}
    where table_ref is not null and column_code is not null
),

bare as (
    select distinct province_key, table_key, column_code
    from observations
    where is_bare_column
),

readings as (
    select
        o.province_key,
        o.table_key,
        o.column_code,
        o.indicator_code,
        array_to_string(
            list_filter(string_split(o.breakdown, '; '), lambda pair: pair <> '' and not starts_with(pair, 'category=')),
            '; '
        ) as breakdown,
        count(*) as n
    from observations as o
    semi join bare using (province_key, table_key, column_code)
    where not o.is_bare_column
    group by all
)

select
    province_key || '|' || table_key || '|' || column_code as meaning_key,
    province_key,
    table_key,
    column_code,
    indicator_code,
    breakdown
from readings
qualify row_number() over (
    partition by province_key, table_key, column_code order by n desc, indicator_code, breakdown
) = 1
