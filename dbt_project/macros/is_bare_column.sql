{#-
    True when a printed label is only a column number ("Cột 3", "Cột 9 = 7/1"):
    an OCR table whose header was not read. Given the column's label, not the
    indicator's: a category row's indicator label is "Cột 3 — Bí thư cấp ủy",
    and its column is as bare as any. Such a column borrows its meaning
    from the same table elsewhere (int_column_meanings).
-#}
{% macro is_bare_column(label) -%}
    regexp_matches({{ fold(label) }}, '^cot [0-9a-z]+( ?[=:] ?[0-9a-z/+*x.-]+)?$')
{%- endmacro %}
