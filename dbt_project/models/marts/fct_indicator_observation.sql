{{ config(rebuilt_by('document_id', 'int_fact_partition')) }}
-- depends_on: {{ ref('int_touched_indicators') }}
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
-- identify a value. An observation whose label is a bare column number takes
-- them from the same table elsewhere (int_column_meanings), and
-- `label_indicator_code` keeps what its own label gave.
--
-- Incremental by document (int_fact_partition), and written in the order of
-- (indicator_code, entity_id, period_end): a series or comparison query then
-- reads only the row groups that hold its indicator, as DuckDB skips the rest
-- by their min/max (zone maps). A full build sorts the whole table; a night
-- appends its documents' rows, sorted among themselves.
with mapped as (
    select
        k.*,
        {{ borrowed_code('k', 'm') }} as mapped_code,
        {{ borrowed_breakdown('k', 'm') }} as mapped_breakdown,
        m.indicator_code is not null as is_borrowed_meaning,
        m.meaning_label
    from {{ ref('int_observations_keyed') }} as k
    left join {{ ref('int_column_meanings') }} as m on {{ meaning_join('k', 'm') }}
    {% if is_incremental() %}
    where k.document_id in (select document_id from {{ ref('int_fact_partition') }} where change = 'landed')
    {% endif %}
)

select
    observation_id,
    mapped_code as indicator_code,
    mapped_breakdown as breakdown,
    {{ breakdown_map('mapped_breakdown') }} as dimensions,
    indicator_label,
    indicator_code as label_indicator_code,
    is_borrowed_meaning,
    meaning_label,
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
from mapped
order by mapped_code, entity_id, period_end, observation_id
