"""The landing contract: every landing table's columns, written once as data.

The loader writes the landing tables and dbt reads them; Great Expectations
checks the observations before they land. Each used to spell the columns out
itself (a DDL string, Polars schemas, the dbt sources, the gate's required
fields), so a column added on one side could go missing on another. Here each
table is a `Table` of `Column`s, and the rest is derived from it:

* the DDL `ensure_landing` runs (chiso.load.landing.LANDING_DDL), and the build record's
  (chiso.load.increment),
* the Polars schemas of the frames that are validated and loaded
  (chiso.load.frames, chiso.load.warehouse, chiso.run.batch, chiso.quality),
* the not-null checks of the GX `observations` suite (chiso.quality.gate),
* dbt's `dbt_project/models/staging/sources.yml` (scripts/write_sources.py).

tests/test_landing_contract.py proves that they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

import polars as pl

from chiso.columns import Columns

DuckType: TypeAlias = Literal["VARCHAR", "INTEGER", "DOUBLE", "DATE", "TIMESTAMP", "BOOLEAN"]
"""The DuckDB types landing uses, spelled as DuckDB's information_schema reports them."""

POLARS_TYPES: Columns = {
    "VARCHAR": pl.String,
    "INTEGER": pl.Int32,
    "DOUBLE": pl.Float64,
    "DATE": pl.Date,
    "TIMESTAMP": pl.Datetime("us"),
    "BOOLEAN": pl.Boolean,
}
"""How each DuckDB type is held in a Polars frame (DuckDB keeps a TIMESTAMP to the microsecond)."""


@dataclass(frozen=True)
class Column:
    """One landing column: what DuckDB stores, what dbt's docs say of it, whether it may be empty."""

    name: str
    type: DuckType
    description: str
    nullable: bool = True
    """False where something guarantees a value: DuckDB for a primary key, the GX gate for an
    observation's required fields (a row without one is held, never landed). The DDL itself
    declares no NOT NULL, so rows written by earlier releases still load."""
    primary_key: bool = False
    """Kept from the first release's DDL: `documents` and `catalog_indicators` have one."""


@dataclass(frozen=True)
class Table:
    """One landing table (`landing.<name>`), its description as dbt shows it, and its columns."""

    name: str
    description: str
    columns: tuple[Column, ...]
    """In the order frames and readers see them."""
    added: tuple[str, ...] = ()
    """Columns added after the first release, in the order they were added: the DDL adds them with
    `ALTER TABLE … ADD COLUMN IF NOT EXISTS`, so warehouses built earlier gain them, and they come
    last in the table as DuckDB stores it (fixtures that insert by position rely on that order).
    A column added to the contract must be named here too, or warehouses built before it lack it."""
    stamped: tuple[str, ...] = ()
    """Columns the loader stamps on insert (the run, the time): absent from the frames it is given."""

    def __post_init__(self) -> None:
        unknown = (set(self.added) | set(self.stamped)) - set(self.names)
        if unknown:
            raise ValueError(f"landing.{self.name}: {sorted(unknown)} are not its columns")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    def stored_order(self) -> tuple[Column, ...]:
        """The columns as DuckDB stores them: those of the first release, then those added since."""
        first = tuple(column for column in self.columns if column.name not in self.added)
        return first + tuple(self.column(name) for name in self.added)

    def polars_schema(self) -> Columns:
        """Every column, in the table's stored order: what a frame read back from DuckDB has."""
        return {column.name: POLARS_TYPES[column.type] for column in self.stored_order()}

    def frame_schema(self) -> Columns:
        """The frame the loader is given: every column but the stamped ones, in contract order."""
        return {column.name: POLARS_TYPES[column.type] for column in self.columns if column.name not in self.stamped}

    def ddl(self) -> str:
        """CREATE TABLE IF NOT EXISTS with the first release's columns, then one ALTER per added column."""
        first = [column for column in self.columns if column.name not in self.added]
        width = max(len(column.name) for column in first)
        lines = [
            f"    {column.name.ljust(width)} {column.type}{' PRIMARY KEY' if column.primary_key else ''}"
            for column in first
        ]
        statements = [f"CREATE TABLE IF NOT EXISTS landing.{self.name} (\n" + ",\n".join(lines) + "\n);"]
        statements += [
            f"ALTER TABLE landing.{self.name} ADD COLUMN IF NOT EXISTS {name} {self.column(name).type};"
            for name in self.added
        ]
        return "\n".join(statements)


DOCUMENTS = Table(
    "documents",
    "One row per distinct file content (sha256), with its status.",
    (
        Column("document_id", "VARCHAR", "SHA-256 of the file's content.", nullable=False, primary_key=True),
        Column("source_file", "VARCHAR", "The file's name."),
        Column("source_path", "VARCHAR", "The file's path under the raw folder."),
        Column("format", "VARCHAR", "How it was read (the reader's format), or `unreadable`."),
        Column("doc_number", "VARCHAR", "The document's printed number (số hiệu), e.g. `12/BC-TU`."),
        Column("issuer", "VARCHAR", "The body that issued it, as printed."),
        Column("issue_date", "DATE", "The date it was signed."),
        Column("province", "VARCHAR", "The province it reports on."),
        Column("title", "VARCHAR", "Its title, as printed."),
        Column("pages", "INTEGER", "Pages (or sheets) read."),
        Column("data_date", "DATE", "The date its figures refer to, when it says so."),
        Column("status", "VARCHAR", "loaded | quarantined | rejected | superseded | retracted."),
        Column("first_seen_at", "TIMESTAMP", "When a run first registered this content."),
        Column("run_id", "VARCHAR", "The run that registered it."),
    ),
)

OBSERVATIONS = Table(
    "observations",
    "One row per extracted number with its provenance.",
    (
        Column("observation_id", "VARCHAR", "Stable id: a hash of document_id and seq.", nullable=False),
        Column("document_id", "VARCHAR", "The document it was printed in (landing.documents).", nullable=False),
        Column("seq", "INTEGER", "Its position among the document's observations."),
        Column("indicator_code", "VARCHAR", "The measure the printed label names (chiso.indicators).", nullable=False),
        Column("breakdown", "VARCHAR", "The measure's breakdown, `dimension=value; …`."),
        Column("indicator_label", "VARCHAR", "The label as printed (NFC, spaces cleaned)."),
        Column("value", "DOUBLE", "The number, as printed.", nullable=False),
        Column("unit", "VARCHAR", "count | percent | score | ratio | amount.", nullable=False),
        Column("entity_name", "VARCHAR", "Who the number is about: a place, agency or organisation.", nullable=False),
        Column("entity_level", "VARCHAR", "The entity's kind (province, district, commune, agency…) once resolved."),
        Column("province", "VARCHAR", "The province the entity belongs to."),
        Column("period_start", "DATE", "The first day of the period, when printed."),
        Column("period_end", "DATE", "The last day of the period the number refers to.", nullable=False),
        Column("page", "INTEGER", "The page (or sheet) it was printed on, from 1."),
        Column("table_ref", "VARCHAR", "The table's reference, e.g. `Biểu số 2`; null for a sentence."),
        Column("table_title", "VARCHAR", "The table's caption, else its sheet's name: the subject its labels are read against."),
        Column("row_label", "VARCHAR", "The row label as printed."),
        Column("column_label", "VARCHAR", "The column's header path as printed."),
        Column("column_code", "VARCHAR", "The column's printed number from the column-number row (`1`, `9=7/1`)."),
        Column("source_text", "VARCHAR", "The sentence or cell text the number was read from."),
        Column("extraction_method", "VARCHAR", "One of the methods the readers declare (chiso/read/registry.py)."),
        Column("is_total", "BOOLEAN", "A total row or column of its table."),
        Column("quality_flag", "VARCHAR", "Why the value looks wrong (e.g. an arithmetic self-check); kept as printed."),
        Column("status", "VARCHAR", "The source's own qualifier of the value, e.g. `preliminary`."),
        Column("run_id", "VARCHAR", "The run that loaded it."),
        Column("loaded_at", "TIMESTAMP", "When it was loaded."),
    ),
    added=("status", "breakdown", "table_title"),
    stamped=("run_id", "loaded_at"),
)

QUARANTINE = Table(
    "quarantine",
    "Units held back, with the reason: a file refused at reading, a document held whole by the gate,"
    " a table whose structure was not trusted, or the held rows of a document (`unit`, `cells_held`).",
    (
        Column("run_id", "VARCHAR", "The run that held it."),
        Column("document_id", "VARCHAR", "SHA-256 of the file, also of an unreadable one."),
        Column("source_file", "VARCHAR", "The file's name."),
        Column("stage", "VARCHAR", "read | structure | validate."),
        Column("reason", "VARCHAR", "Why, in words a reviewer can check against the file."),
        Column("quarantined_at", "TIMESTAMP", "When it was held."),
        Column("unit", "VARCHAR", "What is held back: document | table | row."),
        Column("cells_held", "INTEGER", "Printed numbers held back; null when the file could not be read."),
    ),
    added=("unit", "cells_held"),
)

HELD_OBSERVATIONS = Table(
    "held_observations",
    "The cells the gate held back, with where they were printed and why.",
    (
        Column("observation_id", "VARCHAR", "The held observation's id."),
        Column("document_id", "VARCHAR", "The document it was printed in."),
        Column("indicator_label", "VARCHAR", "The label as printed."),
        Column("value", "DOUBLE", "The number, as printed."),
        Column("unit", "VARCHAR", "Its unit as read."),
        Column("entity_name", "VARCHAR", "Who the number is about, as printed."),
        Column("entity_level", "VARCHAR", "The entity's kind, or `unresolved`."),
        Column("period_end", "DATE", "The last day of its period."),
        Column("page", "INTEGER", "The page it was printed on."),
        Column("table_ref", "VARCHAR", "The table's reference."),
        Column("row_label", "VARCHAR", "The row label as printed."),
        Column("column_label", "VARCHAR", "The column's header path as printed."),
        Column("source_text", "VARCHAR", "The sentence or cell text."),
        Column("extraction_method", "VARCHAR", "How it was read."),
        Column("held_unit", "VARCHAR", "row | document: the cell alone, or its whole document."),
        Column("reason", "VARCHAR", "The gate's reasons."),
        Column("run_id", "VARCHAR", "The run that held it."),
    ),
    stamped=("run_id",),
)

RUNS = Table(
    "runs",
    "One row per pipeline run with its counts.",
    (
        Column("run_id", "VARCHAR", "The run's id."),
        Column("started_at", "TIMESTAMP", "When it started."),
        Column("finished_at", "TIMESTAMP", "When it finished."),
        Column("documents_seen", "INTEGER", "Files the raw folder held."),
        Column("documents_new", "INTEGER", "Files read this run."),
        Column("documents_loaded", "INTEGER", "Documents published."),
        Column("documents_quarantined", "INTEGER", "Documents held whole or refused."),
        Column("observations_loaded", "INTEGER", "Observations published."),
        Column("checks_failed", "INTEGER", "(check, document) pairs that failed."),
        Column("observations_flagged", "INTEGER", "Published observations with a quality flag."),
        Column("observations_held", "INTEGER", "Observations the gate held back."),
        Column("catalog_digest", "VARCHAR", "Digest of the indicator catalog the labels were read with."),
        Column("documents_changed", "INTEGER", "Files changed under the same path."),
        Column("documents_restored", "INTEGER", "Earlier versions put back."),
        Column("documents_retracted", "INTEGER", "Deleted files whose observations were retracted."),
        Column("documents_kept_deleted", "INTEGER", "Deleted files whose observations were kept and marked."),
        Column("files_ignored", "INTEGER", "Files of the raw folder no reader takes."),
    ),
    added=(
        "observations_flagged", "observations_held", "catalog_digest", "documents_changed",
        "documents_restored", "documents_retracted", "documents_kept_deleted", "files_ignored",
    ),  # fmt: skip
)

FILE_CHANGES = Table(
    "file_changes",
    "What each run changed of what a path holds (chiso/run/lifecycle.py): new, changed,"
    " restored (an earlier version put back), retracted (deleted from raw/), kept"
    " (deleted, observations kept and marked), returned.",
    (
        Column("run_id", "VARCHAR", "The run that saw the change."),
        Column("change", "VARCHAR", "new | changed | restored | retracted | kept | returned."),
        Column("source_path", "VARCHAR", "The path under the raw folder."),
        Column("document_id", "VARCHAR", "The version the path holds now (or held, if deleted)."),
        Column("previous_id", "VARCHAR", "The version a changed file replaced."),
        Column("recorded_at", "TIMESTAMP", "When it was recorded."),
    ),
)

UNRESOLVED_LABELS = Table(
    "unresolved_labels",
    "Row labels and place names that matched no entity, per document and run.",
    (
        Column("document_id", "VARCHAR", "The document that printed the label."),
        Column("label", "VARCHAR", "The label as printed: listed for review, never guessed."),
        Column("run_id", "VARCHAR", "The run that read it."),
    ),
)

DOCUMENT_WARNINGS = Table(
    "document_warnings",
    "What a reader noticed about a file it still read, per document and run.",
    (
        Column("document_id", "VARCHAR", "The document read."),
        Column("warning", "VARCHAR", "What the reader noticed (a guessed encoding, ragged rows…)."),
        Column("run_id", "VARCHAR", "The run that read it."),
    ),
)

CATALOG_INDICATORS = Table(
    "catalog_indicators",
    "The curated indicator catalog (chiso/indicators/catalog/*.yml) as of the last run.",
    (
        Column("indicator_code", "VARCHAR", "The measure's code.", nullable=False, primary_key=True),
        Column("name_vi", "VARCHAR", "Its name in Vietnamese."),
        Column("name_en", "VARCHAR", "Its name in English."),
        Column("unit", "VARCHAR", "Its unit."),
        Column("topic", "VARCHAR", "The topic it belongs to."),
        Column("description", "VARCHAR", "What it measures."),
        Column("additive", "BOOLEAN", "Whether its values add up across entities."),
        Column("dimensions", "VARCHAR", "Allowed dimensions, comma-separated."),
        Column("reviewed", "BOOLEAN", "Whether a person has reviewed the entry."),
    ),
)

CATALOG_DIMENSIONS = Table(
    "catalog_dimensions",
    "Breakdown dimensions (a row with `value` null describes the dimension) and the"
    " components of composite indices (dimension `component`, with their index).",
    (
        Column("dimension", "VARCHAR", "The dimension's name."),
        Column("value", "VARCHAR", "One of its values; null: the dimension's own row."),
        Column("indicator_code", "VARCHAR", "The index a component belongs to."),
        Column("name_vi", "VARCHAR", "Its name in Vietnamese."),
        Column("name_en", "VARCHAR", "Its name in English."),
        Column("description", "VARCHAR", "What it means."),
    ),
)

CHECK_RESULTS = Table(
    "check_results",
    "Every run's check results (chiso/quality/history.py): per expectation one passing row per document"
    " checked, one row per failing unit, with observed and expected value and severity."
    " Kept for the newest CHISO_CHECK_HISTORY_RUNS runs.",
    (
        Column("run_id", "VARCHAR", "The run that checked."),
        Column("checked_at", "TIMESTAMP", "When."),
        Column("suite", "VARCHAR", "observations | table_totals | arithmetic | read | structure."),
        Column("expectation", "VARCHAR", "The check: type, column and condition."),
        Column("unit", "VARCHAR", "What was checked: document | table | row."),
        Column("holds", "VARCHAR", "What a failure holds back: document | table | row | none."),
        Column("document_id", "VARCHAR", "The document checked."),
        Column("observation_id", "VARCHAR", "The failing observation, if one."),
        Column("page", "INTEGER", "Where the failing number was printed."),
        Column("table_ref", "VARCHAR", "Its table."),
        Column("row_label", "VARCHAR", "Its row."),
        Column("column_label", "VARCHAR", "Its column."),
        Column("success", "BOOLEAN", "Whether the check held."),
        Column("observed_value", "VARCHAR", "The value found, as printed."),
        Column("expected_value", "VARCHAR", "What the check asks of it."),
        Column("severity", "VARCHAR", "error | discrepancy | rounding."),
        Column("reason", "VARCHAR", "The failure in words."),
    ),
    stamped=("run_id", "checked_at"),
)

WAREHOUSE_BUILDS = Table(
    "warehouse_builds",
    "How each run built the marts (chiso.load.increment), and the digests that decide the next build.",
    (
        Column("run_id", "VARCHAR", "The run that built them."),
        Column("built_at", "TIMESTAMP", "When."),
        Column("mode", "VARCHAR", "incremental | full rebuild | first build."),
        Column("reasons", "VARCHAR", "Why a full rebuild, '; '-separated."),
        Column("catalog_digest", "VARCHAR", "chiso.indicators.catalog.catalog_digest."),
        Column("reference_digest", "VARCHAR", "Of the administrative units and seeds."),
        Column("models_digest", "VARCHAR", "Of the dbt_project SQL."),
    ),
)
"""Created by the build record in the build copy only (a warehouse without it was built by an
earlier release), so not by `ensure_landing`; dbt does not read it."""

LANDING: tuple[Table, ...] = (
    DOCUMENTS, OBSERVATIONS, QUARANTINE, HELD_OBSERVATIONS, RUNS, FILE_CHANGES, UNRESOLVED_LABELS,
    DOCUMENT_WARNINGS, CATALOG_INDICATORS, CATALOG_DIMENSIONS, CHECK_RESULTS,
)  # fmt: skip
"""Every table of the landing schema that the loader writes and dbt reads."""


def ddl(tables: tuple[Table, ...] = LANDING) -> str:
    """The landing schema and its tables, idempotent: what `ensure_landing` runs."""
    return "CREATE SCHEMA IF NOT EXISTS landing;\n\n" + "\n\n".join(table.ddl() for table in tables) + "\n"
