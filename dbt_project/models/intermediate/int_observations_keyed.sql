-- Published observations (their document's status is 'loaded') with the
-- entity key. entity_id = md5(level | folded province | folded name), so the
-- same place printed with or without accents, in any case, is one entity.
with documents as (
    select document_id, issue_date, first_seen_at
    from {{ ref('stg_documents') }}
    where status = 'loaded'
)

select
    o.*,
    {{ fold('o.entity_name') }} as entity_key,
    {{ fold('o.province') }} as province_key,
    md5(
        coalesce(o.entity_level, '') || '|' || {{ fold('o.province') }} || '|' || {{ fold('o.entity_name') }}
    ) as entity_id,
    d.issue_date as document_issue_date,
    d.first_seen_at as document_first_seen_at
from {{ ref('stg_observations') }} as o
inner join documents as d using (document_id)
