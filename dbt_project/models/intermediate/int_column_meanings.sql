{{ config(materialized='table') }}
-- A bare column number ("Cột 3", "Cột 9 = 7/1": an OCR table whose header was
-- not read) → the measure and breakdown that the same column of the same
-- table carries in another document about the same province. "The same
-- table" is the folded table_ref ("Biểu số 2"); "the same column" is
--   * the printed column code ("3", "9=7/1") when the OCR kept the
--     column-number row, or else
--   * its position ("Cột 3" is the third figure of each row), but only in a
--     lender table whose printed codes are exactly 1..k for the same number k
--     of columns: then code N is the N-th column, and a table with another
--     width (a column lost or split by the OCR) lends nothing, or else
--   * the lender column whose figures for the same places agree with the
--     bare column's (a table of places only; a clear winner on at least 3
--     figures other than 0 and 60% of the column's): the OCR lost or split a
--     column, the numbers still say which column is which.
-- Only columns whose own label names a measure lend their meaning (measure
-- and breakdown without the lender's category rows: the borrower keeps its
-- own), and the most frequent reading wins (then the first code, so the
-- choice is stable). One row per borrowing (document, table, bare label),
-- with the label the lenders print for that column (`meaning_label`, its
-- provenance in the fact table).
with observations as (  -- published ones, with the keys int_observations_keyed folded once
    select
        o.document_id,
        o.indicator_label,
        o.indicator_code,
        array_to_string(  -- what a column lends: its dimensions without the lender's own category rows
            list_filter(string_split(o.breakdown, '; '), lambda pair: pair <> '' and not starts_with(pair, 'category=')),
            '; '
        ) as lent_breakdown,
        o.column_code,
        o.column_label,
        o.table_key,
        o.province_key,
        o.entity_id,
        o.value,
        o.is_bare_column as is_bare
    from {{ ref('int_observations_keyed') }} as o
    where o.table_ref is not null
),

bare as (
    select distinct
        document_id,
        indicator_label,
        province_key,
        table_key,
        column_code,
        nullif(regexp_extract({{ fold('coalesce(column_label, indicator_label)') }}, '^cot ([0-9]+)$', 1), '') as position
    from observations
    where is_bare
),

bare_widths as (
    select document_id, table_key, count(distinct position) as width
    from bare
    where column_code is null and position is not null
    group by all
),

readings as (
    select
        document_id,
        province_key,
        table_key,
        column_code,
        indicator_code,
        lent_breakdown as breakdown,
        {{ most_frequent('indicator_label') }} as lender_label,
        count(*) as n
    from observations
    where not is_bare and column_code is not null
    group by all
),

-- lender tables numbered 1..k: their column code is also the column's position
sequential as (
    select document_id, table_key, count(distinct column_code) as width
    from readings
    group by all
    having bool_and(regexp_matches(column_code, '^[0-9]+$'))
        and min(try_cast(column_code as integer)) = 1
        and max(try_cast(column_code as integer)) = count(distinct column_code)
),

candidates as (
    -- by printed code
    select b.document_id, b.table_key, b.indicator_label, r.indicator_code, r.breakdown, r.lender_label, r.n, r.column_code
    from bare as b
    inner join readings as r
        on r.province_key = b.province_key and r.table_key = b.table_key and r.column_code = b.column_code
    where b.column_code is not null
    union all
    -- by position, between tables of the same width
    select b.document_id, b.table_key, b.indicator_label, r.indicator_code, r.breakdown, r.lender_label, r.n, r.column_code
    from bare as b
    inner join bare_widths as w using (document_id, table_key)
    inner join readings as r
        on r.province_key = b.province_key and r.table_key = b.table_key and r.column_code = b.position
    inner join sequential as s
        on s.document_id = r.document_id and s.table_key = r.table_key and s.width = w.width
    where b.column_code is null
),

-- by values, when neither the code nor the position tells: the lender column whose figures for the
-- same places are the bare column's. Only a table whose rows are places (one row per entity), only
-- figures other than 0 count as agreeing, and only a clear winner lends: at least 3 such figures and
-- 60% of the bare column's, and more than any other lender column.
unexplained as (
    select b.document_id, b.table_key, b.indicator_label
    from (select distinct document_id, table_key, indicator_label from bare) as b
    anti join candidates as c using (document_id, table_key, indicator_label)
),

bare_cells as (
    select o.document_id, o.table_key, o.province_key, o.indicator_label, o.entity_id, o.value
    from observations as o
    semi join unexplained as u using (document_id, table_key, indicator_label)
    where o.is_bare
),

place_rows as (  -- bare columns with one figure per place: a category table repeats its entity
    select document_id, table_key, indicator_label, count(*) filter (where value <> 0) as figures
    from bare_cells
    group by all
    having count(*) = count(distinct entity_id)
),

agreements as (
    select
        b.document_id, b.table_key, b.indicator_label, l.indicator_code,
        l.lent_breakdown as breakdown,
        {{ most_frequent('l.indicator_label') }} as lender_label,
        count(*) as n
    from bare_cells as b
    semi join place_rows as p using (document_id, table_key, indicator_label)
    inner join observations as l
        on l.province_key = b.province_key and l.table_key = b.table_key and l.entity_id = b.entity_id
        and l.value = b.value and l.document_id <> b.document_id and not l.is_bare
    where b.value <> 0
    group by all
),

by_values as (
    select a.document_id, a.table_key, a.indicator_label, a.indicator_code, a.breakdown, a.lender_label, a.n,
           null::varchar as column_code
    from agreements as a
    inner join place_rows as p using (document_id, table_key, indicator_label)
    where a.n >= 3 and a.n >= 0.6 * p.figures
    qualify count(*) over (partition by a.document_id, a.table_key, a.indicator_label, a.n) = 1
        and row_number() over (partition by a.document_id, a.table_key, a.indicator_label order by a.n desc) = 1
),

chosen as (
    select
        document_id, table_key, indicator_label, indicator_code, breakdown,
        first(lender_label order by n desc, lender_label) as meaning_label, sum(n) as n, min(column_code) as column_code
    from (select * from candidates union all by name select * from by_values)
    group by all
)

select
    document_id || '|' || table_key || '|' || indicator_label as meaning_key,
    document_id,
    table_key,
    indicator_label,
    indicator_code,
    breakdown,
    meaning_label
from chosen
qualify row_number() over (
    partition by document_id, table_key, indicator_label order by n desc, indicator_code, breakdown
) = 1
