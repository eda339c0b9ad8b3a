"""The run's outcome (chiso.run.outcome), decided without an orchestrator, on files of the bundled raw/."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from chiso.discover import SourceFile, sha256_of
from chiso.load.frames import observations_frame
from chiso.model import BadInputError
from chiso.process import process_document
from chiso.quality import totals_checks, validate_batch
from chiso.run.batch import Rejected, RunSummary
from chiso.run.outcome import run_outcome

RAW = Path(__file__).resolve().parents[1] / "raw"


def _source(path: Path) -> SourceFile:
    return SourceFile(path, path.name, sha256_of(path), path.stat().st_size)


def test_one_good_file_one_altered_copy_one_unreadable() -> None:
    good = _source(RAW / "spreadsheets/haiduong_bieu06_luan-chuyen-can-bo_2016-2021.xlsx")
    altered = _source(RAW / "incoming-bad/bieu06_luan-chuyen-can-bo_ban-sao.xlsx")
    broken = _source(RAW / "incoming-bad/tong-ket-de-an-01_tai-ve-loi.pdf")
    processed = [process_document(good), process_document(altered)]
    try:
        process_document(broken)
        raise AssertionError("the damaged PDF was read")
    except BadInputError as error:
        rejected = [Rejected(broken, str(error))]
    frame = observations_frame(processed)
    gate = validate_batch(frame, totals_checks(frame))
    summary = RunSummary(run_id="run-1")

    outcome = run_outcome(processed, rejected, frame, gate, "run-1", datetime(2026, 1, 2, 3, 4), summary)

    statuses = {row["source_file"]: row["status"] for row in outcome.documents}
    assert statuses == {good.name: "loaded", altered.name: "quarantined", broken.name: "rejected"}
    assert set(outcome.observations["document_id"]) == {good.sha256}
    assert set(outcome.held_cells["document_id"]) == {altered.sha256}
    assert [(q.document_id, q.stage) for q in outcome.quarantined][:2] == [(broken.sha256, "read"),
                                                                          (altered.sha256, "validate")]
    assert [source.name for source, _ in outcome.copies] == [broken.name, altered.name]
    assert (summary.documents_loaded, summary.documents_quarantined) == (1, 2)
    assert summary.observations_loaded == outcome.observations.height > 0
    assert summary.observations_held == outcome.held_cells.height
    assert summary.quarantined == outcome.quarantined
