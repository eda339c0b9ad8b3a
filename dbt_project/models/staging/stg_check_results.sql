select
    run_id,
    cast(checked_at as timestamp) as checked_at,
    suite,
    expectation,
    unit,
    holds,
    document_id,
    observation_id,
    page,
    nullif(table_ref, '') as table_ref,
    nullif(row_label, '') as row_label,
    nullif(column_label, '') as column_label,
    success,
    observed_value,
    expected_value,
    severity,
    reason
from {{ source('landing', 'check_results') }}
