"""Check history: check results kept in landing for the newest runs, GX results capped with Data Docs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from chiso.load.frames import OBSERVATION_SCHEMA
from chiso.load.landing import ensure_landing
from chiso.load.warehouse import Quarantined
from chiso.quality import history, totals_checks, validate_batch


def observations(bad_share: float = 1250.0) -> pl.DataFrame:
    base = {name: None for name in OBSERVATION_SCHEMA}
    rows = [
        {**base, "observation_id": f"o{i}", "document_id": doc, "seq": i, "indicator_code": "ty_le",
         "indicator_label": "Tỷ lệ", "value": value, "unit": "percent", "entity_name": "Tứ Kỳ",
         "entity_level": "district", "period_end": date(2022, 12, 31), "page": 2, "table_ref": "Biểu số 4",
         "row_label": "Huyện ủy Tứ Kỳ", "column_label": "Tỷ lệ (%)", "column_code": "3",
         "source_text": f"{value:g}", "extraction_method": "pdf_table", "is_total": False}
        for i, (doc, value) in enumerate([("good", 92.4), ("bad", bad_share), ("bad", 88.0)])
    ]  # fmt: skip
    return pl.DataFrame(rows, schema=OBSERVATION_SCHEMA)


@pytest.fixture(scope="module")
def gate():  # type: ignore[no-untyped-def]
    frame = observations()
    return validate_batch(frame, totals_checks(frame))


def test_check_results_name_suite_expectation_unit_document_and_values(gate) -> None:  # type: ignore[no-untyped-def]
    unreadable = Quarantined("zzz", "cut.pdf", "read", "truncated or corrupt PDF", "document", None)
    results = history.check_results(gate, [unreadable], "run-1", datetime(2026, 12, 1, 2, 0))
    failed = results.filter(~pl.col("success"))
    assert failed.select("suite", "unit", "holds", "document_id", "observed_value", "expected_value", "severity").rows() == [
        ("observations", "row", "row", "bad", "1250", "-100…1000", "error"),
        ("read", "document", "document", "zzz", None, None, "error"),
    ]
    assert failed["expectation"][0] == "expect_column_values_to_be_between(value where unit == 'percent')"
    assert "page 2, Biểu số 4, row 'Huyện ủy Tứ Kỳ'" in failed["reason"][0]
    passing = results.filter(pl.col("success") & (pl.col("suite") == "observations"))
    n_expectations = passing["expectation"].n_unique()
    assert passing.height == 2 * n_expectations - 1  # every rule passed for both documents but one
    assert set(results["run_id"]) == {"run-1"}


def test_history_keeps_the_newest_runs_only(gate, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        ensure_landing(con)
    start = datetime(2026, 12, 1, 2, 0)
    removed = []
    for night in range(4):
        results = history.check_results(gate, [], f"run-{night}", start + timedelta(days=night))
        removed.append(history.write_check_results(warehouse, results, keep_runs=3))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = [r[0] for r in con.execute("select distinct run_id from landing.check_results order by 1").fetchall()]
    assert runs == ["run-1", "run-2", "run-3"]
    assert removed[:3] == [0, 0, 0] and removed[3] == results.height


def test_retention_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(history.HISTORY_RUNS_ENV, "7")
    assert history.history_runs() == 7
    monkeypatch.setenv(history.HISTORY_RUNS_ENV, "a week")
    with pytest.raises(ValueError, match="CHISO_CHECK_HISTORY_RUNS must be a whole number"):
        history.history_runs()
    monkeypatch.delenv(history.HISTORY_RUNS_ENV)
    assert history.history_runs() == history.DEFAULT_HISTORY_RUNS


def test_gx_results_are_capped_and_data_docs_built(tmp_path: Path) -> None:
    directory = tmp_path / "gx"
    for night in range(3):
        frame = observations(bad_share=1000.0 + 100 * night)
        result = validate_batch(frame, totals_checks(frame))
        index = history.keep_validations(result.validations, directory, keep=2)
    stored = sorted(p.relative_to(directory / "validations").parts[0] for p in (directory / "validations").rglob("*.json"))
    assert stored.count("observations") == 2  # the third night pushed the first out
    assert index.is_file()
    pages = list((directory / "data_docs" / "validations").rglob("*.html"))
    assert len([p for p in pages if "observations" in p.parts]) == 2


def test_a_duplicate_id_fails_the_uniqueness_rule_by_name() -> None:
    frame = pl.concat([observations(), observations().head(1)])
    result = validate_batch(frame, totals_checks(frame))
    rows = history.check_results(result, [], "run", datetime(2026, 12, 1))
    unique = rows.filter(~pl.col("success") & pl.col("expectation").str.starts_with("expect_column_values_to_be_unique"))
    assert unique["expected_value"].unique().to_list() == ["unique"]
    assert unique["observed_value"].unique().to_list() == ["o0"]
