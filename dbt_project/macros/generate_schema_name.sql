{#-
    Models land in exactly the schema they configure (`marts`, `staging`,
    `intermediate`), not dbt's default `<target>_<custom>` (`main_marts`):
    the marts schema is a public contract that analysts and the API query by name.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
