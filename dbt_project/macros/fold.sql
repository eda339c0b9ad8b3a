{#-
    SQL twin of chiso.normalize.text.fold: lower case, no diacritics, đ → d,
    single spaces. Entity keys are built on it so that "HẢI DƯƠNG",
    "Hải Dương" and OCR's "Hai Duong" are one entity.
-#}
{% macro fold(expr) -%}
    trim(regexp_replace(strip_accents(replace(lower(coalesce({{ expr }}, '')), 'đ', 'd')), '\s+', ' ', 'g'))
{%- endmacro %}
