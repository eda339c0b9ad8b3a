-- The reference administrative units (chiso/resolve/data), read in place so
-- the label resolver and the warehouse share one copy: `2024` is the map of
-- 2008-2025 (63 provinces, their districts, plus Hà Tây), `2025` the 34
-- provinces of 1 July 2025. Codes stay text: '01' is not 1.
{% set columns = "{'gso_code': 'VARCHAR', 'level': 'VARCHAR', 'division_type': 'VARCHAR', 'name': 'VARCHAR', 'short_name': 'VARCHAR', 'entity_name': 'VARCHAR', 'parent_code': 'VARCHAR'}" %}
{% for snapshot in ['2024', '2025'] %}
select
    '{{ snapshot }}' as snapshot,
    gso_code,
    level,
    division_type,
    name,
    short_name,
    entity_name,
    nullif(trim(parent_code), '') as parent_code
from read_csv(
    '{{ var("admin_units_dir") }}/admin_units_{{ snapshot }}.csv',
    header = true,
    columns = {{ columns }}
)
{% if not loop.last %}union all{% endif %}
{% endfor %}
