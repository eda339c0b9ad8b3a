{{ config(materialized='table') }}
-- The documents this build rewrites in int_observations_keyed: a published
-- document whose rows differ from what the table holds (new, changed under
-- its path, restored, or re-read by a catalog change) is `landed`; one the
-- table holds that is no longer published (retracted, superseded,
-- quarantined) is `removed`. Compared by fingerprint (chiso's loader writes
-- a document's rows together, with one run_id), not by timestamps, so a
-- build that failed or a hand-run `dbt build` never leaves a document stale.
-- On a first build or `--full-refresh` every published document is `landed`.
{% set previous = previous_table('intermediate', 'int_observations_keyed') %}
with published as (
    select o.observation_id, o.document_id, o.run_id, o.indicator_code, o.breakdown
    from {{ ref('stg_observations') }} as o
    semi join (select document_id from {{ ref('stg_documents') }} where status = 'loaded') as d using (document_id)
),

landed as (
    {{ document_fingerprint('published') }}
)
{% if previous is none %}
select document_id, 'landed' as change from landed
{% else %}
, built as (
    {{ document_fingerprint(previous) }}
)

select document_id, 'landed' as change
from (select * from landed except select * from built)
union all
select document_id, 'removed' as change
from (select document_id from built except select document_id from landed)
{% endif %}
