select
    document_id,
    label,
    run_id
from {{ source('landing', 'unresolved_labels') }}
