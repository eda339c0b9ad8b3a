"""Formulas saved without their results: computed, or said — never silently lost.

Excel stores each formula's last result beside it, and the reader takes that
(`data_only`). Workbooks written by scripts (openpyxl, some portal exports)
store the formula only: read naively, a total row of `=SUM(B4:B6)` is empty
and its numbers vanish. Such cells are computed here with pycel, a formula
engine that evaluates the workbook's own formulas; a cell it cannot compute
becomes a reader warning naming the sheet, cell and formula, so the people
monitoring quality see exactly what was not published.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl

MAX_LISTED = 10
"""Cells named in one warning; the count says how many more."""


def uncached_formulas(path: Path, sheets: list[str]) -> dict[str, list[tuple[int, int, str]]]:
    """sheet → (row, column, formula) of every formula cell whose saved result is missing (0-based)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        formulas = openpyxl.load_workbook(path, data_only=False, read_only=True)
        values = openpyxl.load_workbook(path, data_only=True, read_only=True)
    found: dict[str, list[tuple[int, int, str]]] = {}
    try:
        for name in sheets:
            for r, (with_formulas, with_values) in enumerate(zip(formulas[name].iter_rows(), values[name].iter_rows())):
                for c, (cell, value) in enumerate(zip(with_formulas, with_values)):
                    if cell.data_type == "f" and value.value is None:
                        found.setdefault(name, []).append((r, c, str(cell.value)))
    finally:
        formulas.close()
        values.close()
    return found


def compute(path: Path, missing: dict[str, list[tuple[int, int, str]]]) -> tuple[dict[tuple[str, int, int], float | str], list[str]]:
    """(sheet, row, column) → computed result, and warnings for the cells that could not be computed."""
    from openpyxl.utils.cell import get_column_letter
    from pycel import ExcelCompiler

    results: dict[tuple[str, int, int], float | str] = {}
    failed: list[str] = []
    try:
        engine = ExcelCompiler(filename=str(path))
    except Exception as error:  # noqa: BLE001 - a workbook pycel cannot open: every cell is said
        engine, reason = None, f"{type(error).__name__}: {error}"
    for sheet, cells in missing.items():
        for r, c, formula in cells:
            address = f"{sheet}!{get_column_letter(c + 1)}{r + 1}"
            try:
                if engine is None:
                    raise RuntimeError(reason)
                value = engine.evaluate(address)
                if value is None or (isinstance(value, str) and value.startswith("#")):
                    raise ValueError(f"result {value!r}")
                results[(sheet, r, c)] = value
            except Exception as error:  # noqa: BLE001 - said per cell, never dropped
                failed.append(f"{address} {formula} ({error})")
    notes: list[str] = []
    total = sum(len(cells) for cells in missing.values())
    if results:
        notes.append(f"{len(results)} of {total} formula cells had no saved result (the workbook was written by a"
                     " program, not saved by Excel); their values were computed from the sheet's formulas")
    if failed:
        listed = "; ".join(failed[:MAX_LISTED]) + (f"; and {len(failed) - MAX_LISTED} more" if len(failed) > MAX_LISTED else "")
        notes.append(f"{len(failed)} formula cells have no saved result and could not be computed, so nothing was"
                     f" published for them: {listed}")
    return results, notes
