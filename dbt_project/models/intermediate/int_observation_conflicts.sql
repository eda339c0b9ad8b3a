{{ config(rebuilt_by('indicator_code', 'int_touched_indicators')) }}
-- depends_on: {{ ref('int_touched_indicators') }}
-- The figures of observation_conflicts without the names it shows: for each
-- measure × breakdown × entity × period that published documents report with
-- different values, one row per document with its preferred number (a
-- non-total row over a totals row, then the first printed). Everything here is
-- the measure's own, so the table is incremental by measure
-- (int_touched_indicators); the names (entity spelling, file) and the choice
-- of indicator_timeseries are joined in the view, where they are always current.
with disputed as (
    -- keys that two or more documents report (by a hash of the key: a collision only adds rows that
    -- `conflicts` below drops), so the ranking reads those rows and not the whole fact table
    select hash(indicator_code, breakdown, entity_id, period_start, period_end) as key_hash
    from {{ ref('fct_indicator_observation') }}
    where period_end is not null
    {% if is_incremental() %}
    and indicator_code in (select indicator_code from {{ ref('int_touched_indicators') }})
    {% endif %}
    group by key_hash
    having count(distinct document_id) > 1
),

per_document as (
    select
        f.indicator_code,
        f.breakdown,
        f.entity_id,
        f.period_start,
        f.period_end,
        f.document_id,
        f.observation_id,
        f.value,
        f.unit,
        f.page,
        f.row_label,
        f.column_label
    from {{ ref('fct_indicator_observation') }} as f
    where f.period_end is not null
        {% if is_incremental() %}
        and f.indicator_code in (select indicator_code from {{ ref('int_touched_indicators') }})
        {% endif %}
        and hash(f.indicator_code, f.breakdown, f.entity_id, f.period_start, f.period_end) in (select key_hash from disputed)
    qualify row_number() over (
        partition by f.indicator_code, f.breakdown, f.entity_id, f.period_start, f.period_end, f.document_id
        order by f.is_total asc, f.page asc nulls last, f.observation_id asc
    ) = 1
),

conflicts as (
    select
        indicator_code,
        breakdown,
        entity_id,
        period_start,
        period_end,
        count(*) as n_documents,
        count(distinct round(value, 6)) as n_values
    from per_document
    group by indicator_code, breakdown, entity_id, period_start, period_end
    having count(distinct round(value, 6)) > 1
)

select
    c.indicator_code,
    c.breakdown,
    c.entity_id,
    c.period_start,
    c.period_end,
    c.n_documents,
    c.n_values,
    p.document_id,
    p.value,
    p.unit,
    p.observation_id,
    p.page,
    p.row_label,
    p.column_label
from conflicts as c
inner join per_document as p
    on p.indicator_code = c.indicator_code
    and p.breakdown = c.breakdown
    and p.entity_id = c.entity_id
    and p.period_start is not distinct from c.period_start
    and p.period_end = c.period_end
