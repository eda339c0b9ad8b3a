{#-
    The key of an entity: md5 of its level, its province's and its own folded
    names, and, for a unit created by the 2025 reform, the day it began
    ("commune|lam dong|phuong 1 bao loc|2025-07-01"). One definition for the
    reference units (int_entity_reference) and the observed ones
    (int_observations_keyed), so an observation lands on its reference row
    whatever the spelling of its accents and case. `province_key` and
    `name_key` are folded already (macro fold); `since` is a varchar or null.
-#}
{% macro entity_key(level, province_key, name_key, since=none) -%}
    md5(
        {{ level }} || '|' || {{ province_key }} || '|' || {{ name_key }}
        {%- if since is not none %} || coalesce('|' || {{ since }}, ''){% endif %}
    )
{%- endmacro %}
