select
    document_id,
    source_file,
    source_path,
    format,
    nullif(trim(doc_number), '') as doc_number,
    nullif(trim(issuer), '') as issuer,
    cast(issue_date as date) as issue_date,
    nullif(trim(province), '') as province,
    nullif(trim(title), '') as title,
    cast(pages as integer) as pages,
    cast(data_date as date) as data_date,
    status,
    cast(first_seen_at as timestamp) as first_seen_at,
    run_id
from {{ source('landing', 'documents') }}
