"""Appendix tables recovered from real OCR text, measured against the corpus truth."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from chiso.interpret.tables.observations import table_observations
from chiso.interpret.tables.structure import structure_table
from chiso.read.text.tables import find_text_tables
from chiso.resolve.entities import resolve_label

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
SEED = "000_5aec168a7511ce7d.txt"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus folder not present")


def _observations(name: str, data_date: date | None) -> list:
    raws = find_text_tables((CORPUS / "ocr-text" / name).read_text(encoding="utf-8"))
    tables = [t for t in (structure_table(raw) for raw in raws) if t is not None]
    return [obs for table in tables for obs in table_observations(table, data_date)]


@needs_corpus
def test_truth_cells_are_found_with_their_row_and_period() -> None:
    observations = _observations(SEED, date(2022, 6, 30))
    truth = [r for r in csv.DictReader((CORPUS / "truth" / f"{SEED}.csv").open(encoding="utf-8")) if r["kind"] == "table_cell"]
    entities: dict[str, str | None] = {}
    for obs in observations:
        if obs.row_label not in entities:
            entity = resolve_label(obs.row_label, "Hải Dương")
            entities[obs.row_label] = entity.name_vi if entity else None
    found = dated = 0
    for row in truth:
        matches = [o for o in observations if o.value == float(row["value"]) and entities[o.row_label] == row["entity_name"]]
        found += bool(matches)
        dated += any(str(o.period_end) == row["period_end"] and o.table_ref == row["table_ref"] for o in matches)
    assert found / len(truth) >= 0.8
    assert dated / len(truth) >= 0.8


@needs_corpus
def test_running_text_yields_no_table() -> None:
    """A report without an appendix: sentences ending in figures are not rows."""
    text = (CORPUS / "ocr-text" / "002_60471280b163b4aa.txt").read_text(encoding="utf-8")
    assert find_text_tables(text) == []


def test_grid_named_by_column_numbers_and_mangled_title_restored() -> None:
    text = "\n".join(
        [
            "Bidu sé 3",
            "(Tinh dén 31/7/2022)",
            "Téng sé | Trong d6",
            "A B 1 2 =2/1",
            "1 |Huyén uy Kim Thanh 91 | 90 [99%",
            "2 |Huyén uy Tie Ky - 105 105 {100%",
            "",
            "Cong 196 195 99%,",
            "NGUOI LAP BIEU",
        ]
    )
    (raw,) = find_text_tables(text)
    assert raw.method == "txt_ocr" and raw.page is None
    assert raw.context == ["Biểu số 3", "(Tinh dén 31/7/2022)", "Téng sé | Trong d6"]
    assert raw.rows[0] == ["TT", "", "Cột 1", "Cột 2", "Cột 3=2/1"]
    assert raw.rows[1] == ["A", "B", "1", "2", "3=2/1"]
    assert raw.rows[3] == ["2", "Huyén uy Tie Ky", "105", "105", "100%"]
    assert raw.rows[4] == ["", "Cong", "196", "195", "99%"]
    table = structure_table(raw)
    assert table is not None and table.table_ref == "Biểu số 3" and table.as_of == date(2022, 7, 31)
    assert [row.label for row in table.body] == ["Huyén uy Kim Thanh", "Huyén uy Tie Ky", "Cong"]
