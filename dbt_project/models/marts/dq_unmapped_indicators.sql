{{ config(rebuilt_by('indicator_code', 'int_touched_indicators')) }}
-- depends_on: {{ ref('int_touched_indicators') }}
-- Measures read from printed labels that the catalog does not know: the
-- review list for extending chiso/indicators/catalog/*.yml (`chiso catalog`
-- ranks it; `--draft` writes entries to start from). Incremental by measure,
-- as dim_indicator.
with unmapped as (
    select f.indicator_code, f.indicator_label, f.unit, f.document_id
    from {{ ref('fct_indicator_observation') }} as f
    anti join {{ source('landing', 'catalog_indicators') }} as c using (indicator_code)
    {% if is_incremental() %}
    where f.indicator_code in (select indicator_code from {{ ref('int_touched_indicators') }})
    {% endif %}
),

label_counts as (
    select indicator_code, indicator_label, count(*) as n
    from unmapped
    group by indicator_code, indicator_label
),

labels as (
    -- one row per label of a measure first: the measure's rows are counted once, not once per list
    select
        indicator_code,
        list(indicator_label order by n desc, indicator_label)[1] as indicator_label,
        list(indicator_label order by indicator_label)[1:5] as label_variants,
        cast(sum(n) as bigint) as n_observations
    from label_counts
    group by indicator_code
),

documents as (
    select indicator_code, count(*) as n_documents, list(distinct d.source_file order by d.source_file) as source_files
    from (select distinct indicator_code, document_id from unmapped) as u
    inner join {{ ref('dim_document') }} as d using (document_id)
    group by indicator_code
),

units as (
    select indicator_code, list(unit order by unit) as units
    from (select distinct indicator_code, unit from unmapped)
    group by indicator_code
)

select
    l.indicator_code,
    l.indicator_label,
    l.label_variants,
    u.units,
    l.n_observations,
    d.n_documents,
    d.source_files
from labels as l
inner join units as u using (indicator_code)
inner join documents as d using (indicator_code)
