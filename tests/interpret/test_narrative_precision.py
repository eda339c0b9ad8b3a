"""Only facts are published: the narrative numbers of the born-digital corpus reports, scored against truth.

The documents go through `process_document` (real readers, metadata and entity
resolution, no warehouse) and their narrative observations are matched to the
narrative truth on value, entity and period_end, as `make score` does on the
warehouse.
"""

from __future__ import annotations

from pathlib import Path

from chiso.discover import SourceFile, sha256_of
from chiso.evaluate.scores import narrative_precision_of
from chiso.interpret.dossier import PROSE_METHODS
from chiso.process import process_document

BORN_DIGITAL = ("haiduong_tong-ket-de-an-01_2022.pdf", "hatinh_dang-uy-khoi_tong-ket-xay-dung-tccsd_2021.pdf")


def _narrative(path: Path) -> list[tuple[str, float, str, object]]:
    source = SourceFile(path, path.name, sha256_of(path), path.stat().st_size)
    return [
        (path.name, o.value, o.entity_name, o.period_end)
        for o in process_document(source).observations
        if o.extraction_method in PROSE_METHODS and o.table_ref is None and o.row_label is None
    ]


def test_born_digital_narrative_precision(corpus: Path) -> None:
    published = [row for name in BORN_DIGITAL for row in _narrative(corpus / "pdf" / name)]
    precision = narrative_precision_of(published, corpus / "truth", set(BORN_DIGITAL))
    print("\n" + precision.render())
    for spurious in precision.spurious:
        print("  not a fact:", spurious)
    assert set(precision.per_file) == set(BORN_DIGITAL)
    assert precision.rate >= 0.95


def test_documents_without_narrative_truth_are_not_scored(corpus: Path) -> None:
    """The OCR seeds have no narrative truth: nothing says what a fact is there, so nothing is counted."""
    rows = [("001_319891e6bd44903a.txt", 161.0, "Hà Tĩnh", "2021-10-31")]
    assert narrative_precision_of(rows, corpus / "truth").published == 0

