-- What the warehouse covers: published observations per indicator, province
-- and year (an observation of a district or commune counts for its province).
-- The data-quality report draws it as a heat map; a hole in a row that is
-- otherwise full is a file that did not arrive or did not read.
with located as (
    select
        f.indicator_code,
        coalesce(e.province, case when e.level = 'province' then e.name_vi end) as province,
        year(f.period_end) as year
    from {{ ref('fct_indicator_observation') }} as f
    inner join {{ ref('dim_entity') }} as e using (entity_id)
    where f.period_end is not null
)

select
    indicator_code,
    province,
    year,
    count(*) as observations
from located
where province is not null
group by indicator_code, province, year
