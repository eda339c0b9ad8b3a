-- Run history with its duration, newest last. A view, not a table: a night that
-- finds nothing new is recorded by one insert into landing.runs (chiso.run.noop)
-- and must show here at once, without a dbt build.
{{ config(materialized='view') }}
select
    run_id,
    started_at,
    finished_at,
    date_diff('millisecond', started_at, finished_at) / 1000.0 as duration_seconds,
    documents_seen,
    documents_new,
    documents_loaded,
    documents_quarantined,
    observations_loaded,
    observations_flagged,
    observations_held,
    checks_failed,
    documents_changed,
    documents_restored,
    documents_retracted,
    documents_kept_deleted,
    files_ignored
from {{ ref('stg_runs') }}
