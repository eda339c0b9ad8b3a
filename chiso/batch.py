"""Decisions about a run as a whole: which files are new, which pass the gate.

Pure functions over plain values, so that the Prefect flow only wires them
together and every rule here is unit-tested without an orchestrator.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from chiso.discover import Discovery, SourceFile
from chiso.load import KnownDocuments, Quarantined, RunRecord
from chiso.process import ProcessedDocument


@dataclass(frozen=True)
class RunPlan:
    new: list[SourceFile]
    unchanged: list[SourceFile]
    replaced_hashes: list[str]
    """Earlier versions of files that changed under the same path."""


def plan_run(discovery: Discovery, known: KnownDocuments) -> RunPlan:
    """New content is processed; content seen before (in any state) is skipped."""
    new, unchanged, replaced = [], [], []
    seen_this_run: set[str] = set()
    for source in discovery.files:
        if source.sha256 in known.status_by_hash or source.sha256 in seen_this_run:
            unchanged.append(source)
            continue
        seen_this_run.add(source.sha256)
        new.append(source)
        previous = known.hash_by_path.get(source.relative_path)
        if previous and previous != source.sha256:
            replaced.append(previous)
    return RunPlan(new, unchanged, replaced)


@dataclass(frozen=True)
class Rejected:
    """A file that could not be read at all."""

    source: SourceFile
    reason: str


def split_by_gate(
    processed: list[ProcessedDocument], failed: dict[str, list[str]]
) -> tuple[list[ProcessedDocument], list[tuple[ProcessedDocument, list[str]]]]:
    """Documents whose batch failed an expectation are held back, with their reasons."""
    passing = [doc for doc in processed if doc.source.sha256 not in failed]
    held = [(doc, failed[doc.source.sha256]) for doc in processed if doc.source.sha256 in failed]
    return passing, held


def quarantine_copy(source: SourceFile, reasons: list[str], quarantine_dir: Path, run_id: str) -> Path:
    """Keep a copy of a quarantined file with its reasons beside it.

    The file is copied, not moved: `raw/` stays the untouched record of what
    arrived, and the registry already stops the same bytes from being retried.
    """
    target_dir = quarantine_dir / run_id
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / source.name
    shutil.copy2(source.path, target)
    target.with_name(f"{source.name}.reason.txt").write_text("\n".join(reasons) + "\n", encoding="utf-8")
    return target


@dataclass
class RunSummary:
    run_id: str
    documents_seen: int = 0
    documents_new: int = 0
    documents_loaded: int = 0
    documents_quarantined: int = 0
    observations_loaded: int = 0
    checks_failed: int = 0
    published: bool = False
    quarantined: list[Quarantined] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    unresolved_labels: int = 0
    warnings: int = 0
    warehouse: str = ""
    error: str | None = None

    def record(self, started_at, finished_at) -> RunRecord:  # type: ignore[no-untyped-def]
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
        )

    def render(self) -> str:
        """The short report printed at the end of every run."""
        lines = [
            f"chiso run {self.run_id}",
            f"  documents seen: {self.documents_seen}  new: {self.documents_new}  "
            f"loaded: {self.documents_loaded}  quarantined: {self.documents_quarantined}",
            f"  observations loaded: {self.observations_loaded}  checks failed: {self.checks_failed}"
            f"  unresolved labels: {self.unresolved_labels}  reader warnings: {self.warnings}",
        ]
        for item in self.quarantined:
            lines.append(f"  QUARANTINED {item.source_file} [{item.stage}]: {item.reason}")
        for name in self.ignored:
            lines.append(f"  ignored (unsupported type): {name}")
        if self.error:
            lines.append(f"  FAILED: {self.error} (the published warehouse was left unchanged)")
        elif self.published:
            lines.append(f"  warehouse published: {self.warehouse}")
        else:
            lines.append(f"  nothing new: warehouse unchanged ({self.warehouse})")
        return "\n".join(lines)


def rejected_document_row(rejected: Rejected, run_id: str, now) -> dict:  # type: ignore[no-untyped-def]
    """A registry row for an unreadable file, so the same bytes are not retried every night."""
    return {
        "document_id": rejected.source.sha256,
        "source_file": rejected.source.name,
        "source_path": rejected.source.relative_path,
        "format": "unreadable",
        "doc_number": None,
        "issuer": None,
        "issue_date": None,
        "province": None,
        "title": None,
        "pages": None,
        "data_date": None,
        "status": "rejected",
        "first_seen_at": now,
        "run_id": run_id,
    }
