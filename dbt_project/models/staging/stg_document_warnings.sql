select
    document_id,
    warning,
    run_id
from {{ source('landing', 'document_warnings') }}
