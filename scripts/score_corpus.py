"""Score a warehouse against the dev corpus truth: `python scripts/score_corpus.py [WAREHOUSE] [CORPUS]`.

Prints, per group of files, the share of truth facts found, the narrative
precision (share of the published narrative numbers of documents with narrative
truth that are truth facts), and how the observations' entities resolved (GSO-coded unit, documented non-territorial
entity, commune, unresolved) with the districts seen per province, and the
pairwise indicator identity of `chiso.evaluate.identity` over the whole corpus.
Builds a fresh warehouse from the whole corpus first when WAREHOUSE is not given
(runs the nightly flow on a temporary copy of the corpus documents).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import duckdb

from chiso.evaluate.identity import indicator_identity
from chiso.evaluate.scores import entity_resolution, narrative_precision, score_corpus
from chiso.indicators.review import catalogued_share_by_family, render_shares
from flows.cli import prefect_environment

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"


def build(corpus: Path, workdir: Path) -> Path:
    prefect_environment()
    from flows.nightly import nightly

    raw = workdir / "raw"
    for folder in ("pdf", "scanned", "xlsx", "ocr-text"):
        shutil.copytree(corpus / folder, raw / folder)
    warehouse = workdir / "corpus.duckdb"
    nightly(raw_dir=str(raw), warehouse=str(warehouse))
    return warehouse


def main(argv: list[str]) -> None:
    corpus = Path(argv[2]) if len(argv) > 2 else DEFAULT_CORPUS
    with tempfile.TemporaryDirectory() as tmp:
        warehouse = Path(argv[1]) if len(argv) > 1 else build(corpus, Path(tmp))
        groups = {
            "born-digital PDFs and spreadsheets": {p.name for f in ("pdf", "xlsx") for p in (corpus / f).iterdir()},
            "scanned PDFs": {p.name for p in (corpus / "scanned").iterdir()},
            "OCR text files": {p.name for p in (corpus / "ocr-text").iterdir()},
        }
        for label, files in groups.items():
            print(f"== {label}")
            print(score_corpus(warehouse, corpus / "truth", files=files).render())
            print(entity_resolution(warehouse, files).render())
            precision = narrative_precision(warehouse, corpus / "truth", files=files)
            if precision.published:
                print(precision.render())
        print("== indicator identity (same truth label + unit ⇔ same measure + breakdown + unit), whole corpus")
        print(indicator_identity(warehouse, corpus / "truth").render())
        print("== published observations carrying a catalogued measure, per source family")
        with duckdb.connect(str(warehouse), read_only=True) as con:
            print(render_shares(catalogued_share_by_family(con)))


if __name__ == "__main__":
    main(sys.argv)
