-- What `chiso export --format sdmx-csv` writes: export_timeseries in the
-- SDMX-CSV shape (see macros/sdmx_csv.sql). A view, ordered by the export.
{{ sdmx_csv(ref('export_timeseries'), 'CHISO:INDICATOR_TIMESERIES(1.0)') }}
