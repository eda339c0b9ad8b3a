{#-
    The most frequent value of `expr` in a group, the smallest one on a tie.
    DuckDB's mode() breaks ties by whichever row it met first, and that order
    changes with threads and batches: a borrowed column label chosen by mode()
    made two builds of the same landing tables publish different provenance.
-#}
{% macro most_frequent(expr) -%}
    list_sort(list_transform(
        map_entries(histogram({{ expr }})), lambda e: {'n': -(e.value::bigint), 'value': e.key}
    ))[1].value
{%- endmacro %}
