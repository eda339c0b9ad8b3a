-- Published documents only: a quarantined file contributes nothing to the
-- marts (its reasons are in dq_quarantine).
select
    document_id,
    source_file,
    source_path,
    format,
    doc_number,
    issuer,
    issue_date,
    province,
    title,
    pages,
    data_date,
    status,
    first_seen_at
from {{ ref('stg_documents') }}
where status = 'loaded'
