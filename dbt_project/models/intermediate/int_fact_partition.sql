{{ config(materialized='table') }}
-- depends_on: {{ ref('int_changed_documents') }}, {{ ref('int_column_meanings') }}
-- The documents this build rewrites in fct_indicator_observation: those of
-- int_changed_documents, and those whose bare column numbers borrow another
-- meaning tonight (a new document about the same table can change the most
-- frequent reading, int_column_meanings). Only bare-column rows are compared,
-- so the check costs what those rows cost. On a first build or
-- `--full-refresh` every published document is `landed`.
{% set previous = previous_table('marts', 'fct_indicator_observation') %}
{% if previous is none %}
select distinct document_id, 'landed' as change from {{ ref('int_observations_keyed') }}
{% else %}
select document_id, change from {{ ref('int_changed_documents') }}
union all
select distinct k.document_id, 'landed' as change
from {{ ref('int_observations_keyed') }} as k
left join {{ ref('int_column_meanings') }} as m on {{ meaning_join('k', 'm') }}
inner join {{ previous }} as f using (observation_id)
where k.is_bare_column
    and (f.indicator_code, f.breakdown) is distinct from ({{ borrowed_code('k', 'm') }}, {{ borrowed_breakdown('k', 'm') }})
    and k.document_id not in (select document_id from {{ ref('int_changed_documents') }})
{% endif %}
