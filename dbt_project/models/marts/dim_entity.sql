-- One row per entity: every reference province (2024 map with Hà Tây, and
-- the provinces formed on 2025-07-01) and district, whether or not a
-- document mentions it, plus every observed entity outside the reference
-- (agencies, party organisations, communes, regions, the country, or a
-- place the reference does not list), with gso_code null. Both kinds share
-- the key md5(level | folded province | folded name), so observed names
-- meet their reference row whatever their accents or case.
--
-- Names: the reference spelling when there is one, else the spelling
-- printed most often (ties: alphabetical), so accents lost by OCR do not win
-- over the correct spelling. Districts, agencies and party organisations
-- hang under their province; communes get no parent because the landing
-- data does not say which district they belong to.
with reference as (
    select * from {{ ref('int_entity_reference') }}
),

observed as (
    select entity_id, entity_name, entity_level, province, entity_key, province_key
    from {{ ref('int_observations_keyed') }}
),

name_counts as (
    select entity_id, entity_name, count(*) as n
    from observed
    group by entity_id, entity_name
),

best_name as (
    select entity_id, entity_name
    from name_counts
    qualify row_number() over (partition by entity_id order by n desc, entity_name) = 1
),

province_counts as (
    select entity_id, province, count(*) as n
    from observed
    where province is not null
    group by entity_id, province
),

best_province as (
    select entity_id, province
    from province_counts
    qualify row_number() over (partition by entity_id order by n desc, province) = 1
),

observed_entities as (
    select
        entity_id,
        min(entity_level) as level,
        min(entity_key) as entity_key,
        min(province_key) as province_key
    from observed
    group by entity_id
),

-- The province an agency or party organisation belongs to, by its folded
-- name: the 2024-map entity (a name-keeping merged province's new entity
-- has a suffixed id and is not chosen here).
province_entities as (
    select {{ fold('name_vi') }} as province_key, entity_id as province_entity_id
    from reference
    where level = 'province' and valid_from is null
    union
    select e.province_key, e.entity_id
    from observed_entities as e
    where e.level = 'province' and e.entity_key = e.province_key and e.province_key <> ''
        and e.entity_id not in (select entity_id from reference)
),

observed_only as (
    select
        e.entity_id,
        n.entity_name as name_vi,
        e.level,
        p.province,
        case
            when e.level in ('district', 'agency', 'party_org') then pe.province_entity_id
        end as parent_entity_id
    from observed_entities as e
    inner join best_name as n using (entity_id)
    left join best_province as p using (entity_id)
    left join province_entities as pe on pe.province_key = e.province_key
    where e.entity_id not in (select entity_id from reference)
)

select
    entity_id,
    name_vi,
    {{ ascii_name('name_vi') }} as name_ascii,
    level,
    province,
    parent_entity_id,
    gso_code,
    valid_from,
    valid_to,
    successor_entity_id
from reference
union all
select
    entity_id,
    name_vi,
    {{ ascii_name('name_vi') }} as name_ascii,
    level,
    province,
    parent_entity_id,
    cast(null as varchar) as gso_code,
    cast(null as date) as valid_from,
    cast(null as date) as valid_to,
    cast(null as varchar) as successor_entity_id
from observed_only
