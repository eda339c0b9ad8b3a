{{ config(materialized='view') }}
-- Measure × breakdown × entity × period (start and end) keys for which published documents
-- disagree on the value, one row per (key, document) with that document's
-- value (its preferred number: a non-total row over a totals row, then the
-- first printed) and source file, and whether indicator_timeseries chose it.
-- All observations stay in the fact table; this view is for deciding
-- whether a later document corrects an earlier one or reports differently.
select
    c.indicator_code,
    c.breakdown,
    c.entity_id,
    e.name_vi as entity_name,
    c.period_start,
    c.period_end,
    c.n_documents,
    c.n_values,
    c.document_id,
    d.source_file,
    d.issue_date,
    c.value,
    c.unit,
    c.observation_id,
    c.page,
    c.row_label,
    c.column_label,
    t.observation_id is not null as is_chosen
from {{ ref('int_observation_conflicts') }} as c
inner join {{ ref('dim_document') }} as d on d.document_id = c.document_id
inner join {{ ref('dim_entity') }} as e on e.entity_id = c.entity_id
left join {{ ref('indicator_timeseries') }} as t on t.observation_id = c.observation_id
