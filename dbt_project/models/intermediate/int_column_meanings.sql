{{ config(materialized='table') }}
-- A bare column number ("Cột 3", "Cột 9 = 7/1": an OCR table whose header was
-- not read) → the measure and breakdown that the same column of the same
-- table carries in another document about the same province. "The same
-- table" is the folded table_ref ("Biểu số 2") and the printed column code
-- ("3", "9=7/1"); only columns whose own label names a measure lend their
-- meaning (measure and breakdown without the lender's category rows: the
-- borrower keeps its own), and the most frequent reading wins (then the
-- first code, so the choice is stable).
with observations as (  -- published ones, with the keys int_observations_keyed folded once
    select
        o.indicator_code,
        o.breakdown,
        o.column_code,
        o.table_key,
        o.province_key,
        o.is_bare_column as is_bare
    from {{ ref('int_observations_keyed') }} as o
    where o.table_ref is not null and o.column_code is not null
),

readings as (
    select
        province_key,
        table_key,
        column_code,
        indicator_code,
        array_to_string(
            list_filter(string_split(breakdown, '; '), lambda pair: pair <> '' and not starts_with(pair, 'category=')),
            '; '
        ) as breakdown,
        count(*) as n
    from observations
    where not is_bare
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
semi join (select distinct province_key, table_key, column_code from observations where is_bare) as bare
    using (province_key, table_key, column_code)
qualify row_number() over (
    partition by province_key, table_key, column_code order by n desc, indicator_code, breakdown
) = 1
