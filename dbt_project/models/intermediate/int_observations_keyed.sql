{{ config(rebuilt_by('document_id', 'int_changed_documents')) }}
-- Published observations (their document's status is 'loaded') with the
-- entity key: entity_id = md5(level | folded province | folded name), so the
-- same place printed with or without accents, in any case, is one entity; a
-- province figure dated on or after the 2025 merger whose name is that of a
-- merged province belongs to the new, larger territory (id suffixed with the
-- merger date, as in int_entity_reference); so does a commune figure dated on
-- or after it: it meets the 2025 commune of that name in its province, while
-- an earlier one stays a commune of its own. indicator_code and breakdown are
-- what chiso.indicators read from the observation's own label at load time;
-- `table_key` and `is_bare_column` let a bare column number borrow its
-- meaning from the same table elsewhere (int_column_meanings, applied in
-- fct_indicator_observation).
--
-- Folding and hashing every row is the expensive part of the warehouse, so
-- this is a table written once per document: a build rewrites only the
-- documents of int_changed_documents and deletes those no longer published.
{% set reform = "date '" ~ var('current_map_from') ~ "'" %}
with new_territories as (
    select distinct {{ fold('successor_name') }} as name_key, cast(effective_date as varchar) as since
    from {{ ref('province_successions') }}
    where effective_date = {{ reform }}
    group by successor_name, effective_date
    having count(*) > 1
),

keyed as (
    select
        o.*,
        {{ fold('o.entity_name') }} as entity_key,
        {{ fold('o.province') }} as province_key,
        {{ fold('o.table_ref') }} as table_key,
        {{ is_bare_column('coalesce(o.column_label, o.indicator_label)') }} as is_bare_column
    from {{ ref('stg_observations') }} as o
    semi join (select document_id from {{ ref('stg_documents') }} where status = 'loaded') as d using (document_id)
    {% if is_incremental() %}
    where o.document_id in (select document_id from {{ ref('int_changed_documents') }} where change = 'landed')
    {% endif %}
)

select
    k.*,
    {{ entity_key(
        "coalesce(k.entity_level, '')", 'k.province_key', 'k.entity_key',
        "coalesce(t.since, case when k.entity_level = 'commune' and k.period_end >= " ~ reform
            ~ " then cast(" ~ reform ~ " as varchar) end)"
    ) }} as entity_id
from keyed as k
left join new_territories as t
    on k.entity_level = 'province'
    and k.entity_key = t.name_key
    and k.province_key = t.name_key
    and k.period_end >= {{ reform }}
