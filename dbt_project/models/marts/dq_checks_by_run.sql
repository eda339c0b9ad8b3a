-- Per run and suite: checks evaluated, passed and failed, with the arithmetic
-- failures split into discrepancies and rounding — the "checks failed by
-- suite" trend of the data-quality report. Rounding is counted apart: it is
-- the printed precision of the source, not a problem.
select
    c.run_id,
    r.started_at as run_started_at,
    c.suite,
    count(*) as checks,
    count(*) filter (where c.success) as passed,
    count(*) filter (where not c.success and c.outcome <> 'rounding') as failed,
    count(*) filter (where c.outcome = 'held') as held,
    count(*) filter (where c.outcome = 'discrepancy') as discrepancies,
    count(*) filter (where c.outcome = 'rounding') as rounding
from {{ ref('dq_check_results') }} as c
left join {{ ref('stg_runs') }} as r using (run_id)
group by c.run_id, r.started_at, c.suite
