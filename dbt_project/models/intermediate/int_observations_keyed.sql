-- Published observations (their document's status is 'loaded') with the
-- entity key and the catalog code. entity_id = md5(level | folded province |
-- folded name), so the same place printed with or without accents, in any
-- case, is one entity; a province figure dated on or after the 2025 merger
-- whose name is that of a merged province belongs to the new, larger
-- territory (id suffixed with the merger date, as in int_entity_reference);
-- so does a commune figure dated on or after it: it meets the 2025 commune of
-- that name in its province, while an earlier one stays a commune of its own.
-- indicator_code and breakdown are the measure and dimensions chiso.indicators
-- read from the label at load time; an observation whose label is a bare
-- column number takes them from the same table elsewhere (int_column_meanings),
-- and `label_indicator_code` keeps what its own label gave.
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
        {{ fold('o.province') }} as province_key,
        {{ fold('o.table_ref') }} as table_key,
        {{ is_bare_column('o.indicator_label') }} as is_bare_column
    from {{ ref('stg_observations') }} as o
),

catalog as (
    select indicator_code from {{ source('landing', 'catalog_indicators') }}
)

select
    k.* exclude (indicator_code, breakdown, table_key, is_bare_column),
    coalesce(m.indicator_code, k.indicator_code) as indicator_code,
    case
        when m.indicator_code is null then k.breakdown
        else array_to_string(  -- the borrowed dimensions and the observation's own category, sorted
            list_sort(list_filter(list_concat(string_split(m.breakdown, '; '), string_split(k.breakdown, '; ')), lambda pair: pair <> '')),
            '; '
        )
    end as breakdown,
    k.indicator_code as label_indicator_code,
    m.indicator_code is not null as is_borrowed_meaning,
    c.indicator_code is not null as in_catalog,
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
left join {{ ref('int_column_meanings') }} as m
    on k.is_bare_column
    and m.document_id = k.document_id and m.table_key = k.table_key and m.indicator_label = k.indicator_label
left join catalog as c
    on c.indicator_code = coalesce(m.indicator_code, k.indicator_code)
left join new_territories as t
    on k.entity_level = 'province'
    and k.entity_key = t.name_key
    and k.province_key = t.name_key
    and k.period_end >= {{ reform }}
