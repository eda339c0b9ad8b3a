"""Extraction in worker processes reads exactly what the same reader reads in this process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chiso.discover import SourceFile, discover, sha256_of
from chiso.model import BadInputError
from chiso.process import ProcessedDocument, process_document
from chiso.run import workers


def _fingerprint(doc: ProcessedDocument) -> tuple:
    return (doc.format, doc.pages, doc.meta, [(o.indicator_label, o.value, o.entity_name, o.page, o.row_label,
                                               o.column_label) for o in doc.observations], doc.warnings)


@pytest.fixture(scope="module")
def sources(corpus) -> list[SourceFile]:
    found = discover(corpus).files
    keep = [s for s in found if s.relative_path.startswith(("pdf/", "xlsx/", "ocr-text/", "bad/"))]
    return keep


def test_worker_processes_read_what_this_process_reads(sources) -> None:
    def here(source: SourceFile):
        try:
            return _fingerprint(process_document(source))
        except BadInputError as error:
            return str(error)

    with workers.extraction_pool(len(sources), jobs=2) as pool:
        assert pool is not None and pool.jobs == 2
        there = []
        for source in sources:
            try:
                there.append(_fingerprint(workers.process(source)))
            except BadInputError as error:  # raised in the worker, re-raised here with its reason
                there.append(str(error))
    assert there == [here(source) for source in sources]
    assert any("truncated or corrupt PDF" in str(item) for item in there)
    assert pool.usage.wall > 0 and pool.usage.cpu > 0


def test_one_document_or_one_core_reads_in_this_process() -> None:
    with workers.extraction_pool(1) as pool:
        assert pool is None
    with workers.extraction_pool(10, jobs=1) as pool:
        assert pool is None


def _die_on_poison(source: SourceFile) -> ProcessedDocument:
    """A reader that crashes its process on one file, as a native library can."""
    if source.name == "poison.txt":
        os._exit(3)
    return process_document(source)


def _source(path: Path) -> SourceFile:
    return SourceFile(path, path.name, sha256_of(path), path.stat().st_size)


def test_a_worker_that_dies_fails_only_its_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1]))  # workers import this module by name
    good = tmp_path / "good.txt"
    good.write_text("Đảng bộ tỉnh hiện nay có 108.764 đảng viên.\n", encoding="utf-8")
    poison = tmp_path / "poison.txt"
    poison.write_text("x", encoding="utf-8")
    pool = workers.ExtractionPool(2, read=_die_on_poison)
    try:
        with pytest.raises(workers.WorkerDied, match="died"):
            pool.process(_source(poison))
        # The pool was rebuilt: the next file is read normally.
        assert pool.process(_source(good)).format == "txt_ocr"
    finally:
        pool.close()
