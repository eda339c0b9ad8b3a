"""The printed-formula self-check on the Hải Dương tables and on the shapes it must handle."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
import pytest

from chiso.discover import SourceFile, sha256_of
from chiso.load.frames import OBSERVATION_SCHEMA, observations_frame
from chiso.process import process_document
from chiso.quality.formulas import flag_formula_mismatches, formula_checks, parse_formula, printed_decimals

XLSX = "xlsx/haiduong_bieu01_bi-thu-chi-bo-truong-thon_31-7-2022.xlsx"
PDF = "pdf/haiduong_tong-ket-de-an-01_2022.pdf"


@pytest.fixture(scope="module")
def haiduong(corpus: Path) -> pl.DataFrame:
    """The frame the flow would check, built by the real extraction chain."""
    paths = [corpus / XLSX, corpus / PDF]
    return observations_frame(
        process_document(SourceFile(p, p.name, sha256_of(p), p.stat().st_size)) for p in paths
    )


def frame(cells: list[tuple[str, str, float, str, str | None]], flag: str | None = None) -> pl.DataFrame:
    """One table, column by column as the extractor emits it: (row_label, column_code, value, unit, text)."""
    base = {name: None for name in OBSERVATION_SCHEMA}
    records = [
        {**base, "document_id": "doc", "observation_id": f"o{i}", "seq": i, "row_label": label,
         "column_code": code, "value": value, "unit": unit, "source_text": text,
         "table_ref": "Biểu số 1", "page": 1, "is_total": False, "quality_flag": flag}
        for i, (label, code, value, unit, text) in enumerate(cells)
    ]
    return pl.DataFrame(records, schema=OBSERVATION_SCHEMA)


def test_ninh_giang_rounding_slip_is_the_only_flag_in_the_haiduong_tables(haiduong: pl.DataFrame) -> None:
    checks = formula_checks(haiduong)
    # Biểu số 1 (9=7/1) in both copies, Biểu số 2 (4=3/2 and 9=8/7) in the PDF; 13 rows each.
    assert checks.group_by("column_code").len().sort("column_code").rows() == [
        ("4=3/2", 13), ("9=7/1", 26), ("9=8/7", 13)
    ]
    flagged = flag_formula_mismatches(haiduong).filter(pl.col("quality_flag").is_not_null())
    print(flagged.select("table_ref", "page", "row_label", "column_code", "quality_flag").rows())
    assert flagged.select("table_ref", "row_label", "column_code", "value", "quality_flag").rows() == [
        ("Biểu số 2", "Huyện ủy Ninh Giang", "9=8/7", 53.7,
         "arithmetic: 9=8/7 gives 53.5 (46/86), printed 53.7")
    ]


def test_flagging_keeps_every_value_and_row(haiduong: pl.DataFrame) -> None:
    flagged = flag_formula_mismatches(haiduong)
    assert flagged.drop("quality_flag").equals(haiduong.drop("quality_flag"))


def test_ocr_misread_rate_is_flagged_with_the_recomputed_percent() -> None:
    observations = frame([
        ("Huyện ủy Tứ Kỳ", "1", 105, "count", "105"),
        ("Huyện ủy Tứ Kỳ", "7", 97, "count", "97"),
        ("Huyện ủy Tứ Kỳ", "9=7/1", 9, "percent", "9%"),
    ])
    checks = formula_checks(observations)
    assert checks.select("printed", "expected", "ok").rows() == [(9.0, 92.4, False)]
    assert flag_formula_mismatches(observations)["quality_flag"].to_list() == [
        None, None, "arithmetic: 9=7/1 gives 92.4 (97/105), printed 9"
    ]


def test_whole_percent_passes_within_half_a_point() -> None:
    observations = frame([
        ("A", "1", 105, "count", "105"), ("B", "1", 3, "count", "3"),
        ("A", "7", 97, "count", "97"), ("B", "7", 2, "count", "2"),
        ("A", "9=7/1", 92, "percent", "92%"), ("B", "9=7/1", 67, "percent", "67%"),
    ])
    assert formula_checks(observations)["ok"].to_list() == [True, True]


def test_sums_are_exact_and_existing_flags_are_kept() -> None:
    observations = frame(
        [
            ("Xã A", "6=7+8-(9)", 10, "count", "10"), ("Xã B", "6=7+8-(9)", 11, "count", "11"),
            ("Xã A", "7", 5, "count", "5"), ("Xã B", "7", 5, "count", "5"),
            ("Xã A", "8", 6, "count", "6"), ("Xã B", "8", 6, "count", "6"),
            ("Xã A", "9", 1, "count", "1"), ("Xã B", "9", 1, "count", "1"),
        ],
        flag="ocr",
    )
    assert formula_checks(observations).select("row_label", "expected", "ok").rows() == [
        ("Xã A", 10.0, True), ("Xã B", 10.0, False)
    ]
    assert flag_formula_mismatches(observations)["quality_flag"].to_list()[:2] == [
        "ocr", "ocr; arithmetic: 6=7+8-(9) gives 10 (5+6-(1)), printed 11"
    ]


def test_rows_without_operands_or_with_zero_divisor_are_not_checked() -> None:
    observations = frame([
        ("A", "1", 0, "count", "0"), ("B", "1", 4, "count", "4"),
        ("A", "2", 0, "count", "0"),
        ("A", "3=2/1", 0, "percent", "0%"), ("B", "3=2/1", 50, "percent", "50%"),
    ])
    assert formula_checks(observations).is_empty()


def test_repeated_labels_pair_by_their_order_in_each_column() -> None:
    observations = frame([
        ("Trong đó: nữ", "1", 10, "count", "10"), ("Trong đó: nữ", "1", 20, "count", "20"),
        ("Trong đó: nữ", "2", 5, "count", "5"), ("Trong đó: nữ", "2", 5, "count", "5"),
        ("Trong đó: nữ", "3=2/1", 50, "percent", "50%"), ("Trong đó: nữ", "3=2/1", 25, "percent", "25%"),
    ])
    assert formula_checks(observations)["ok"].to_list() == [True, True]


def test_formula_parsing_and_printed_decimals() -> None:
    number, evaluate, has_division, terms = parse_formula("13 = 12 : 11")
    assert (number, evaluate({11: 4.0, 12: 1.0}), has_division, terms) == (13, 0.25, True, 2)
    assert parse_formula("7") is None
    assert parse_formula("4=Tổng số") is None
    assert [printed_decimals(t, v) for t, v in [("53,7%", 53.7), ("92%", 92), ("1.401", 1401), (None, 0.25)]] == [
        1, 0, 0, 2
    ]


def test_a_hundred_thousand_cells_are_all_checked() -> None:
    """Scale behaviour (every row checked, none lost); the timing is printed, not asserted."""
    rows = 25_000
    cells = [(f"Xã {i}", "1", 100, "count", "100") for i in range(rows)]
    cells += [(f"Xã {i}", "2", 37, "count", "37") for i in range(rows)]
    cells += [(f"Xã {i}", "3", 63, "count", "63") for i in range(rows)]
    cells += [(f"Xã {i}", "4=2/1", 37, "percent", "37%") for i in range(rows)]
    observations = frame(cells)
    start = time.perf_counter()
    checks = formula_checks(observations)
    elapsed = time.perf_counter() - start
    print(f"{observations.height} cells, {checks.height} checks in {elapsed:.2f} s")
    assert checks.height == rows and checks["ok"].all()
