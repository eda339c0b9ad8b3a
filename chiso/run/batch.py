"""Decisions about a run as a whole: which files are new, which pass the gate.

Pure functions over plain values, so that the Prefect flow only wires them
together and every rule here is unit-tested without an orchestrator.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from chiso.columns import Columns
from chiso.discover import Discovery, SourceFile
from chiso.load.contract import DOCUMENTS, HELD_OBSERVATIONS
from chiso.load.warehouse import KnownDocuments, Quarantined, RunRecord
from chiso.process import ProcessedDocument
from chiso.quality.gate import GateResult
from chiso.run.lifecycle import ON_DELETED_DEFAULT, Lifecycle, OnDeleted
from chiso.run.lifecycle import plan as lifecycle_plan


@dataclass(frozen=True)
class RunPlan:
    new: list[SourceFile]
    unchanged: list[SourceFile]
    replaced_hashes: list[str]
    """Earlier versions of files that changed under the same path."""
    lifecycle: Lifecycle | None = None
    """Every change of what raw/ holds (restored, retracted, kept…), chiso.run.lifecycle."""

    @property
    def changes_warehouse(self) -> bool:
        """Something to publish: a file to read, or a deletion to retract or mark."""
        return bool(self.new or (self.lifecycle and (self.lifecycle.retracted or self.lifecycle.kept
                                                     or self.lifecycle.changes)))


def plan_run(discovery: Discovery, known: KnownDocuments, on_deleted: OnDeleted = ON_DELETED_DEFAULT) -> RunPlan:
    """A path's current version is what raw/ holds now (chiso.run.lifecycle): content that is some path's
    current version is skipped; new, changed and restored content is read; deleted files retracted."""
    life = lifecycle_plan(
        discovery, known.status_by_hash, known.hash_by_path, known.path_by_hash, known.kept_deleted, on_deleted
    )
    return RunPlan(life.new, life.unchanged, life.replaced, life)


@dataclass(frozen=True)
class Rejected:
    """A file that could not be read at all."""

    source: SourceFile
    reason: str


HELD_SCHEMA: Columns = HELD_OBSERVATIONS.frame_schema()
"""A held cell (landing.held_observations): the observation's columns that find it in the source, held_unit, reason."""


@dataclass
class GateOutcome:
    """What the gate's verdict means for one run: what publishes, what is held, at which unit."""

    passing: list[ProcessedDocument]
    held: list[tuple[ProcessedDocument, list[str]]]
    """Documents held whole (an altered copy), with their reasons."""
    published: pl.DataFrame
    """Observations of passing documents, without their held rows."""
    held_cells: pl.DataFrame
    """Every held observation, in HELD_SCHEMA."""
    quarantined: list[Quarantined]
    """One row per held unit: whole documents, tables the structure stage could not trust, held rows."""


def apply_gate(processed: list[ProcessedDocument], observations: pl.DataFrame, gate: GateResult) -> GateOutcome:
    """Hold the smallest wrong unit: rows for impossible values, documents only for altered copies.

    A row-level failure never costs the rest of its table; a document-level one
    (docs/quality-policy.md) holds every cell of that document.
    """
    row_reasons = {obs_id: "; ".join(dict.fromkeys(reasons)) for obs_id, reasons in gate.held_rows.items()}
    held_ids = set(gate.failed)
    reasons = pl.DataFrame(
        {"observation_id": list(row_reasons), "reason": list(row_reasons.values())},
        schema={"observation_id": pl.String, "reason": pl.String},
    )
    marked = observations.join(reasons, on="observation_id", how="left", nulls_equal=True).with_columns(
        pl.when(pl.col("document_id").is_in(list(held_ids)))
        .then(pl.lit("document"))
        .when(pl.col("reason").is_not_null())
        .then(pl.lit("row"))
        .alias("held_unit")
    )
    document_reasons = {doc_id: "; ".join(r) for doc_id, r in gate.failed.items()}
    marked = marked.with_columns(
        pl.when(pl.col("held_unit") == "document")
        .then(pl.col("document_id").replace_strict(document_reasons, default=None, return_dtype=pl.String))
        .otherwise(pl.col("reason"))
        .alias("reason")
    )
    published = marked.filter(pl.col("held_unit").is_null()).drop("reason", "held_unit")
    held_cells = marked.filter(pl.col("held_unit").is_not_null()).select(*HELD_SCHEMA)

    passing = [doc for doc in processed if doc.source.sha256 not in held_ids]
    held = [(doc, gate.failed[doc.source.sha256]) for doc in processed if doc.source.sha256 in held_ids]
    held_per_doc = Counter(held_cells.filter(pl.col("held_unit") == "row")["document_id"].to_list())
    cells_per_doc = Counter(observations["document_id"].to_list())
    quarantined: list[Quarantined] = []
    for doc, why in held:
        doc_id = doc.source.sha256
        quarantined.append(
            Quarantined(doc_id, doc.source.name, "validate", "; ".join(why), "document", cells_per_doc[doc_id])
        )
    for doc in passing:
        doc_id = doc.source.sha256
        for table in doc.held_tables:
            quarantined.append(Quarantined(doc_id, doc.source.name, "structure", table.reason, "table", table.cells))
        if held_per_doc[doc_id]:
            row_why = "; ".join(gate.row_reasons.get(doc_id, []))
            quarantined.append(Quarantined(doc_id, doc.source.name, "validate", row_why, "row", held_per_doc[doc_id]))
    return GateOutcome(passing, held, published, held_cells, quarantined)


def quarantine_copy(source: SourceFile, reasons: list[str], quarantine_dir: Path, run_id: str) -> Path:
    """Keep a copy of a quarantined file with its reasons beside it.

    The file is copied, not moved: `raw/` stays the untouched record of what
    arrived, and the registry already stops the same bytes from being retried.
    Kept at its path below raw/ (`<run>/a/bad.pdf`, `<run>/b/bad.pdf`): two bad
    files with one name in different folders keep a copy each.
    """
    target = quarantine_dir / run_id / source.relative_path
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source.path, target)
    target.with_name(f"{target.name}.reason.txt").write_text("\n".join(reasons) + "\n", encoding="utf-8")
    return target


@dataclass
class RunSummary:
    run_id: str
    documents_seen: int = 0
    documents_new: int = 0
    documents_loaded: int = 0
    documents_quarantined: int = 0
    """Files held whole: unreadable, or an altered copy."""
    observations_loaded: int = 0
    observations_flagged: int = 0
    """Published with a quality flag (unknown entity, arithmetic slip, doubtful OCR or decimal mark)."""
    observations_held: int = 0
    """Printed numbers held back: held rows and tables, and every cell of an altered copy."""
    checks_failed: int = 0
    published: bool = False
    quarantined: list[Quarantined] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    """What changed of what raw/ holds: restored, changed, retracted, kept (chiso.run.lifecycle)."""
    unresolved_labels: int = 0
    warnings: int = 0
    warehouse: str = ""
    error: str | None = None

    def record(self, started_at: datetime, finished_at: datetime) -> RunRecord:
        return RunRecord(
            self.run_id,
            started_at,
            finished_at,
            self.documents_seen,
            self.documents_new,
            self.documents_loaded,
            self.documents_quarantined,
            self.observations_loaded,
            self.checks_failed,
            self.observations_flagged,
            self.observations_held,
        )

    def render(self) -> str:
        """The short report printed at the end of every run."""
        lines = [
            f"chiso run {self.run_id}",
            f"  documents seen: {self.documents_seen}  new: {self.documents_new}  "
            f"loaded: {self.documents_loaded}  quarantined: {self.documents_quarantined}",
            f"  observations loaded: {self.observations_loaded}  flagged: {self.observations_flagged}"
            f"  held: {self.observations_held}  checks failed: {self.checks_failed}",
            f"  unresolved labels: {self.unresolved_labels}  reader warnings: {self.warnings}",
        ]
        for item in self.quarantined:
            if item.unit == "document":
                lines.append(f"  QUARANTINED {item.source_file} [{item.stage}]: {item.reason}")
            else:
                what = "table" if item.unit == "table" else f"{item.cells_held} cells"
                lines.append(f"  HELD {what} of {item.source_file} [{item.stage}]: {item.reason}")
        for line in self.changes:
            lines.append(f"  {line}")
        for name in self.ignored:
            lines.append(f"  ignored {name}")
        if self.error:
            lines.append(f"  FAILED: {self.error} (the published warehouse was left unchanged)")
        elif self.published:
            lines.append(f"  warehouse published: {self.warehouse}")
        else:
            lines.append(f"  nothing new: warehouse unchanged ({self.warehouse})")
        return "\n".join(lines)


def rejected_document_row(rejected: Rejected, run_id: str, now: datetime) -> dict[str, Any]:
    """A registry row for an unreadable file, so the same bytes are not retried every night."""
    row: dict[str, Any] = dict.fromkeys(DOCUMENTS.names)
    row.update(
        document_id=rejected.source.sha256, source_file=rejected.source.name,
        source_path=rejected.source.relative_path, format="unreadable", status="rejected",
        first_seen_at=now, run_id=run_id,
    )  # fmt: skip
    return row
