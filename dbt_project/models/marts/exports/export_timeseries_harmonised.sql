-- What `chiso export --harmonised` writes (csv, parquet): the province series
-- on the current map, with the predecessors and documents each figure is
-- made of as '; '-joined text (csv has no lists). A harmonised sum with a
-- predecessor missing has no value and is left out. A view, ordered by the
-- export (chiso/export.py).
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
from {{ ref('indicator_timeseries_harmonised') }} as h
inner join {{ ref('dim_indicator') }} as i using (indicator_code)
where h.value is not null
