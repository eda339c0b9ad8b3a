select
    run_id,
    cast(started_at as timestamp) as started_at,
    cast(finished_at as timestamp) as finished_at,
    documents_seen,
    documents_new,
    documents_loaded,
    documents_quarantined,
    observations_loaded,
    observations_flagged,
    observations_held,
    checks_failed
from {{ source('landing', 'runs') }}
