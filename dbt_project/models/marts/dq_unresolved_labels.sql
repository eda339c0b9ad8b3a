-- Names entity resolution could not place, for review: they were listed, not
-- guessed. One row per label and document, with how often it occurs.
select
    u.label,
    d.source_file,
    u.document_id,
    count(*) as occurrences,
    max(u.run_id) as run_id
from {{ ref('stg_unresolved_labels') }} as u
left join {{ ref('stg_documents') }} as d using (document_id)
group by u.label, d.source_file, u.document_id
