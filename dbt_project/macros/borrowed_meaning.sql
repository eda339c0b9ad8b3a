{#-
    The measure and breakdown of a keyed observation `k` once a bare column
    number ("Cột 3") has borrowed its meaning `m` (int_column_meanings, left
    joined): the borrowed dimensions and the observation's own category,
    sorted. One definition for the fact table and for the check that finds
    documents whose borrowed meaning changed (int_fact_partition).
-#}
{% macro borrowed_code(k, m) -%}
    coalesce({{ m }}.indicator_code, {{ k }}.indicator_code)
{%- endmacro %}

{% macro borrowed_breakdown(k, m) -%}
    case
        when {{ m }}.indicator_code is null then {{ k }}.breakdown
        else array_to_string(
            list_sort(list_filter(
                list_concat(string_split({{ m }}.breakdown, '; '), string_split({{ k }}.breakdown, '; ')),
                lambda pair: pair <> ''
            )),
            '; '
        )
    end
{%- endmacro %}

{% macro meaning_join(k, m) -%}
    {{ k }}.is_bare_column
    and {{ m }}.document_id = {{ k }}.document_id
    and {{ m }}.table_key = {{ k }}.table_key
    and {{ m }}.indicator_label = {{ k }}.indicator_label
{%- endmacro %}
