-- How fresh each source is: a source is the top folder its files arrive in
-- (mof-budget, gso, reports…). The newest document date is the newest date a
-- document prints about itself (data date, else issue date); files that print
-- none (statistical exports) are dated by the newest period they cover.
with documents as (
    select
        d.document_id,
        case when contains(d.source_path, '/') then split_part(d.source_path, '/', 1) else '(top folder)' end
            as source,
        coalesce(d.data_date, d.issue_date) as document_date,
        d.first_seen_at,
        d.status
    from {{ ref('stg_documents') }} as d
    where d.status in ('loaded', 'quarantined', 'rejected')  -- what raw/ holds now: not superseded or retracted versions
),

periods as (
    select document_id, max(period_end) as newest_period
    from {{ ref('stg_observations') }}
    group by document_id
)

select
    source,
    count(*) as documents,
    count(*) filter (where status = 'loaded') as documents_loaded,
    max(document_date) as newest_document_date,
    max(p.newest_period) as newest_period_end,
    coalesce(max(document_date), max(p.newest_period)) as newest_date,
    max(first_seen_at) as last_arrival
from documents
left join periods as p using (document_id)
group by source
