select
    run_id,
    change,
    source_path,
    document_id,
    previous_id,
    cast(recorded_at as timestamp) as recorded_at
from {{ source('landing', 'file_changes') }}
