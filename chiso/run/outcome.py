"""A run's outcome, decided in one place: what it lands, what it holds, and the counts it reports.

The flow reads files, validates them and loads what it is given; every
decision between the gate's verdict and the landing write is made here — which
documents load and which are quarantined (whole, or by table and row), the
document rows, the files copied aside with their reasons, and the summary's
counts — so the flow module is wiring and these rules are tested without an
orchestrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl

from chiso.discover import SourceFile
from chiso.load import frames
from chiso.load.warehouse import Quarantined
from chiso.process import ProcessedDocument
from chiso.quality.gate import GateResult
from chiso.run.batch import Rejected, RunSummary, apply_gate, rejected_document_row


@dataclass(frozen=True)
class RunOutcome:
    """Everything one run writes, decided before it writes any of it."""

    documents: list[dict[str, Any]]
    """One landing row per document read: loaded, quarantined or rejected."""
    observations: pl.DataFrame
    """The observations that publish (passing documents, without their held rows)."""
    held_cells: pl.DataFrame
    """Every held observation, with its held unit and reason."""
    quarantined: list[Quarantined]
    """One row per held unit: unreadable files, altered copies, untrusted tables, held rows."""
    copies: list[tuple[SourceFile, list[str]]]
    """Files to copy aside into the run's quarantine folder, with their reasons."""
    unresolved: list[tuple[str, str]]
    """(document_id, label) of printed labels no reference resolved, in published documents."""
    warnings: list[tuple[str, str]]
    """(document_id, warning) of what the readers noticed, in every document read."""


def run_outcome(
    processed: list[ProcessedDocument],
    rejected: list[Rejected],
    observations: pl.DataFrame,
    gate: GateResult,
    run_id: str,
    now: datetime,
    summary: RunSummary,
) -> RunOutcome:
    """The gate's verdict on `observations` turned into the run's rows; `summary` gets the run's counts."""
    verdict = apply_gate(processed, observations, gate)
    quarantined = [Quarantined(r.source.sha256, r.source.name, "read", r.reason) for r in rejected]
    quarantined += verdict.quarantined
    copies = [(r.source, [r.reason]) for r in rejected] + [(doc.source, reasons) for doc, reasons in verdict.held]

    documents = [frames.document_row(d, "loaded", run_id, now) for d in verdict.passing]
    documents += [frames.document_row(d, "quarantined", run_id, now) for d, _ in verdict.held]
    documents += [rejected_document_row(r, run_id, now) for r in rejected]
    published = verdict.published
    unresolved = [(d.source.sha256, label) for d in verdict.passing for label in d.unresolved_labels]
    warnings = [(d.source.sha256, w) for d in processed for w in d.warnings]

    summary.checks_failed = gate.checks_failed
    summary.documents_loaded = len(verdict.passing)
    summary.documents_quarantined = len(rejected) + len(verdict.held)
    summary.observations_loaded = published.height
    summary.observations_flagged = published.filter(published["quality_flag"].is_not_null()).height
    summary.observations_held = sum(unit.cells_held or 0 for unit in verdict.quarantined)
    summary.quarantined = quarantined
    summary.unresolved_labels, summary.warnings = len(unresolved), len(warnings)
    return RunOutcome(documents, published, verdict.held_cells, quarantined, copies, unresolved, warnings)
