-- Measures read from printed labels that the catalog does not know: the
-- review list for extending chiso/indicators/catalog/*.yml (`chiso catalog`
-- ranks it; `--draft` writes entries to start from).
with unmapped as (
    select indicator_code, indicator_label, unit, document_id
    from {{ ref('int_observations_keyed') }}
    where not in_catalog
),

label_counts as (
    select indicator_code, indicator_label, count(*) as n
    from unmapped
    group by indicator_code, indicator_label
),

best_label as (
    select indicator_code, indicator_label
    from label_counts
    qualify row_number() over (partition by indicator_code order by n desc, indicator_label) = 1
),

documents as (
    select u.indicator_code, list(distinct d.source_file order by d.source_file) as source_files
    from unmapped as u
    inner join {{ ref('dim_document') }} as d using (document_id)
    group by u.indicator_code
)

select
    u.indicator_code,
    b.indicator_label,
    list(distinct u.indicator_label order by u.indicator_label)[1:5] as label_variants,
    list(distinct u.unit order by u.unit) as units,
    count(*) as n_observations,
    count(distinct u.document_id) as n_documents,
    d.source_files
from unmapped as u
inner join best_label as b using (indicator_code)
inner join documents as d using (indicator_code)
group by u.indicator_code, b.indicator_label, d.source_files
