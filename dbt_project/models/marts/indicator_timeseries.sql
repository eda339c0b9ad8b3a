{{ config(rebuilt_by('indicator_code', 'int_touched_indicators')) }}
-- depends_on: {{ ref('int_touched_indicators') }}
-- One value per measure × breakdown × entity × period (start and end: December of a
-- monthly table and the year of an annual one both end on 31 December, yet
-- are different figures; a null start is a period of its own). When several documents
-- report it, the latest document wins (latest issue date, then latest first
-- seen, then document_id so the choice is stable); within a document a
-- non-total row wins over a totals row (e.g. a sentence "toàn tỉnh có …" over
-- the table's "Cộng" row), then the first printed.
with candidates as (
    select
        f.indicator_code,
        f.breakdown,
        f.entity_id,
        f.period_start,
        f.period_end,
        f.value,
        f.unit,
        f.is_total,
        f.observation_id,
        f.document_id,
        d.issue_date,
        count(*) over (partition by f.indicator_code, f.breakdown, f.entity_id, f.period_start, f.period_end) as n_candidates,
        row_number() over (
            partition by f.indicator_code, f.breakdown, f.entity_id, f.period_start, f.period_end
            order by
                d.issue_date desc nulls last,
                d.first_seen_at desc nulls last,
                f.document_id desc,
                f.is_total asc,
                f.page asc nulls last,
                f.observation_id asc
        ) as preference
    from {{ ref('fct_indicator_observation') }} as f
    inner join {{ ref('dim_document') }} as d using (document_id)
    where f.period_end is not null
    {% if is_incremental() %}
    -- a series changes only when one of its candidates does: only the measures of rewritten documents
    and f.indicator_code in (select indicator_code from {{ ref('int_touched_indicators') }})
    {% endif %}
)

select
    indicator_code,
    breakdown,
    {{ breakdown_map('breakdown') }} as dimensions,
    entity_id,
    period_start,
    period_end,
    value,
    unit,
    is_total,
    observation_id,
    document_id,
    issue_date,
    n_candidates
from candidates
where preference = 1
order by indicator_code, entity_id, period_end
