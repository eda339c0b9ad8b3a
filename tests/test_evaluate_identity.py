"""The pairwise indicator-identity scorer, on a small warehouse and truth written here."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from chiso.evaluate.identity import indicator_identity

TRUTH_COLUMNS = ["source_file", "kind", "table_ref", "page", "row_label", "column_label", "entity_name",
                 "entity_level", "province", "indicator_label", "period_end", "value", "unit"]


def _truth(folder: Path, facts: list[tuple[str, str, float, str]]) -> Path:
    """facts: (source_file, indicator_label, value, column_label)."""
    folder.mkdir()
    with (folder / "doc.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TRUTH_COLUMNS)
        for source, label, value, column in facts:
            writer.writerow([source, "table_cell", "Biểu số 1", 1, "Kim Thành", column, "Kim Thành", "district",
                             "Hải Dương", label, "2022-07-31", value, "count"])
    return folder


def _warehouse(path: Path, observations: list[tuple[str, float, str, str, str]],
               meaning_labels: dict[str, str] | None = None) -> Path:
    """observations: (source_file, value, column_label, indicator_code, breakdown); a bare column label's
    borrowed meaning label in `meaning_labels`."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.dim_document (document_id varchar, source_file varchar)")
        con.execute("create table marts.dim_entity (entity_id varchar, name_vi varchar)")
        con.execute(
            "create table marts.fct_indicator_observation (document_id varchar, entity_id varchar, value double,"
            " period_end date, row_label varchar, column_label varchar, indicator_code varchar, breakdown varchar,"
            " unit varchar, meaning_label varchar)"
        )
        con.execute("insert into marts.dim_entity values ('e', 'Kim Thành')")
        for source in {o[0] for o in observations}:
            con.execute("insert into marts.dim_document values (?, ?)", [source, source])
        for source, value, column, code, breakdown in observations:
            con.execute(
                "insert into marts.fct_indicator_observation values (?, 'e', ?, ?, 'Kim Thành', ?, ?, ?, 'count', ?)",
                [source, value, date(2022, 7, 31), column, code, breakdown, (meaning_labels or {}).get(column)],
            )
    return path


def test_two_indicators_under_one_code_lose_precision_not_recall(tmp_path: Path) -> None:
    truth = _truth(tmp_path / "truth", [
        ("a.xlsx", "Số chi bộ", 10, "c1"), ("b.pdf", "Số chi bộ", 10, "c1"),
        ("a.xlsx", "Số đảng viên", 20, "c2"), ("b.pdf", "Số đảng viên", 20, "c2"),
    ])
    warehouse = _warehouse(tmp_path / "w.duckdb", [
        ("a.xlsx", 10, "c1", "x", ""), ("b.pdf", 10, "c1", "x", ""),
        ("a.xlsx", 20, "c2", "x", ""), ("b.pdf", 20, "c2", "x", ""),
    ])
    identity = indicator_identity(warehouse, truth)
    assert identity.matched == 4 and identity.pairs_truth == 2 and identity.pairs_warehouse == 6
    assert identity.precision == pytest.approx(2 / 6) and identity.recall == 1.0
    assert identity.merged and not identity.split


def test_a_breakdown_keeps_two_indicators_apart_and_a_split_loses_recall(tmp_path: Path) -> None:
    truth = _truth(tmp_path / "truth", [
        ("a.xlsx", "Số chi bộ", 10, "c1"), ("b.pdf", "Số chi bộ", 10, "c1"),
        ("a.xlsx", "Số đảng viên — Nữ", 20, "c2"), ("b.pdf", "Số đảng viên — Nữ", 20, "c2"),
    ])
    warehouse = _warehouse(tmp_path / "w.duckdb", [
        ("a.xlsx", 10, "c1", "chi_bo", ""), ("b.pdf", 10, "c1", "so_chi_bo", ""),  # split across documents
        ("a.xlsx", 20, "c2", "dang_vien", "sex=female"), ("b.pdf", 20, "c2", "dang_vien", "sex=female"),
    ])
    identity = indicator_identity(warehouse, truth)
    assert identity.precision == 1.0 and identity.recall == pytest.approx(1 / 2)
    assert [label for label, _ in identity.split] == ["so chi bo"]  # folded, as the scorer compares labels


def test_a_bare_column_is_matched_by_the_label_it_borrowed(tmp_path: Path) -> None:
    """Two columns of one row print the same value; the OCR copy says only "Cột 1" and "Cột 2"."""
    truth = _truth(tmp_path / "truth", [
        ("a.xlsx", "Số chi bộ", 10, "Chi bộ"), ("a.xlsx", "Số đảng viên", 10, "Đảng viên"),
        ("b.txt", "Số chi bộ", 10, "Chi bộ"), ("b.txt", "Số đảng viên", 10, "Đảng viên"),
    ])
    rows = [
        ("a.xlsx", 10, "Chi bộ", "chi_bo", ""), ("a.xlsx", 10, "Đảng viên", "dang_vien", ""),
        ("b.txt", 10, "Cột 2", "dang_vien", ""), ("b.txt", 10, "Cột 1", "chi_bo", ""),
    ]
    borrowed = indicator_identity(_warehouse(tmp_path / "w.duckdb", rows, {"Cột 1": "Chi bộ", "Cột 2": "Đảng viên"}),
                                  truth)
    assert borrowed.precision == 1.0 and borrowed.recall == 1.0
    unexplained = indicator_identity(_warehouse(tmp_path / "x.duckdb", rows), truth)  # first candidate wins: crossed
    assert unexplained.precision < 1.0 and unexplained.recall < 1.0
