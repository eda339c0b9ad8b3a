-- One row per dimension and value that published observations carry: what
-- `breakdown` can say. Dimensions and their meaning come from the vocabulary
-- (chiso/indicators/dimensions.py) and the catalog's components; a value is
-- counted over the observations and measures that carry it, so an analyst
-- sees which filters exist before writing one.
with pairs as (
    select
        f.indicator_code,
        split_part(pair, '=', 1) as dimension,
        substr(pair, strpos(pair, '=') + 1) as value
    from {{ ref('fct_indicator_observation') }} as f,
        unnest(string_split(f.breakdown, '; ')) as t(pair)
    where f.breakdown <> ''
),

described as (
    select dimension, description
    from {{ source('landing', 'catalog_dimensions') }}
    where value is null
),

components as (
    select value, indicator_code, name_vi, name_en
    from {{ source('landing', 'catalog_dimensions') }}
    where dimension = 'component' and value is not null
)

select
    p.dimension || '=' || p.value as breakdown_key,
    p.dimension,
    p.value,
    d.description as dimension_description,
    min(c.name_vi) as value_name_vi,
    min(c.name_en) as value_name_en,
    count(*) as n_observations,
    list(distinct p.indicator_code order by p.indicator_code) as indicator_codes
from pairs as p
left join described as d using (dimension)
left join components as c on p.dimension = 'component' and c.value = p.value and c.indicator_code = p.indicator_code
group by p.dimension, p.value, d.description
