"""The real nightly flow landing in batches of two files publishes what it publishes in one batch.

chiso.run.stream bounds a night's memory by validating and landing a few files
at a time; the warehouse an analyst queries must not depend on that. The bundled
sample (spreadsheets, born-digital reports, an OCR text with held rows, an
altered copy and two unreadable files) is run into two warehouses, one batch and
batches of two, and every mart compared row for row.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.faults.marts import snapshot

pytestmark = [pytest.mark.slow]

RAW = Path(__file__).resolve().parents[1] / "raw"
FOLDERS = ("spreadsheets", "incoming-bad", "ocr-text", "mof-budget")
REPORTS = ("haiduong_tong-ket-de-an-01_2022.pdf", "hatinh_dang-uy-khoi_tong-ket-xay-dung-tccsd_2021.pdf")


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("raw")
    for name in FOLDERS:
        shutil.copytree(RAW / name, folder / name)
    (folder / "reports").mkdir()
    for name in REPORTS:
        shutil.copy(RAW / "reports" / name, folder / "reports" / name)
    return folder


def test_batches_of_two_files_publish_the_marts_of_one_batch(raw: Path, tmp_path: Path) -> None:
    from flows.nightly import nightly

    whole = nightly(raw_dir=str(raw), warehouse=str(tmp_path / "whole" / "chiso.duckdb"), batch_documents=1000)
    batched = nightly(raw_dir=str(raw), warehouse=str(tmp_path / "batched" / "chiso.duckdb"), batch_documents=2)

    assert whole.published and batched.published
    counts = ("documents_loaded", "documents_quarantined", "observations_loaded", "observations_flagged",
              "observations_held", "checks_failed", "unresolved_labels", "warnings")
    assert {c: getattr(batched, c) for c in counts} == {c: getattr(whole, c) for c in counts}
    assert whole.documents_quarantined == 3 and whole.observations_held > 0
    assert snapshot(tmp_path / "batched" / "chiso.duckdb") == snapshot(tmp_path / "whole" / "chiso.duckdb")
    with duckdb.connect(str(tmp_path / "batched" / "chiso.duckdb"), read_only=True) as con:
        landed_runs = con.execute("select count(distinct run_id) from landing.observations").fetchone()
    assert landed_runs == (1,)  # every batch is part of the one run
    copies = sorted(p.name for p in (tmp_path / "batched" / "quarantine").rglob("*.reason.txt"))
    assert copies == sorted(p.name for p in (tmp_path / "whole" / "quarantine").rglob("*.reason.txt"))
    assert len(copies) == 3
