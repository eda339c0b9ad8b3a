"""The Great Expectations gate: which rows and documents are held, and why, in plain words."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from chiso.discover import SourceFile, sha256_of
from chiso.load.frames import OBSERVATION_SCHEMA, observations_frame
from chiso.process import process_document
from chiso.quality import gate
from chiso.quality.arithmetic import totals_checks
from chiso.quality.gate import EXPECTATIONS_DIR, validate_batch

BIEU06 = "xlsx/haiduong_bieu06_luan-chuyen-can-bo_2016-2021.xlsx"
BIEU06_BAD_COPY = "bad/bieu06_luan-chuyen-can-bo_ban-sao.xlsx"


def good_row(document_id: str, seq: int, **changes: object) -> dict:
    row = {name: None for name in OBSERVATION_SCHEMA}
    row.update(
        observation_id=f"{document_id}-{seq}", document_id=document_id, seq=seq,
        indicator_code="ty_le_chi_bo", indicator_label="Tỷ lệ chi bộ", value=92.0, unit="percent",
        entity_name="Tứ Kỳ", entity_level="district", province="Hải Dương",
        period_end=date(2022, 7, 31), page=1, table_ref="Biểu số 1", row_label="Huyện ủy Tứ Kỳ",
        column_label="Tỷ lệ %", column_code="9", extraction_method="pdf_table", is_total=False,
    )
    row.update(changes)
    return row


def test_bad_copy_of_bieu06_is_refused_with_the_totals_reason(corpus: Path) -> None:
    paths = [corpus / BIEU06, corpus / BIEU06_BAD_COPY]
    observations = observations_frame(
        process_document(SourceFile(p, p.name, sha256_of(p), p.stat().st_size)) for p in paths
    )
    result = validate_batch(observations, totals_checks(observations))
    bad_id = sha256_of(corpus / BIEU06_BAD_COPY)
    assert list(result.failed) == [bad_id]
    assert result.failed[bad_id] == ["totals mismatch: column 1, TỔNG 157 vs sum 156 in Biểu số 6"]
    assert result.checks_failed == 1
    n_observation_checks = len(gate._observation_expectations())
    assert result.checks_run == 2 * n_observation_checks + 2 * 1


def test_each_row_rule_holds_only_its_rows_and_names_the_printed_place() -> None:
    rows = [
        good_row("clean", 0),
        good_row("clean", 1, unit="count", value=0.0, period_start=date(2022, 1, 1)),
        good_row("pct", 0, value=1250.0),
        good_row("unit", 0, unit="người"),
        good_row("unit", 1, unit="người", row_label="Huyện ủy Gia Lộc"),
        good_row("nodate", 0, period_end=None),
        good_row("year", 0, period_end=date(2202, 7, 31)),
        good_row("order", 0, period_start=date(2023, 1, 1)),
        good_row("negative", 0, unit="count", value=-3.0),
        good_row("page", 0, page=0),
        good_row("method", 0, extraction_method="ocr"),
        good_row("level", 0, entity_level="unresolved"),
        good_row("dup", 0),
        good_row("dup", 1, observation_id="dup-0"),
    ]
    observations = pl.DataFrame(rows, schema=OBSERVATION_SCHEMA)
    result = validate_batch(observations, totals_checks(observations))
    where = " (page 1, Biểu số 1, row 'Huyện ủy Tứ Kỳ', column 'Tỷ lệ %')"
    assert result.failed == {}  # no rule on one cell holds a document
    assert set(result.held_rows) == {row["observation_id"] for row in rows[2:]}  # all but the two clean ones
    assert result.held_rows["pct-0"] == ["percentage 1250 outside -100–1000" + where]
    assert result.row_reasons == {
        "pct": ["percentage 1250 outside -100–1000" + where],
        "unit": [
            "unit 'người' is not one of count, percent, score, ratio, amount" + where,
            "unit 'người' is not one of count, percent, score, ratio, amount"
            " (page 1, Biểu số 1, row 'Huyện ủy Gia Lộc', column 'Tỷ lệ %')",
        ],
        "nodate": ["missing period end date" + where],
        "year": ["implausible period end 2202-07-31 (misread year?)" + where],
        "order": ["period starts 2023-01-01 after it ends 2022-07-31" + where],
        "negative": ["negative count -3" + where],
        "page": ["page number 0 below 1" + where.replace("page 1", "page 0")],
        "method": ["unknown extraction method 'ocr'" + where],
        "level": ["no entity for 'Tứ Kỳ': not a known place, agency or organisation" + where],
        "dup": ["duplicate observation_id dup-0" + where],  # both rows, one reason
    }
    assert result.checks_failed == 10
    assert result.checks_run == len(gate._observation_expectations()) * 11


def test_a_sentence_number_labelled_only_by_its_unit_is_held() -> None:
    """'1.956 tỷ đồng' or OCR's '17 t' names no measure: held with its sentence, never published as an indicator."""
    sentence = {"table_ref": None, "row_label": None, "column_label": None, "extraction_method": "pdf_text"}
    rows = [
        good_row("report", 0, **sentence, indicator_label="tỷ đồng", unit="amount", value=1956.0),
        good_row("report", 1, **sentence, indicator_label="nguoi", unit="count", value=12.0),  # OCR lost the accents
        good_row("report", 2, **sentence, indicator_label="t", unit="count", value=17.0),
        good_row("report", 3, **sentence, indicator_label="đảng viên", unit="count", value=108764.0),
        good_row("report", 4, **sentence, indicator_label="hồ sơ TTHC giải quyết đúng hạn", unit="count", value=9.0),
        good_row("report", 5, indicator_label="tỷ đồng", unit="amount", value=3.0),  # a table column: its header is the label
        good_row("report", 6, **sentence, indicator_label="văn bản", unit="count", value=12.0),  # a kind of thing
    ]
    result = validate_batch(pl.DataFrame(rows, schema=OBSERVATION_SCHEMA), pl.DataFrame())
    assert set(result.held_rows) == {"report-0", "report-1", "report-2"}
    assert result.held_rows["report-0"][0].startswith("the sentence names only a unit ('tỷ đồng')")


def test_many_failing_rows_are_summarised() -> None:
    rows = [good_row("doc", i, unit="người", row_label=f"row {i}") for i in range(10)]
    result = validate_batch(pl.DataFrame(rows, schema=OBSERVATION_SCHEMA), pl.DataFrame())
    reasons = result.row_reasons["doc"]
    assert len(result.held_rows) == 10
    assert len(reasons) == gate.MAX_REASONS_PER_CHECK + 1
    assert reasons[-1] == "… and 7 more rows failing the same check"


def test_a_check_that_cannot_run_stops_the_gate() -> None:
    """A missing column is a bug in the pipeline: it must not pass, nor refuse every document."""
    totals = pl.DataFrame({"document_id": ["doc"], "blocking": [True], "abs_diff": [1.0]})  # no `tolerance`
    with pytest.raises(gate.GateError, match='column "tolerance" in BatchData does not exist'):
        validate_batch(pl.DataFrame(schema=OBSERVATION_SCHEMA), totals)


def test_empty_run_runs_no_checks() -> None:
    empty = pl.DataFrame(schema=OBSERVATION_SCHEMA)
    assert validate_batch(empty, totals_checks(empty)) == gate.GateResult()


@pytest.fixture(scope="module")
def rebuilt_context(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gx")
    gate.build_context(root)
    return root


@pytest.mark.parametrize("suite", gate.SUITES)
def test_committed_suite_matches_code(suite: str, rebuilt_context: Path) -> None:
    """The JSON under expectations/ is what runs; the code is what reviewers read."""

    def rules(root: Path) -> list[tuple]:
        expectations = json.loads((root / "gx" / "expectations" / f"{suite}.json").read_text("utf-8"))
        return [
            (e["type"], json.dumps(e["kwargs"], sort_keys=True), json.dumps(e["meta"], sort_keys=True))
            for e in expectations["expectations"]
        ]

    assert rules(EXPECTATIONS_DIR) == rules(rebuilt_context)


def test_rebuilt_context_gives_the_same_verdict(rebuilt_context: Path) -> None:
    rows = [good_row("ok", 0), good_row("bad", 0, unit="người")]
    observations = pl.DataFrame(rows, schema=OBSERVATION_SCHEMA)
    totals = totals_checks(observations)
    assert validate_batch(observations, totals, root=rebuilt_context) == validate_batch(observations, totals)


def test_committed_context_has_no_machine_paths() -> None:
    repo = EXPECTATIONS_DIR.parent
    for path in EXPECTATIONS_DIR.rglob("*"):
        if path.is_file() and "uncommitted" not in path.parts:
            text = path.read_text(encoding="utf-8")
            assert str(repo) not in text and "/home/" not in text and "/tmp/" not in text, path


@pytest.mark.parametrize("why", [
    "unplaced cell: row 'Huyện ủy Tứ Kỳ' prints 11 figures where the table's rows print 12",
    "column caption misread by OCR: ': 3g HH s” -Ằ'; what its numbers measure is unknown",
])
def test_a_number_whose_column_is_unknown_is_held_with_its_row_and_the_rest_published(why: str) -> None:
    from chiso.model import HELD_FLAGS

    assert why.startswith(HELD_FLAGS)
    rows = [
        good_row("doc", 0),
        good_row("doc", 1, quality_flag=why),
        good_row("doc", 2, quality_flag=f"low OCR confidence 41; {why}"),
        good_row("doc", 3, quality_flag="low OCR confidence 41"),
    ]
    frame = pl.DataFrame(rows, schema=OBSERVATION_SCHEMA)
    result = validate_batch(frame, totals_checks(frame))
    assert set(result.held_rows) == {"doc-1", "doc-2"}
    assert all(why in reasons[0] for reasons in result.held_rows.values())
    assert not result.failed  # the document is published, without those rows
