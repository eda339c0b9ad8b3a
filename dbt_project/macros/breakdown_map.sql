{#-
    The canonical breakdown text ('age_group=0-4; sex=female') as a
    MAP(VARCHAR, VARCHAR), so analysts filter with dimensions['sex'].
    Values may contain '=', so each pair is cut at its first '='.
-#}
{% macro breakdown_map(expr) -%}
    cast(
        map_from_entries(
            list_transform(
                list_filter(string_split({{ expr }}, '; '), lambda pair: pair <> ''),
                lambda pair: {'key': split_part(pair, '=', 1), 'value': substr(pair, strpos(pair, '=') + 1)}
            )
        ) as map(varchar, varchar)
    )
{%- endmacro %}
