-- Every check of every kept run: one passing row per expectation and document
-- checked, one row per failing unit (document, table or row) with the printed
-- (observed) and expected value. `outcome` reads the severity for a person:
-- a failure that holds data is `held`, an arithmetic difference beyond the
-- printed precision a `discrepancy` (flagged), one within it `rounding`
-- (published unflagged), and everything else `passed`.
select
    c.run_id,
    r.started_at as run_started_at,
    c.checked_at,
    c.suite,
    c.expectation,
    c.unit,
    c.holds,
    c.document_id,
    d.source_file,
    c.observation_id,
    c.page,
    c.table_ref,
    c.row_label,
    c.column_label,
    c.success,
    c.observed_value,
    c.expected_value,
    c.severity,
    case
        when c.success then 'passed'
        when c.holds = 'none' then c.severity
        else 'held'
    end as outcome,
    c.reason
from {{ ref('stg_check_results') }} as c
left join {{ ref('stg_runs') }} as r using (run_id)
left join {{ ref('stg_documents') }} as d using (document_id)
