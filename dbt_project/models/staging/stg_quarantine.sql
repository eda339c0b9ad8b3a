select
    run_id,
    document_id,
    source_file,
    stage,
    coalesce(unit, 'document') as unit,
    cells_held,
    reason,
    cast(quarantined_at as timestamp) as quarantined_at
from {{ source('landing', 'quarantine') }}
