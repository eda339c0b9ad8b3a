-- One row per published number: the fact table analysts query, with the
-- printed provenance (document, page, table, row, column, source text).
-- Every observation is kept, whichever document later reports the same
-- figure (indicator_timeseries picks one; observation_conflicts lists
-- disagreements).
--
-- What a number measures is `indicator_code` (the measure) + `breakdown` (its
-- dimensions as `dimension=value` pairs sorted by dimension and joined by
-- '; ', empty when none); `dimensions` is the same as a MAP for filtering
-- (`dimensions['sex'] = 'female'`). Measure + breakdown + entity + period
-- identify a value.
select
    observation_id,
    indicator_code,
    breakdown,
    {{ breakdown_map('breakdown') }} as dimensions,
    indicator_label,
    label_indicator_code,
    is_borrowed_meaning,
    entity_id,
    period_start,
    period_end,
    value,
    unit,
    document_id,
    page,
    table_ref,
    table_title,
    row_label,
    column_label,
    column_code,
    source_text,
    extraction_method,
    is_total,
    quality_flag,
    status,
    run_id,
    loaded_at
from {{ ref('int_observations_keyed') }}
