"""The totals self-check on real spreadsheets and on the table shapes it must handle."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from chiso.discover import SourceFile, sha256_of
from chiso.load.frames import OBSERVATION_SCHEMA, observations_frame
from chiso.process import process_document
from chiso.quality.arithmetic import is_grand_total_label, totals_checks

BIEU06 = "xlsx/haiduong_bieu06_luan-chuyen-can-bo_2016-2021.xlsx"
BIEU06_BAD_COPY = "bad/bieu06_luan-chuyen-can-bo_ban-sao.xlsx"


def corpus_frame(corpus: Path, *names: str) -> pl.DataFrame:
    """The frame the flow would validate, built by the real extraction chain."""
    paths = [corpus / name for name in names]
    return observations_frame(
        process_document(SourceFile(p, p.name, sha256_of(p), p.stat().st_size)) for p in paths
    )


def frame(rows: list[tuple[str, float, bool]], column: str = "Tổng số", unit: str = "count") -> pl.DataFrame:
    """One table column: (row_label, value, is_total) per row."""
    base = {name: None for name in OBSERVATION_SCHEMA}
    records = [
        {**base, "document_id": "doc", "observation_id": f"o{i}", "seq": i, "row_label": label,
         "value": value, "is_total": is_total, "unit": unit, "table_ref": "Biểu số 2", "page": 1,
         "column_label": column, "column_code": "1", "period_end": date(2022, 6, 30)}
        for i, (label, value, is_total) in enumerate(rows)
    ]
    return pl.DataFrame(records, schema=OBSERVATION_SCHEMA)


def test_bad_copy_of_bieu06_is_off_by_one_in_column_1(corpus: Path) -> None:
    observations = corpus_frame(corpus, BIEU06, BIEU06_BAD_COPY)
    checks = totals_checks(observations)
    bad_id = sha256_of(corpus / BIEU06_BAD_COPY)
    assert checks.height == 6  # three count columns in each copy
    mismatches = checks.filter(pl.col("abs_diff") > pl.col("tolerance"))
    assert mismatches.select("document_id", "column", "total_label", "total_value", "rows_sum", "diff").rows() == [
        (bad_id, "1", "TỔNG", 157.0, 156.0, 1.0)
    ]
    assert checks["table_ref"].unique().to_list() == ["Biểu số 6"]


def test_grand_total_may_equal_the_regional_subtotals() -> None:
    rows = [
        ("Khối huyện", 30.0, True),
        ("Huyện ủy Kim Thành", 10.0, False),
        ("Huyện ủy Nam Sách", 20.0, False),
        ("Khối cơ quan", 12.0, True),
        ("Sở Nội vụ", 5.0, False),  # one agency's row is missing from the copy
        ("Tổng cộng", 42.0, True),
    ]
    checks = totals_checks(frame(rows))
    assert checks.select("total_label", "rows_sum", "compared_with", "diff").rows() == [
        ("Tổng cộng", 42.0, "subtotals", 0.0)
    ]


def test_grand_total_against_rows_when_subtotals_do_not_add_up() -> None:
    rows = [("Khối huyện", 31.0, True), ("Kim Thành", 10.0, False), ("Nam Sách", 20.0, False), ("Cộng:", 30.0, True)]
    checks = totals_checks(frame(rows))
    assert checks.select("rows_sum", "compared_with", "diff").rows() == [(30.0, "rows", 0.0)]


def test_breakdown_rows_are_not_summed() -> None:
    rows = [("Kim Thành", 10.0, False), ("Trong đó: nữ", 4.0, False), ("Nam Sách", 20.0, False), ("TỔNG SỐ", 30.0, True)]
    assert totals_checks(frame(rows))["diff"].to_list() == [0.0]


def test_what_is_not_checked() -> None:
    percent = frame([("Kim Thành", 90.0, False), ("Nam Sách", 80.0, False), ("Cộng", 85.0, True)], unit="percent")
    two_totals = frame([("Cộng", 30.0, True), ("Kim Thành", 30.0, False), ("Tổng cộng", 30.0, True)])
    only_subtotals = frame([("Kim Thành", 10.0, False), ("Cộng khối huyện", 10.0, True)])
    narrative = frame([("Cộng", 1.0, True), ("x", 1.0, False)]).with_columns(
        column_label=pl.lit(None, pl.String), column_code=pl.lit(None, pl.String)
    )
    for observations in (percent, two_totals, only_subtotals, narrative):
        assert totals_checks(observations).is_empty()


def test_amounts_allow_rounding() -> None:
    rows = [("Kim Thành", 1234.4, False), ("Nam Sách", 2000.4, False), ("Cộng", 3235.0, True)]
    checks = totals_checks(frame(rows, unit="amount"))
    assert checks["abs_diff"][0] == pytest.approx(0.2)
    assert checks["tolerance"][0] == pytest.approx(1.0 + 3235.0e-6)
    counts = totals_checks(frame([("a", 10.0, False), ("b", 20.0, False), ("Cộng", 31.0, True)]))
    assert counts["abs_diff"][0] > counts["tolerance"][0]


@pytest.mark.parametrize(
    ("label", "expected"),
    [("TỔNG", True), ("Tổng cộng:", True), ("Cộng (toàn tỉnh)", True), ("TONG SO", True),
     ("Cộng khối huyện", False), ("Huyện ủy Cẩm Giàng", False), (None, False)],
)
def test_grand_total_labels(label: str | None, expected: bool) -> None:
    assert is_grand_total_label(label) is expected


def test_ocr_count_totals_are_flagged_not_blocking() -> None:
    """A misread digit in a scanned table must be reported on the total row, not lose the document."""
    from chiso.load.frames import OBSERVATION_SCHEMA
    from chiso.quality.arithmetic import flag_total_mismatches

    rows = [("Xã A", 40.0, False), ("Xã B", 60.0, False), ("Cộng", 101.0, True)]
    frame = pl.DataFrame(
        [
            {
                "observation_id": str(i), "document_id": "scan", "seq": i, "indicator_code": "x",
                "indicator_label": "Số thôn", "value": value, "unit": "count", "entity_name": label,
                "entity_level": "district", "province": "Hải Dương", "page": 1, "table_ref": "Biểu số 4",
                "row_label": label, "column_label": "Số thôn", "column_code": "1", "source_text": str(value),
                "extraction_method": "ocr_table", "is_total": total,
            }
            for i, (label, value, total) in enumerate(rows)
        ],
        schema=OBSERVATION_SCHEMA,
    )
    totals = totals_checks(frame)
    assert totals["blocking"].to_list() == [False]
    flagged = flag_total_mismatches(frame, totals)
    flags = flagged.filter(pl.col("is_total"))["quality_flag"].to_list()
    assert flags and "printed total 101" in flags[0] and "100" in flags[0]
    assert flagged.filter(~pl.col("is_total"))["quality_flag"].null_count() == 2
