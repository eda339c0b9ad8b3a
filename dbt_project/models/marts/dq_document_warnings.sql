-- What the readers noticed about files they still loaded (or that the gate
-- then quarantined): an export re-saved from R whose names were rebuilt, a
-- year inferred for undated columns, a guessed encoding, ragged rows. One row
-- per document and warning, with the document's status, so a monitor can
-- check the inferences behind published numbers.
select
    d.source_file,
    d.status,
    w.warning,
    w.document_id,
    max(w.run_id) as run_id
from {{ ref('stg_document_warnings') }} as w
left join {{ ref('stg_documents') }} as d using (document_id)
group by d.source_file, d.status, w.warning, w.document_id
