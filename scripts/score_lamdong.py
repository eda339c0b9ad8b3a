"""Score the Lâm Đồng 2025 documents: `python scripts/score_lamdong.py [WAREHOUSE] [LAMDONG_DIR]`.

Runs the nightly flow on a temporary copy of the documents of
../shared/real/lamdong-2025 (never its reference.csv or README files: the
answers must not enter the run), unless an existing WAREHOUSE is given, then
prints the scores of `chiso.evaluate.lamdong` (appendix cells in the warehouse
with value and unit, on a coded 2025 commune, ward or agency; the scan's
criteria table; what the distractor published) and, per file, the cells
published, flagged and held.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from chiso.evaluate.lamdong import copy_documents, document_outcomes, render_outcomes, score_lamdong
from flows.cli import prefect_environment

REPO = Path(__file__).resolve().parents[1]
DEFAULT_LAMDONG = REPO.parent / "shared" / "real" / "lamdong-2025"


def build(lamdong: Path, workdir: Path) -> Path:
    """A fresh warehouse from the folder's documents alone."""
    prefect_environment()
    from flows.nightly import nightly

    raw = workdir / "raw"
    copy_documents(lamdong, raw / lamdong.name)
    warehouse = workdir / "lamdong.duckdb"
    nightly(raw_dir=str(raw), warehouse=str(warehouse))
    return warehouse


def main(argv: list[str]) -> None:
    lamdong = Path(argv[2]) if len(argv) > 2 else DEFAULT_LAMDONG
    if not lamdong.is_dir():
        print(f"lamdong-2025 not found at {lamdong}: nothing to score")
        return
    with tempfile.TemporaryDirectory() as tmp:
        warehouse = Path(argv[1]) if len(argv) > 1 else build(lamdong, Path(tmp))
        print(score_lamdong(warehouse, lamdong).render())
        print(render_outcomes(document_outcomes(warehouse)))


if __name__ == "__main__":
    main(sys.argv)
