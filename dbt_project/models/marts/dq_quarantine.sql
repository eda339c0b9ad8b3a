-- Files kept out of the marts, for the people watching data quality: which
-- file, at which stage (read = unreadable, validate = failed a check), why.
select
    q.source_file,
    q.stage,
    q.reason,
    q.document_id,
    q.run_id,
    q.quarantined_at
from {{ ref('stg_quarantine') }} as q
