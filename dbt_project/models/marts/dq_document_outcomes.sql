-- Per document: how many printed numbers were published, published with a flag,
-- and held (cells of held rows and tables, or every cell of a document held
-- whole), and why — what a monitor reads first each morning.
with published as (
    select
        document_id,
        count(*) as cells_published,
        count(*) filter (where quality_flag is not null) as cells_flagged
    from {{ ref('stg_observations') }}
    group by document_id
),

held as (
    select
        document_id,
        cast(sum(coalesce(cells_held, 0)) as integer) as cells_held,
        string_agg(unit || ': ' || reason, ' | ' order by unit, reason) as reasons
    from {{ ref('stg_quarantine') }}
    where document_id is not null
    group by document_id
)

select
    d.document_id,
    d.source_file,
    d.source_path,
    d.status,
    coalesce(p.cells_published, 0) as cells_published,
    coalesce(p.cells_flagged, 0) as cells_flagged,
    coalesce(h.cells_held, 0) as cells_held,
    h.reasons
from {{ ref('stg_documents') }} as d
left join published as p using (document_id)
left join held as h using (document_id)
where d.status not in ('superseded', 'retracted')
