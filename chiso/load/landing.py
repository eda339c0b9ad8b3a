"""The landing schema: the one place that defines what the loader writes and dbt reads.

The loader (chiso/load/warehouse.py) appends here; the dbt sources (dbt_project/models/
staging/sources.yml) read exactly these columns. Keeping the DDL in one constant
lets the loader, the dbt tests and the fixtures share a single definition, so a
column added here cannot silently go missing on one side.
"""

from __future__ import annotations

import duckdb

LANDING_DDL: str = """
CREATE SCHEMA IF NOT EXISTS landing;

CREATE TABLE IF NOT EXISTS landing.documents (
    document_id   VARCHAR PRIMARY KEY,  -- sha256 of the file content
    source_file   VARCHAR,              -- file name
    source_path   VARCHAR,
    format        VARCHAR,
    doc_number    VARCHAR,
    issuer        VARCHAR,
    issue_date    DATE,
    province      VARCHAR,
    title         VARCHAR,
    pages         INTEGER,
    data_date     DATE,
    status        VARCHAR,              -- loaded | quarantined | rejected
    first_seen_at TIMESTAMP,
    run_id        VARCHAR
);

CREATE TABLE IF NOT EXISTS landing.observations (
    observation_id    VARCHAR,          -- stable: sha of document_id + seq
    document_id       VARCHAR,
    seq               INTEGER,
    indicator_code    VARCHAR,
    indicator_label   VARCHAR,
    value             DOUBLE,
    unit              VARCHAR,          -- count | percent | score | ratio | amount
    entity_name       VARCHAR,
    entity_level      VARCHAR,
    province          VARCHAR,
    period_start      DATE,
    period_end        DATE,
    page              INTEGER,
    table_ref         VARCHAR,
    row_label         VARCHAR,
    column_label      VARCHAR,
    column_code       VARCHAR,
    source_text       VARCHAR,
    extraction_method VARCHAR,
    is_total          BOOLEAN,
    quality_flag      VARCHAR,
    run_id            VARCHAR,
    loaded_at         TIMESTAMP
);

CREATE TABLE IF NOT EXISTS landing.quarantine (
    run_id         VARCHAR,
    document_id    VARCHAR,             -- sha256 of the file, also of an unreadable one
    source_file    VARCHAR,
    stage          VARCHAR,             -- read | structure | validate
    reason         VARCHAR,
    quarantined_at TIMESTAMP
);

-- Cells the gate held back (one impossible value, or every cell of an altered copy),
-- with the observation's columns so a reviewer sees the printed number and where it was.
CREATE TABLE IF NOT EXISTS landing.held_observations (
    observation_id    VARCHAR,
    document_id       VARCHAR,
    indicator_label   VARCHAR,
    value             DOUBLE,
    unit              VARCHAR,
    entity_name       VARCHAR,
    entity_level      VARCHAR,
    period_end        DATE,
    page              INTEGER,
    table_ref         VARCHAR,
    row_label         VARCHAR,
    column_label      VARCHAR,
    source_text       VARCHAR,
    extraction_method VARCHAR,
    held_unit         VARCHAR,          -- row | document
    reason            VARCHAR,
    run_id            VARCHAR
);

CREATE TABLE IF NOT EXISTS landing.runs (
    run_id                VARCHAR,
    started_at            TIMESTAMP,
    finished_at           TIMESTAMP,
    documents_seen        INTEGER,
    documents_new         INTEGER,
    documents_loaded      INTEGER,
    documents_quarantined INTEGER,
    observations_loaded   INTEGER,
    checks_failed         INTEGER
);

-- Row labels and place names that matched no entity: listed for review, never guessed.
CREATE TABLE IF NOT EXISTS landing.unresolved_labels (
    document_id VARCHAR,
    label       VARCHAR,
    run_id      VARCHAR
);

-- What a reader noticed about a file it still read (an export re-saved from R, a
-- guessed encoding, ragged rows): shown to the people monitoring data quality.
CREATE TABLE IF NOT EXISTS landing.document_warnings (
    document_id VARCHAR,
    warning     VARCHAR,
    run_id      VARCHAR
);

-- Every run's check results (chiso/quality/history.py): per expectation one passing row per
-- document, one row per failing unit; runs beyond the retention setting are dropped.
CREATE TABLE IF NOT EXISTS landing.check_results (
    run_id         VARCHAR,
    checked_at     TIMESTAMP,
    suite          VARCHAR,             -- observations | table_totals | arithmetic | read | structure
    expectation    VARCHAR,
    unit           VARCHAR,             -- what was checked: document | table | row
    holds          VARCHAR,             -- what a failure holds back: document | table | row | none
    document_id    VARCHAR,
    observation_id VARCHAR,
    page           INTEGER,
    table_ref      VARCHAR,
    row_label      VARCHAR,
    column_label   VARCHAR,
    success        BOOLEAN,
    observed_value VARCHAR,
    expected_value VARCHAR,
    severity       VARCHAR,             -- error | discrepancy | rounding
    reason         VARCHAR
);

-- Columns added after the first release: warehouses built earlier gain them here.
ALTER TABLE landing.observations ADD COLUMN IF NOT EXISTS status VARCHAR;
-- What a quarantine row holds back (document | table | row) and how many printed numbers.
ALTER TABLE landing.quarantine ADD COLUMN IF NOT EXISTS unit VARCHAR;
ALTER TABLE landing.quarantine ADD COLUMN IF NOT EXISTS cells_held INTEGER;
ALTER TABLE landing.runs ADD COLUMN IF NOT EXISTS observations_flagged INTEGER;
ALTER TABLE landing.runs ADD COLUMN IF NOT EXISTS observations_held INTEGER;
-- The measure's breakdown (`dimension=value; …`, chiso.indicators), and the catalog
-- digest the labels of a run were read with (a change re-reads every landed label).
ALTER TABLE landing.observations ADD COLUMN IF NOT EXISTS breakdown VARCHAR;
ALTER TABLE landing.runs ADD COLUMN IF NOT EXISTS catalog_digest VARCHAR;

-- The curated catalog (chiso/indicators/catalog/*.yml), rewritten by every run so dbt
-- describes indicators, components and dimensions exactly as the labels were read.
CREATE TABLE IF NOT EXISTS landing.catalog_indicators (
    indicator_code VARCHAR PRIMARY KEY,
    name_vi        VARCHAR,
    name_en        VARCHAR,
    unit           VARCHAR,
    topic          VARCHAR,
    description    VARCHAR,
    additive       BOOLEAN,
    dimensions     VARCHAR,             -- allowed dimensions, comma-separated
    reviewed       BOOLEAN
);
CREATE TABLE IF NOT EXISTS landing.catalog_dimensions (
    dimension      VARCHAR,
    value          VARCHAR,             -- NULL: the dimension's own row
    indicator_code VARCHAR,             -- components belong to one index
    name_vi        VARCHAR,
    name_en        VARCHAR,
    description    VARCHAR
);

-- What each run changed of what a path holds (chiso/run/lifecycle.py): a file new, changed,
-- restored to an earlier version, deleted and retracted, or deleted and kept with a mark.
CREATE TABLE IF NOT EXISTS landing.file_changes (
    run_id       VARCHAR,
    change       VARCHAR,               -- new | changed | restored | retracted | kept | returned
    source_path  VARCHAR,
    document_id  VARCHAR,
    previous_id  VARCHAR,               -- the version a changed file replaced
    recorded_at  TIMESTAMP
);
ALTER TABLE landing.runs ADD COLUMN IF NOT EXISTS documents_changed INTEGER;
ALTER TABLE landing.runs ADD COLUMN IF NOT EXISTS documents_restored INTEGER;
ALTER TABLE landing.runs ADD COLUMN IF NOT EXISTS documents_retracted INTEGER;
ALTER TABLE landing.runs ADD COLUMN IF NOT EXISTS documents_kept_deleted INTEGER;
ALTER TABLE landing.runs ADD COLUMN IF NOT EXISTS files_ignored INTEGER;
"""


def ensure_landing(con: duckdb.DuckDBPyConnection) -> None:
    """Create the landing schema and tables if missing (idempotent)."""
    con.execute(LANDING_DDL)
