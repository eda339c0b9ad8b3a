{{ config(materialized='table') }}
-- depends_on: {{ ref('int_fact_partition') }}, {{ ref('int_observations_keyed') }}, {{ ref('int_column_meanings') }}
-- The measures whose series this build recomputes (indicator_timeseries and
-- its harmonised view are incremental by indicator_code): every measure a
-- rewritten document of int_fact_partition carried before (read from the
-- fact table an earlier build left, before this build rewrites it) or
-- carries now. A series of any other measure has exactly the candidates it
-- had. Empty on a first build or `--full-refresh`, which rebuild everything.
{% set previous = previous_table('marts', 'fct_indicator_observation') %}
{% if previous is none %}
select cast(null as varchar) as indicator_code where false
{% else %}
select distinct f.indicator_code
from {{ previous }} as f
where f.document_id in (select document_id from {{ ref('int_fact_partition') }})
union
select distinct {{ borrowed_code('k', 'm') }} as indicator_code
from {{ ref('int_observations_keyed') }} as k
left join {{ ref('int_column_meanings') }} as m on {{ meaning_join('k', 'm') }}
where k.document_id in (select document_id from {{ ref('int_fact_partition') }} where change = 'landed')
{% endif %}
