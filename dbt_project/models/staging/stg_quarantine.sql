select
    run_id,
    document_id,
    source_file,
    stage,
    reason,
    cast(quarantined_at as timestamp) as quarantined_at
from {{ source('landing', 'quarantine') }}
