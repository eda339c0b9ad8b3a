-- The printed numbers the gate held back, each with where it was printed and why:
-- the unit held (`row`: this value is impossible; `document`: the file is an
-- altered copy) and the reason in plain words.
select
    h.observation_id,
    h.document_id,
    d.source_file,
    h.held_unit,
    h.reason,
    h.value,
    h.unit,
    h.indicator_label,
    h.entity_name,
    h.period_end,
    h.page,
    h.table_ref,
    h.row_label,
    h.column_label,
    h.source_text,
    h.extraction_method,
    h.run_id
from {{ ref('stg_held_observations') }} as h
inner join {{ ref('stg_documents') }} as d using (document_id)
