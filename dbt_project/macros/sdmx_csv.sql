{#-
    The SDMX-CSV (version 1) shape of an export's rows (export_timeseries or
    its harmonised twin), for statistical tools that expect it: one
    observation per row, DATAFLOW first, then the dimensions REF_AREA,
    INDICATOR (the measure), one column per breakdown dimension (SEX,
    AGE_GROUP, COMPONENT, …; `_T` — total — where the observation has no such
    breakdown) and TIME_PERIOD, then OBS_VALUE and the attribute UNIT_MEASURE.

    REF_AREA is the GSO code when the entity has one (provinces, districts)
    and the entity's name otherwise (agencies, party organisations, regions).
    TIME_PERIOD is `YYYY-MM` for a one-month period (GSO's monthly tables),
    the year for other figures at 31 December, and the full date otherwise (a
    figure "as of 31/7/2022" is not a 2022 annual value).

    The breakdown dimensions are the vocabulary's (chiso.indicators.catalog.
    dimension_names), which chiso.load.dbt passes to dbt as CHISO_DIMENSIONS:
    a view's columns are fixed when it is created, and the vocabulary lives in
    Python. dbt run without it (e.g. by hand) would create the view without
    dimension columns, so run it through chiso.load.dbt.run_dbt.
-#}
{% macro sdmx_csv(rows, dataflow) -%}
with pairs as (
    select *, {{ breakdown_map('breakdown') }} as sdmx_dimensions
    from {{ rows }}
)

select
    '{{ dataflow }}' as "DATAFLOW",
    coalesce(gso_code, entity_name) as "REF_AREA",
    indicator_code as "INDICATOR",
    {%- for name in sdmx_dimension_names() %}
    coalesce(sdmx_dimensions['{{ name }}'], '_T') as "{{ name | upper }}",
    {%- endfor %}
    case
        when period_start = date_trunc('month', period_end) and period_end = last_day(period_end)
            then strftime(period_end, '%Y-%m')
        when month(period_end) = 12 and day(period_end) = 31 then cast(year(period_end) as varchar)
        else strftime(period_end, '%Y-%m-%d')
    end as "TIME_PERIOD",
    value as "OBS_VALUE",
    unit as "UNIT_MEASURE"
from pairs
{%- endmacro %}

{#- The breakdown dimensions, in the vocabulary's (sorted) order: one SDMX column each. -#}
{% macro sdmx_dimension_names() -%}
    {{ return(env_var('CHISO_DIMENSIONS', '').split(',') | reject('equalto', '') | list) }}
{%- endmacro %}
