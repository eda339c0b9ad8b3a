"""A night in batches (chiso.run.stream), without an orchestrator: real files, real GX, real DuckDB landing.

The point of batching is memory; what must not change is what a run lands. So the
same documents are landed in one batch and in batches of one or two files, and
every landing table must hold the same rows.
"""

from __future__ import annotations

import copy
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from chiso.discover import SourceFile, sha256_of
from chiso.interpret.dossier import inherit_report_dates
from chiso.load.landing import ensure_landing
from chiso.model import BadInputError, DocumentMeta, Observation
from chiso.process import ProcessedDocument, process_document
from chiso.run.batch import Rejected, RunSummary
from chiso.run.stream import BatchLimits, Night, Outcome, batches, ingest, read_ahead

RAW = Path(__file__).resolve().parents[1] / "raw"
FILES = [
    "spreadsheets/haiduong_bieu06_luan-chuyen-can-bo_2016-2021.xlsx",
    "spreadsheets/haiduong_bieu01_bi-thu-chi-bo-truong-thon_31-7-2022.xlsx",
    "spreadsheets/haiduong_bieu03_dao-tao-boi-duong_2015-2020.xls",
    "incoming-bad/bieu06_luan-chuyen-can-bo_ban-sao.xlsx",  # an altered copy: held whole
    "incoming-bad/tong-ket-de-an-01_tai-ve-loi.pdf",  # unreadable
    "incoming-bad/bieu05_so-xa-bi-thu-chu-tich.xlsx",  # not a spreadsheet
    "reports/haiduong_tong-ket-de-an-01_2022.pdf",
    "ocr-text/000_5aec168a7511ce7d.txt",  # held rows (one-letter "labels")
    "mof-budget/Plan_2010.xls",
]
SIGNED = date(2022, 8, 4)


def _source(path: Path) -> SourceFile:
    return SourceFile(path, path.name, sha256_of(path), path.stat().st_size)


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    read: list[Outcome] = []
    for name in FILES:
        source = _source(RAW / name)
        try:
            read.append(process_document(source))
        except BadInputError as error:
            read.append(Rejected(source, str(error)))
    return read


def _land(tmp: Path, outcomes: list[Outcome], limits: BatchLimits) -> tuple[Path, RunSummary, Night]:
    tmp.mkdir()
    building = tmp / "chiso.duckdb"
    with duckdb.connect(str(building)) as con:
        ensure_landing(con)
    summary = RunSummary(run_id="run-1")
    night = Night(building, tmp / "quarantine", "run-1", datetime(2026, 12, 2, 2, 0), summary)
    ingest(copy.deepcopy(outcomes), night, limits)  # dossier dating changes documents in place
    return building, summary, night


LANDED = {
    "documents": "select * exclude (first_seen_at) from landing.documents",
    "observations": "select * exclude (loaded_at) from landing.observations",
    "held_observations": "select * from landing.held_observations",
    "quarantine": "select * exclude (quarantined_at) from landing.quarantine",
    "unresolved_labels": "select * from landing.unresolved_labels",
    "document_warnings": "select * from landing.document_warnings",
    "check_results": "select * exclude (checked_at) from landing.check_results",
}


def _contents(building: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(building), read_only=True) as con:
        return {table: sorted(con.execute(sql).fetchall(), key=repr) for table, sql in LANDED.items()}


def test_batches_land_what_one_batch_lands(tmp_path: Path, outcomes: list[Outcome]) -> None:
    whole, whole_summary, whole_night = _land(tmp_path / "whole", outcomes, BatchLimits(1000, 10**9))
    expected = _contents(whole)
    assert whole_night.phases.batches == 1
    assert expected["held_observations"] and expected["quarantine"] and expected["observations"]

    for limits in (BatchLimits(1, 10**9), BatchLimits(2, 10**9), BatchLimits(1000, 50)):
        batched, summary, night = _land(tmp_path / f"{limits.documents}-{limits.observations}", outcomes, limits)
        assert night.phases.batches > 2
        assert _contents(batched) == expected, limits
        assert summary.render().splitlines()[1:4] == whole_summary.render().splitlines()[1:4]
        assert sorted(summary.quarantined, key=repr) == sorted(whole_summary.quarantined, key=repr)
        copies = sorted(p.relative_to(night.quarantine) for p in night.quarantine.rglob("*") if p.is_file())
        assert copies == sorted(p.relative_to(whole_night.quarantine) for p in whole_night.quarantine.rglob("*")
                                if p.is_file())
    assert (whole_summary.documents_quarantined, whole_summary.documents_loaded) == (3, len(FILES) - 3)
    assert whole_summary.observations_held > 0


def test_gx_results_of_a_batched_run_are_filed_as_one_run(tmp_path: Path, outcomes: list[Outcome]) -> None:
    _, _, night = _land(tmp_path / "run", outcomes[:5], BatchLimits(1, 10**9))
    identifiers = [identifier for identifier, _ in night.validations.results]
    observations = [i for i in identifiers if i.expectation_suite_identifier.name == "observations"]
    assert len(observations) == 4  # the unreadable fifth file has no observations to validate
    assert len({i.run_id.to_tuple() for i in observations}) == 1
    assert len({i.batch_identifier for i in observations}) == 4


def _doc(name: str, meta: DocumentMeta, observations: list[Observation]) -> ProcessedDocument:
    return ProcessedDocument(SourceFile(Path(name), name, name, 1), "pdf_text", 1, meta, observations)


def _obs(method: str, period_end: date) -> Observation:
    return Observation("x", 1.0, "count", "Hải Dương", "province", "Hải Dương", period_end, None,
                       extraction_method=method)


def test_an_appendix_read_before_its_report_waits_for_it_and_takes_its_date() -> None:
    """A dossier spans batches: the appendix is kept back until every report of the night is read."""
    appendix = _doc("bieu04.pdf", DocumentMeta(province="Hải Dương", issue_date=SIGNED), [_obs("ocr_table", SIGNED)])
    others = [_doc(f"x{i}.pdf", DocumentMeta(data_date=date(2021, 1, 1)), [_obs("pdf_table", date(2021, 1, 1))])
              for i in range(3)]
    report = _doc("report.pdf", DocumentMeta(province="Hải Dương", issue_date=SIGNED, data_date=date(2022, 6, 30)),
                  [_obs("pdf_text", date(2022, 6, 30))])
    night = [appendix, *others, report]
    alone = copy.deepcopy(night)
    inherit_report_dates(alone)  # what one batch would do

    grouped = list(batches(night, BatchLimits(documents=2)))
    assert [[doc.source.name for doc in group] for group in grouped] == [  # type: ignore[union-attr]
        ["x0.pdf", "x1.pdf"], ["x2.pdf", "report.pdf"], ["bieu04.pdf"]
    ]
    assert appendix.observations[0].period_end == alone[0].observations[0].period_end == date(2022, 6, 30)


def test_a_batch_closes_at_its_observation_limit() -> None:
    docs = [_doc(f"d{i}.pdf", DocumentMeta(data_date=date(2021, 1, 1)), [_obs("pdf_table", date(2021, 1, 1))] * n)
            for i, n in enumerate([3, 1, 5, 1, 1])]
    sizes = [[len(d.observations) for d in group] for group in batches(docs, BatchLimits(100, 4))]  # type: ignore[union-attr]
    assert sizes == [[3, 1], [5], [1, 1]]


def test_read_ahead_keeps_order_and_at_most_its_window_in_hand() -> None:
    submitted: list[int] = []
    in_hand = 0
    most = 0
    guard = threading.Lock()

    def submit(item: int) -> Future[int]:
        nonlocal in_hand, most
        with guard:
            submitted.append(item)
            in_hand += 1
            most = max(most, in_hand)
        return pool.submit(lambda: item * 10)

    with ThreadPoolExecutor(4) as pool:
        seen = []
        for result in read_ahead(range(20), submit, window=3):
            with guard:
                in_hand -= 1
            seen.append(result)
    assert seen == [i * 10 for i in range(20)]
    assert most == 3 + 1  # the window stays full while one result is handed on


def test_batch_limits_from_arguments_environment_and_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHISO_BATCH_DOCUMENTS", raising=False)
    monkeypatch.delenv("CHISO_BATCH_OBSERVATIONS", raising=False)
    assert BatchLimits.chosen() == BatchLimits()
    monkeypatch.setenv("CHISO_BATCH_DOCUMENTS", "7")
    assert BatchLimits.chosen().documents == 7
    assert BatchLimits.chosen(documents=3, observations=9) == BatchLimits(3, 9)
    monkeypatch.setenv("CHISO_BATCH_OBSERVATIONS", "lots")
    with pytest.raises(ValueError, match="CHISO_BATCH_OBSERVATIONS must be a whole number"):
        BatchLimits.chosen()
    with pytest.raises(ValueError, match="at least 1"):
        BatchLimits.chosen(documents=0)
