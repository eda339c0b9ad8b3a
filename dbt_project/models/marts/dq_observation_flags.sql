-- Published numbers that a self-check found suspicious (kept as printed, so
-- a person can compare with the source and decide).
select
    f.observation_id,
    f.document_id,
    d.source_file,
    f.indicator_code,
    f.entity_id,
    e.name_vi as entity_name,
    f.period_end,
    f.value,
    f.unit,
    f.page,
    f.table_ref,
    f.row_label,
    f.column_label,
    f.quality_flag,
    f.run_id
from {{ ref('fct_indicator_observation') }} as f
inner join {{ ref('dim_document') }} as d using (document_id)
inner join {{ ref('dim_entity') }} as e using (entity_id)
where f.quality_flag is not null
