-- indicator_timeseries promises one value per indicator × entity × period end.
select indicator_code, entity_id, period_end, count(*) as n
from {{ ref('indicator_timeseries') }}
group by indicator_code, entity_id, period_end
having count(*) > 1
