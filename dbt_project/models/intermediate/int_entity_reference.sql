-- Reference entities from the administrative units and the successions seed,
-- keyed exactly like observed entities: entity_id = md5(level | folded
-- province | folded name), so a reference row and the observations of the
-- same place meet on one id.
--
-- The 2024 map (2008-2025) is the baseline. A province formed on
-- `current_map_from` by merging several (Tuyên Quang + Hà Giang → Tuyên
-- Quang) is a new entity, its id suffixed with that date, because its
-- territory is not the one its name had before; its predecessors end the day
-- before and point to it. Unchanged provinces (Hà Nội, Thừa Thiên Huế → Huế)
-- stay one entity. Hà Tây, absorbed by Hà Nội in 2008, ends on 2008-07-31 and
-- points to Hà Nội. Districts end with the district level on 2025-06-30.
-- The communes of the 2025 map start on `current_map_from` under their 2025
-- province; their id carries that date too, so a commune of the same name
-- printed before the reform (a different, pre-merger commune) stays apart.
{% set reform = "date '" ~ var('current_map_from') ~ "'" %}
with units as (
    select * from {{ ref('stg_admin_units') }}
),

successions as (
    select * from {{ ref('province_successions') }}
),

new_territories as (
    select successor_gso_code, successor_name, effective_date
    from successions
    where effective_date = {{ reform }}
    group by successor_gso_code, successor_name, effective_date
    having count(*) > 1
),

provinces_2024 as (
    select
        gso_code,
        entity_name,
        {{ entity_key("'province'", fold('entity_name'), fold('entity_name')) }} as entity_id
    from units
    where snapshot = '2024' and level = 'province'
),

new_provinces as (
    select
        {{ entity_key("'province'", fold('successor_name'), fold('successor_name'), 'cast(effective_date as varchar)') }}
            as entity_id,
        successor_gso_code as gso_code,
        successor_name as name_vi,
        'province' as level,
        successor_name as province,
        cast(null as varchar) as parent_entity_id,
        effective_date as valid_from,
        cast(null as date) as valid_to,
        cast(null as varchar) as successor_entity_id
    from new_territories
),

old_provinces as (
    select
        p.entity_id,
        p.gso_code,
        p.entity_name as name_vi,
        'province' as level,
        p.entity_name as province,
        cast(null as varchar) as parent_entity_id,
        cast(null as date) as valid_from,
        case when coalesce(n.entity_id, a.entity_id) is not null then s.effective_date - 1 end as valid_to,
        coalesce(n.entity_id, a.entity_id) as successor_entity_id
    from provinces_2024 as p
    left join successions as s on s.predecessor_gso_code = p.gso_code
    left join new_provinces as n
        on n.gso_code = s.successor_gso_code and n.valid_from = s.effective_date
    left join provinces_2024 as a  -- absorbed by a province of the 2024 map (Hà Tây → Hà Nội)
        on a.gso_code = s.successor_gso_code and s.effective_date < {{ reform }} and a.gso_code <> p.gso_code
),

districts as (
    select
        {{ entity_key("'district'", fold('p.entity_name'), fold('d.entity_name')) }} as entity_id,
        d.gso_code,
        d.entity_name as name_vi,
        'district' as level,
        p.entity_name as province,
        p.entity_id as parent_entity_id,
        cast(null as date) as valid_from,
        {{ reform }} - 1 as valid_to,
        cast(null as varchar) as successor_entity_id
    from units as d
    inner join provinces_2024 as p on p.gso_code = d.parent_code
    where d.snapshot = '2024' and d.level = 'district'
),

provinces_2025 as (
    select u.gso_code, u.entity_name, coalesce(n.entity_id, p.entity_id) as entity_id
    from units as u
    left join new_provinces as n on n.gso_code = u.gso_code
    left join provinces_2024 as p on p.gso_code = u.gso_code
    where u.snapshot = '2025' and u.level = 'province'
),

communes as (
    select
        {{ entity_key("'commune'", fold('p.entity_name'), fold('c.entity_name'), 'cast(' ~ reform ~ ' as varchar)') }}
            as entity_id,
        c.gso_code,
        c.entity_name as name_vi,
        'commune' as level,
        p.entity_name as province,
        p.entity_id as parent_entity_id,
        {{ reform }} as valid_from,
        cast(null as date) as valid_to,
        cast(null as varchar) as successor_entity_id
    from units as c
    inner join provinces_2025 as p on p.gso_code = c.parent_code
    where c.snapshot = '2025' and c.level = 'commune'
)

select * from old_provinces
union all
select * from new_provinces
union all
select * from districts
union all
select * from communes
