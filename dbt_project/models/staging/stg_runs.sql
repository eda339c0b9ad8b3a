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
    checks_failed,
    coalesce(documents_changed, 0) as documents_changed,
    coalesce(documents_restored, 0) as documents_restored,
    coalesce(documents_retracted, 0) as documents_retracted,
    coalesce(documents_kept_deleted, 0) as documents_kept_deleted,
    coalesce(files_ignored, 0) as files_ignored
from {{ source('landing', 'runs') }}
