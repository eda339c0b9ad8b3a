{{ config(rebuilt_by('indicator_code', 'int_touched_indicators')) }}
-- depends_on: {{ ref('int_touched_indicators') }}
-- Province figures on the current map (the 34 provinces of 2025-07-01): the
-- figure to chart of each predecessor (indicator_timeseries) is attributed to
-- the current province that took its territory (following successors: Hà
-- Giang → Tuyên Quang, Hà Tây → Hà Nội), then per measure × breakdown × current
-- province × period end:
-- * additive indicators (catalog `additive`: counts, amounts) are summed
--   over the predecessors that existed at that date; when one of them did
--   not report, `value` is null and `missing_predecessors` says who;
-- * other indicators (scores, ranks, ratios, unmapped codes) pass through
--   only when a single entity covers the territory at that date (an
--   unchanged province, or a merged one after the merger); averaging scores
--   of merged provinces would need weights nobody published, so those rows
--   are left out.
with provinces as (
    select entity_id, name_vi, gso_code, valid_from, valid_to, successor_entity_id
    from {{ ref('dim_entity') }}
    where level = 'province'
),

current_of as (
    select
        p.entity_id,
        coalesce(s2.entity_id, s1.entity_id, p.entity_id) as current_entity_id
    from provinces as p
    left join provinces as s1 on s1.entity_id = p.successor_entity_id
    left join provinces as s2 on s2.entity_id = s1.successor_entity_id
),

current_map as (
    select * from provinces
    where valid_to is null and gso_code is not null
),

series as (
    select
        t.*,
        c.current_entity_id,
        p.name_vi as predecessor_name,
        i.additive
    from {{ ref('indicator_timeseries') }} as t
    inner join current_of as c using (entity_id)
    inner join provinces as p using (entity_id)
    inner join {{ ref('dim_indicator') }} as i using (indicator_code)
    where t.value is not null
    {% if is_incremental() %}
    -- a measure's harmonised figures follow from its own series: only the measures rewritten tonight
    and t.indicator_code in (select indicator_code from {{ ref('int_touched_indicators') }})
    {% endif %}
),

reported as (
    select
        indicator_code,
        breakdown,
        current_entity_id,
        period_start,
        period_end,
        min(unit) as unit,
        bool_and(additive) as additive,
        -- summed in one fixed order: a float sum in the order rows arrive differs in its last bits between
        -- a night landed in one batch and in several
        list_sum(list(value order by entity_id, observation_id)) as value_sum,
        min(value) as single_value,
        count(distinct entity_id) as predecessor_count,
        bool_or(entity_id <> current_entity_id) as is_harmonised,
        list(distinct entity_id order by entity_id) as entity_ids,
        list(predecessor_name order by predecessor_name) as predecessors,
        list(distinct document_id order by document_id) as document_ids,
        list(observation_id order by observation_id) as observation_ids
    from series
    group by indicator_code, breakdown, current_entity_id, period_start, period_end
),

expected as (
    -- the predecessors that existed at each reported date
    select
        r.indicator_code,
        r.breakdown,
        r.current_entity_id,
        r.period_start,
        r.period_end,
        count(*) as expected_predecessor_count,
        coalesce(
            list(p.name_vi order by p.name_vi) filter (where not list_contains(r.entity_ids, p.entity_id)),
            []
        ) as missing_predecessors
    from reported as r
    inner join current_of as c on c.current_entity_id = r.current_entity_id
    inner join provinces as p on p.entity_id = c.entity_id
    where (p.valid_from is null or p.valid_from <= r.period_end)
        and (p.valid_to is null or p.valid_to >= r.period_end)
    group by r.indicator_code, r.breakdown, r.current_entity_id, r.period_start, r.period_end
)

select
    r.indicator_code,
    r.breakdown,
    r.current_entity_id as entity_id,
    m.name_vi as entity_name,
    m.gso_code,
    r.period_start,
    r.period_end,
    case
        when not r.additive then r.single_value
        when len(e.missing_predecessors) = 0 then r.value_sum
    end as value,
    r.unit,
    r.additive,
    r.is_harmonised,
    len(e.missing_predecessors) = 0 as is_complete,
    r.predecessor_count,
    e.expected_predecessor_count,
    r.predecessors,
    e.missing_predecessors,
    r.document_ids,
    r.observation_ids
from reported as r
inner join current_map as m on m.entity_id = r.current_entity_id
inner join expected as e
    on e.indicator_code = r.indicator_code
    and e.breakdown = r.breakdown
    and e.current_entity_id = r.current_entity_id
    and e.period_start is not distinct from r.period_start
    and e.period_end = r.period_end
where r.additive or (e.expected_predecessor_count = 1 and r.predecessor_count = 1)
