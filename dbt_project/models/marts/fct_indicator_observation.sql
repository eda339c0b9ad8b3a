-- One row per published number: the fact table analysts query, with the
-- printed provenance (document, page, table, row, column, source text).
-- Every observation is kept, whichever document later reports the same
-- figure (indicator_timeseries picks one; observation_conflicts lists
-- disagreements).
select
    observation_id,
    indicator_code,
    indicator_label,
    label_indicator_code,
    entity_id,
    period_start,
    period_end,
    value,
    unit,
    document_id,
    page,
    table_ref,
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
