{# A name without diacritics, case kept ('Hải Dương' → 'Hai Duong'): `đ` is a letter of its own, not an accent. #}
{% macro ascii_name(column) -%}
strip_accents(replace(replace({{ column }}, 'đ', 'd'), 'Đ', 'D'))
{%- endmacro %}
