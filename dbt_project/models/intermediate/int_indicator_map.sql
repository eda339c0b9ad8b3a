-- Printed label → indicator catalog code, per document. A label maps when
-- its folded text matches an alias's `label_pattern` (a regular expression
-- on folded text) and, for aliases that need it, the document's folded file
-- name, title and issuer match `source_pattern` (a PCI "Transparency" is not
-- a PAPI one; a MoF plan is not its final accounts). When several aliases
-- match, the one with a source condition wins, then the first code
-- alphabetically, so the choice is stable.
with documents as (
    select
        document_id,
        {{ fold("source_file || ' ' || coalesce(title, '') || ' ' || coalesce(issuer, '')") }} as source_key
    from {{ ref('stg_documents') }}
),

labels as (
    select distinct document_id, indicator_label, {{ fold('indicator_label') }} as label_key
    from {{ ref('stg_observations') }}
),

aliases as (
    -- only aliases of catalog indicators (the seed tests flag strays)
    select a.indicator_code, a.label_pattern, nullif(trim(a.source_pattern), '') as source_pattern
    from {{ ref('indicator_aliases') }} as a
    inner join {{ ref('indicator_catalog') }} as c using (indicator_code)
)

select
    l.document_id,
    l.indicator_label,
    a.indicator_code as catalog_code
from labels as l
inner join documents as d using (document_id)
inner join aliases as a
    on regexp_matches(l.label_key, a.label_pattern)
    and (a.source_pattern is null or regexp_matches(d.source_key, a.source_pattern))
qualify row_number() over (
    partition by l.document_id, l.indicator_label
    order by a.source_pattern is null, a.indicator_code
) = 1
