-- One row per entity key. The displayed name is the spelling printed most
-- often (ties: alphabetical), so accents lost by OCR do not win over the
-- correct spelling. Districts, agencies and party organisations hang under
-- their province's entity when the warehouse has one; communes get no parent
-- because the landing data does not say which district they belong to.
with observed as (
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

entities as (
    select
        entity_id,
        min(entity_level) as level,
        min(entity_key) as entity_key,
        min(province_key) as province_key
    from observed
    group by entity_id
),

province_entities as (
    select province_key, entity_id as province_entity_id
    from entities
    where level = 'province' and entity_key = province_key and province_key <> ''
)

select
    e.entity_id,
    n.entity_name as name_vi,
    e.level,
    p.province,
    case
        when e.level in ('district', 'agency', 'party_org') then pe.province_entity_id
    end as parent_entity_id
from entities as e
inner join best_name as n using (entity_id)
left join best_province as p using (entity_id)
left join province_entities as pe on pe.province_key = e.province_key
