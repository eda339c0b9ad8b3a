-- Every change of what raw/ holds, per run: a file changed, an earlier version
-- restored, a deleted file retracted or kept and marked. New files are listed
-- too, so a path's whole history reads top to bottom.
select
    c.run_id,
    c.recorded_at,
    c.change,
    c.source_path,
    c.document_id,
    c.previous_id
from {{ ref('stg_file_changes') }} as c
