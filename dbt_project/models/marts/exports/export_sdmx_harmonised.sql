-- What `chiso export --format sdmx-csv --harmonised` writes:
-- export_timeseries_harmonised in the SDMX-CSV shape (see macros/sdmx_csv.sql).
{{ sdmx_csv(ref('export_timeseries_harmonised'), 'CHISO:INDICATOR_TIMESERIES_HARMONISED(1.0)') }}
