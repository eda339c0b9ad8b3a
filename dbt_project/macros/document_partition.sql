{#-
    What an incremental build rewrites is decided per document: a document's
    rows are written together by the loader (one run_id) and replaced together
    (chiso/lifecycle.py), so "which documents changed" is exact and cheap.

    document_fingerprint: one row per published document of `observations`
    (a relation with observation_id, document_id, run_id, indicator_code and
    breakdown): its run, its row count and a digest of its readings, which
    chiso.indicators.remap may update in place when the catalog changes.
-#}
{% macro document_fingerprint(observations) -%}
    select
        document_id,
        min(run_id) as run_id,
        count(*) as n_rows,
        bit_xor(hash(observation_id, indicator_code, breakdown)) as readings
    from {{ observations }}
    group by document_id
{%- endmacro %}

{#-
    The relation a partition model compares against: the table an earlier
    build left, or none (first build, --full-refresh, or a view left by a
    release before incremental builds) — then every document is rewritten.
-#}
{% macro previous_table(schema, identifier) -%}
    {%- if flags.FULL_REFRESH -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set relation = adapter.get_relation(database=this.database, schema=schema, identifier=identifier) -%}
    {%- if relation is none or not relation.is_table -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}

{#-
    Pre-hook of a model built by "delete the partition, append it again"
    (incremental_strategy 'append'): inside the model's transaction, delete
    from the table every row whose `key` is in `partition` (the keys this
    build recomputes, the vanished ones included), so the append that follows
    leaves exactly one current version of each. Nothing to delete on a first
    build or --full-refresh, when the whole table is rebuilt.
-#}
{% macro delete_partition(key, partition) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ key }} in (select {{ key }} from {{ partition }})
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#-
    The config of a model rebuilt by partition: incremental by "delete the
    partition, append it again" (delete_partition as its pre-hook), `key` the
    column and `partition` the model that lists the keys this build
    recomputes. One definition for the fact table, the marts incremental by
    measure and the keyed observations: `{{ config(rebuilt_by('indicator_code',
    'int_touched_indicators')) }}`.
-#}
{% macro rebuilt_by(key, partition) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'pre_hook': ["{{ delete_partition('" ~ key ~ "', ref('" ~ partition ~ "')) }}"],
    }) }}
{%- endmacro %}
