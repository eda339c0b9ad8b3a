-- What `chiso export` writes (csv, parquet): the chartable series with the
-- names an analyst reads beside the codes and the file each figure comes
-- from. Rows without a value are left out: every exported number is one the
-- warehouse stands behind. A view, so it costs nothing at build time; the
-- export orders it (chiso/export.py) so the same warehouse gives the same file.
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
from {{ ref('indicator_timeseries') }} as t
inner join {{ ref('dim_indicator') }} as i using (indicator_code)
inner join {{ ref('dim_entity') }} as e using (entity_id)
left join {{ ref('dim_document') }} as d using (document_id)
where t.value is not null
