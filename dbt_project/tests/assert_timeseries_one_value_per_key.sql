-- indicator_timeseries promises one value per measure × breakdown × entity × period
-- (start and end; a null start is a period of its own).
select indicator_code, breakdown, entity_id, period_start, period_end, count(*) as n
from {{ ref('indicator_timeseries') }}
group by indicator_code, breakdown, entity_id, period_start, period_end
having count(*) > 1
