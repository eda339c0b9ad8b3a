-- Published observations (their document's status is 'loaded') with the
-- entity key and the catalog code. entity_id = md5(level | folded province |
-- folded name), so the same place printed with or without accents, in any
-- case, is one entity; a province figure dated on or after the 2025 merger
-- whose name is that of a merged province belongs to the new, larger
-- territory (id suffixed with the merger date, as in int_entity_reference);
-- so does a commune figure dated on or after it: it meets the 2025 commune of
-- that name in its province, while an earlier one stays a commune of its own.
-- indicator_code is the catalog code when the label maps to one
-- (int_indicator_map), else the code generated from the label, kept in
-- `label_indicator_code` either way.
{% set reform = "date '" ~ var('current_map_from') ~ "'" %}
with documents as (
    select document_id, issue_date, first_seen_at
    from {{ ref('stg_documents') }}
    where status = 'loaded'
),

new_territories as (
    select distinct {{ fold('successor_name') }} as name_key, cast(effective_date as varchar) as since
    from {{ ref('province_successions') }}
    where effective_date = {{ reform }}
    group by successor_name, effective_date
    having count(*) > 1
),

keyed as (
    select
        o.*,
        {{ fold('o.entity_name') }} as entity_key,
        {{ fold('o.province') }} as province_key
    from {{ ref('stg_observations') }} as o
)

select
    k.* exclude (indicator_code),
    coalesce(m.catalog_code, k.indicator_code) as indicator_code,
    k.indicator_code as label_indicator_code,
    m.catalog_code is not null as in_catalog,
    md5(
        coalesce(k.entity_level, '') || '|' || k.province_key || '|' || k.entity_key
        || coalesce(
            '|' || t.since,
            case when k.entity_level = 'commune' and k.period_end >= {{ reform }} then '|' || cast({{ reform }} as varchar) end,
            ''
        )
    ) as entity_id,
    d.issue_date as document_issue_date,
    d.first_seen_at as document_first_seen_at
from keyed as k
inner join documents as d using (document_id)
left join {{ ref('int_indicator_map') }} as m
    on m.document_id = k.document_id and m.indicator_label = k.indicator_label
left join new_territories as t
    on k.entity_level = 'province'
    and k.entity_key = t.name_key
    and k.province_key = t.name_key
    and k.period_end >= {{ reform }}
