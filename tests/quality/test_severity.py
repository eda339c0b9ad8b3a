"""Rounding or discrepancy: the `arithmetic` suite judges the tables' own arithmetic in printed units."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from chiso.discover import SourceFile, discover, sha256_of
from chiso.load.frames import OBSERVATION_SCHEMA, observations_frame
from chiso.process import process_document
from chiso.quality import totals_checks, validate_batch
from chiso.quality.gate import EXPECTATIONS_DIR
from chiso.quality.severity import comparisons, flag_discrepancies


def table(rows: list[tuple[str, float, bool, str | None]], unit: str, method: str = "pdf_table", **extra) -> pl.DataFrame:
    """One column of one table: (row_label, value, is_total, column_code)."""
    base = {name: None for name in OBSERVATION_SCHEMA}
    records = [
        {**base, "observation_id": f"o{i}", "document_id": "doc", "seq": i, "indicator_code": "x",
         "indicator_label": "x", "value": value, "unit": unit, "entity_name": label, "entity_level": "district",
         "page": 1, "table_ref": "Biểu số 1", "row_label": label, "column_label": "Số liệu", "column_code": code,
         "source_text": extra.get("texts", {}).get(i, f"{value:g}"), "extraction_method": method, "is_total": total}
        for i, (label, value, total, code) in enumerate(rows)
    ]  # fmt: skip
    return pl.DataFrame(records, schema=OBSERVATION_SCHEMA)


def judged(observations: pl.DataFrame) -> pl.DataFrame:
    return validate_batch(observations, totals_checks(observations)).arithmetic


def test_a_money_total_off_by_the_rounding_of_its_rows_is_rounding_and_not_flagged() -> None:
    rows = [("Tứ Kỳ", 1200.0, False, None), ("Gia Lộc", 800.0, False, None), ("Nam Sách", 500.0, False, None),
            ("Cộng", 2501.0, True, None)]  # fmt: skip
    observations = table(rows, "amount", "xls")
    verdict = judged(observations)
    assert verdict.select("check", "figures", "severity").rows() == [("total", 4, "rounding")]
    totals = totals_checks(observations)
    assert flag_discrepancies(observations, totals, verdict)["quality_flag"].null_count() == observations.height


def test_a_money_total_off_by_more_than_rounding_allows_is_a_flagged_discrepancy() -> None:
    rows = [("Tứ Kỳ", 1200.0, False, None), ("Gia Lộc", 800.0, False, None), ("Cộng", 2010.0, True, None)]
    observations = table(rows, "amount", "xls")
    verdict = judged(observations)
    assert verdict["severity"].to_list() == ["discrepancy"]
    flagged = flag_discrepancies(observations, totals_checks(observations), verdict)
    assert flagged.filter(pl.col("is_total"))["quality_flag"].to_list() == [
        "printed total 2010.0 differs from the sum of its rows 2000.0 (rows); kept as printed"
    ]


def test_counts_are_exact_so_one_off_in_an_ocr_table_is_a_discrepancy() -> None:
    rows = [("Xã A", 40.0, False, None), ("Xã B", 60.0, False, None), ("Cộng", 101.0, True, None)]
    assert judged(table(rows, "count", "ocr_table"))["severity"].to_list() == ["discrepancy"]


def test_a_sum_of_rounded_percentages_is_rounding_a_wrong_rate_a_discrepancy() -> None:
    cells = [("Tứ Kỳ", 33.3, False, "1"), ("Tứ Kỳ", 33.3, False, "2"), ("Tứ Kỳ", 33.3, False, "3"),
             ("Tứ Kỳ", 100.0, False, "4=1+2+3"),
             ("Gia Lộc", 46.0, False, "5"), ("Gia Lộc", 86.0, False, "6"), ("Gia Lộc", 53.7, False, "7=5/6")]  # fmt: skip
    observations = table(cells, "percent", texts={3: "100,0", 6: "53,7"})
    by_code = dict(judged(observations).select("column_code", "severity").iter_rows())
    assert by_code == {"4=1+2+3": "rounding", "7=5/6": "discrepancy"}


def test_thresholds_are_in_the_committed_suite() -> None:
    suite = json.loads((EXPECTATIONS_DIR / "gx" / "expectations" / "arithmetic.json").read_text("utf-8"))
    limits = {(e["kwargs"]["column"], e["meta"]["severity"]): e["kwargs"]["max_value"] for e in suite["expectations"]}
    assert limits == {("diff_steps", "discrepancy"): 0.5, ("diff_per_figure", "discrepancy"): 0.5,
                      ("diff_steps", "rounding"): 0.5}  # fmt: skip


def test_comparisons_of_a_frame_without_arithmetic_are_empty() -> None:
    empty = pl.DataFrame(schema=OBSERVATION_SCHEMA)
    assert comparisons(empty, totals_checks(empty)).is_empty()


@pytest.fixture(scope="module")
def mof(real: Path) -> pl.DataFrame:
    files = [f for f in discover(real / "mof-budget").files if f.name.startswith("Plan_201")]
    return observations_frame(process_document(source) for source in files)


def test_mof_budgets_count_rounding_apart_from_discrepancies(mof: pl.DataFrame) -> None:
    """Whole-million sums that miss by a unit are rounding; national totals with unallocated lines are not."""
    totals = totals_checks(mof)
    verdict = judged(mof)
    counts = dict(verdict.group_by("severity").len().iter_rows())
    assert counts.get("rounding", 0) > 0 and counts.get("discrepancy", 0) > 0
    rounding = verdict.filter(pl.col("severity") == "rounding")
    assert (rounding["diff_per_figure"] <= 0.5).all()
    flagged = flag_discrepancies(mof, totals, verdict)
    arithmetic_flags = flagged.filter(
        pl.col("quality_flag").str.contains("arithmetic:|printed total") & pl.col("quality_flag").is_not_null()
    ).height
    assert arithmetic_flags == counts["discrepancy"]


def test_the_source_slip_in_ninh_giang_is_a_discrepancy(corpus: Path) -> None:
    path = corpus / "pdf" / "haiduong_tong-ket-de-an-01_2022.pdf"
    observations = observations_frame([process_document(SourceFile(path, path.name, sha256_of(path), 0))])
    bad = judged(observations).filter(pl.col("severity") == "discrepancy")
    assert bad.select("row_label", "column_code", "printed").rows() == [("Huyện ủy Ninh Giang", "9=8/7", 53.7)]
