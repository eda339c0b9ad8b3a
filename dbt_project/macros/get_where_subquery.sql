{#-
    Data tests of the two document-partitioned tables run on the documents this
    build rewrote (every document on a full build): the rows of the others were
    tested when they were written and have not changed since. The partition is
    named by its table because the `where` config of a .yml test cannot `ref`.
    Any `where` a test sets is kept.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set partitions = {
        'int_observations_keyed': 'int_changed_documents',
        'fct_indicator_observation': 'int_fact_partition',
    } -%}
    {%- set where = config.get('where', '') -%}
    {%- set partition = partitions.get(relation.identifier) if relation.identifier is defined else none -%}
    {%- if partition -%}
        {%- set filters = ["document_id in (select document_id from " ~ relation.database ~ ".intermediate." ~ partition ~ ")"] -%}
        {%- if where -%}{%- do filters.append("(" ~ where ~ ")") -%}{%- endif -%}
        {%- do return("(select * from " ~ relation ~ " where " ~ (filters | join(" and ")) ~ ") dbt_subquery") -%}
    {%- elif where -%}
        {%- do return("(select * from " ~ relation ~ " where " ~ where ~ ") dbt_subquery") -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
