-- What was held back, for the people watching data quality: one row per held
-- unit — a file refused at reading, a document held whole by the gate, a table
-- whose structure was not trusted, or the held rows of a document — with how
-- many printed numbers it held and why, beside what the document published.
with published as (
    select document_id, count(*) as cells_published
    from {{ ref('stg_observations') }}
    group by document_id
)

select
    q.source_file,
    q.stage,
    q.unit,
    q.cells_held,
    coalesce(p.cells_published, 0) as cells_published,
    q.reason,
    q.document_id,
    q.run_id,
    q.quarantined_at
from {{ ref('stg_quarantine') }} as q
left join published as p using (document_id)
-- What raw/ holds now: the held units of a version since replaced or deleted are history
-- (landing.quarantine keeps them), not tonight's quality.
where q.document_id is null or q.document_id not in (
    select document_id from {{ ref('stg_documents') }} where status in ('superseded', 'retracted')
)
