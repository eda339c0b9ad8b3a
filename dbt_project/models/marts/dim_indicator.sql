{{ config(rebuilt_by('indicator_code', 'int_touched_indicators')) }}
-- depends_on: {{ ref('int_touched_indicators') }}
-- One row per measure: every catalog indicator (printed or not yet; the
-- catalog is chiso/indicators/catalog/*.yml, landed by each run) and every
-- code generated from an unmapped label. Catalog indicators take their
-- names, unit, topic, additivity and allowed dimensions from the catalog; the others take
-- the label printed most often (ties: alphabetical) and their most frequent
-- unit. The description lists the printed variants. Every figure of a row
-- is the measure's own, so the table is incremental by measure: a build
-- recomputes the measures of rewritten documents (int_touched_indicators).
with observed as (
    select indicator_code, indicator_label, unit, document_id, entity_id, period_start, period_end, breakdown
    from {{ ref('fct_indicator_observation') }}
    {% if is_incremental() %}
    where indicator_code in (select indicator_code from {{ ref('int_touched_indicators') }})
    {% endif %}
),

coverage as (
    -- what an analyst can expect of a measure: how many numbers, places, periods, sources
    select
        indicator_code,
        count(*) as n_observations,
        count(distinct entity_id) as n_entities,
        count(distinct coalesce(cast(period_start as varchar), '') || cast(period_end as varchar)) as n_periods,
        count(distinct breakdown) as n_breakdowns,
        min(period_end) as first_period_end,
        max(period_end) as last_period_end
    from observed
    group by indicator_code
),

catalog as (
    select * from {{ source('landing', 'catalog_indicators') }}
    {% if is_incremental() %}
    where indicator_code in (select indicator_code from {{ ref('int_touched_indicators') }})
    {% endif %}
),

label_counts as (
    select indicator_code, indicator_label, count(*) as n
    from observed
    group by indicator_code, indicator_label
),

unit_counts as (
    select indicator_code, unit, count(*) as n
    from observed
    group by indicator_code, unit
),

labels as (
    select
        indicator_code,
        list(indicator_label order by n desc, indicator_label) as ranked_labels
    from label_counts
    group by indicator_code
),

units as (
    select
        indicator_code,
        list(unit order by n desc, unit) as ranked_units
    from unit_counts
    group by indicator_code
),

documents as (
    select indicator_code, count(distinct document_id) as n_documents
    from observed
    group by indicator_code
),

printed as (
    select
        l.indicator_code,
        l.ranked_labels[1] as name_vi,
        u.ranked_units[1] as unit,
        'Printed in ' || d.n_documents || ' document(s) as: '
            || array_to_string(list_slice(l.ranked_labels, 1, 5), ' | ')
            || case when len(l.ranked_labels) > 5 then ' | …' else '' end
            || case
                when len(u.ranked_units) > 1
                    then '. Units seen: ' || array_to_string(u.ranked_units, ', ')
                else ''
            end as description
    from labels as l
    inner join units as u using (indicator_code)
    inner join documents as d using (indicator_code)
)

select
    coalesce(c.indicator_code, p.indicator_code) as indicator_code,
    coalesce(c.name_vi, p.name_vi) as name_vi,
    c.name_en,
    coalesce(c.unit, p.unit) as unit,
    c.topic,
    coalesce(c.additive, false) as additive,
    c.indicator_code is not null as in_catalog,
    coalesce(c.reviewed, false) as reviewed,
    string_split(nullif(c.dimensions, ''), ',') as dimensions,
    c.description as catalog_description,
    coalesce(p.description, 'In the catalog; not printed in any published document yet.') as description,
    coalesce(v.n_observations, 0) as n_observations,
    coalesce(v.n_entities, 0) as n_entities,
    coalesce(v.n_periods, 0) as n_periods,
    coalesce(v.n_breakdowns, 0) as n_breakdowns,
    coalesce(d.n_documents, 0) as n_documents,
    v.first_period_end,
    v.last_period_end
from catalog as c
full outer join printed as p using (indicator_code)
left join coverage as v on v.indicator_code = coalesce(c.indicator_code, p.indicator_code)
left join documents as d on d.indicator_code = coalesce(c.indicator_code, p.indicator_code)
