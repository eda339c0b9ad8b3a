"""Formulas a program saved without their results: computed with the sheet's own formulas, or named."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from chiso.read.sheets.reader import read_spreadsheet
from tests.faults.inputs import formula_xlsx


def _cells(path: Path) -> list[str | None]:
    return [cell for table in read_spreadsheet(path).tables for row in table.rows for cell in row]


def test_formulas_without_saved_results_are_computed(tmp_path: Path) -> None:
    path = formula_xlsx(tmp_path / "totals.xlsx")
    document = read_spreadsheet(path)
    cells = _cells(path)
    assert {"4000", "3300", "4400", "6300", "5400", "11700"} <= set(cells)
    assert document.warnings == [
        "6 of 6 formula cells had no saved result (the workbook was written by a program, not saved by"
        " Excel); their values were computed from the sheet's formulas"
    ]


def test_a_formula_that_cannot_be_computed_is_named_not_dropped(tmp_path: Path) -> None:
    path = formula_xlsx(tmp_path / "totals.xlsx")
    book = openpyxl.load_workbook(path)
    book.active["D7"] = "=NOSUCHFUNCTION(D4:D6)"
    book.save(path)
    [computed, failed] = read_spreadsheet(path).warnings
    assert computed.startswith("5 of 6 formula cells had no saved result")
    assert failed.startswith("1 formula cells have no saved result and could not be computed, so nothing was"
                             " published for them: Sheet!D7 =NOSUCHFUNCTION(D4:D6)")


def test_saved_results_are_read_as_saved_and_nothing_is_said(corpus: Path) -> None:
    for path in sorted((corpus / "xlsx").glob("*.xlsx"))[:3]:
        assert not any("formula" in w for w in read_spreadsheet(path).warnings), path.name
