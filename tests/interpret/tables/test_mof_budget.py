"""Ministry of Finance budget workbooks, checked against an independent extraction.

`reference_plan_cleaned.csv` (from the R package that redistributes the
files) gives, per province and year 2006–2015, Tổng thu NSNN trên địa bàn
(`total.rev`) and Tổng chi cân đối NSĐP (`total.exp`). For each reference
row an observation from Plan_<year>.xls must carry that province as its row
label, sit in the matching column, and have the value within rounding.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from chiso.interpret.tables import StructuredTable, structure_table, table_observations
from chiso.model import Observation
from chiso.normalize.text import fold
from chiso.read.sheets.reader import read_spreadsheet

_SPELLINGS = {"baccan": "backan", "daclac": "daklak", "daclak": "daklak", "daklac": "daklak", "dacnong": "daknong"}


def province_key(name: str) -> str:
    """'TP. HỒ CHÍ MINH' / 'Ho Chi Minh City' → 'hochiminh'; 'BẮC CẠN' → 'backan'."""
    key = re.sub(r"[^a-z]", "", fold(name))
    key = re.sub(r"^(tp|thanhpho)", "", key)
    key = re.sub(r"city$", "", key)
    return _SPELLINGS.get(key, key)


@pytest.fixture(scope="module")
def mof(real: Path) -> Path:
    folder = real / "mof-budget"
    if not folder.is_dir():
        pytest.skip(f"MoF budget files not found at {folder}")
    return folder


@pytest.fixture(scope="module")
def workbooks(mof: Path) -> dict[str, list[StructuredTable]]:
    """Every workbook of the folder, read once for the module."""
    return {
        path.name: [t for t in (structure_table(raw) for raw in read_spreadsheet(path).tables) if t is not None]
        for path in sorted(mof.glob("*.xls"))
    }


def _close(value: float, expected: float) -> bool:
    return abs(value - expected) <= 1 or abs(value - expected) <= 1e-6 * abs(expected)


def test_plan_files_match_the_reference_extraction(mof: Path, workbooks: dict[str, list[StructuredTable]]) -> None:
    with open(mof / "reference_plan_cleaned.csv", newline="", encoding="utf-8") as handle:
        reference = list(csv.DictReader(handle))
    by_year: dict[str, dict[str, list[Observation]]] = {}
    for year in sorted({row["year"] for row in reference}):
        index: dict[str, list[Observation]] = defaultdict(list)
        observations = [obs for table in workbooks[f"Plan_{year}.xls"] for obs in table_observations(table, None)]
        for obs in observations:
            index[province_key(obs.row_label or "")].append(obs)
        by_year[year] = index
    for column, header in (("total.rev", "tong thu"), ("total.exp", "tong chi")):
        matched, misses = 0, []
        for row in reference:
            year = int(row["year"])
            candidates = [
                obs
                for obs in by_year[row["year"]].get(province_key(row["prov"]), [])
                if fold(obs.column_label).startswith(header)
                and obs.period_end == date(year, 12, 31)
                and obs.period_start == date(year, 1, 1)
                and obs.unit == "amount"
            ]
            if any(_close(obs.value, float(row[column])) for obs in candidates):
                matched += 1
            else:
                misses.append((row["year"], row["prov"], row[column]))
        rate = matched / len(reference)
        print(f"{column}: {matched}/{len(reference)} = {100 * rate:.1f}% matched; misses: {misses[:10]}")
        assert rate >= 0.97


def test_every_workbook_reads_and_every_province_row_is_observed(workbooks: dict[str, list[StructuredTable]]) -> None:
    assert len(workbooks) == 23
    for name, tables in workbooks.items():
        year = int(re.search(r"\d{4}", name).group())
        provincial = [t for t in tables if "tinh" in fold(t.header_paths[t.label_column])]
        assert provincial, f"{name}: no province table"
        for table in provincial:
            provinces = [row for row in table.body if not row.is_total]
            assert len(provinces) >= 61, f"{name}: {len(provinces)} province rows"
            observations = table_observations(table, None)
            assert {obs.period_end for obs in observations} == {date(year, 12, 31)}, name
            observed = {obs.row_label for obs in observations if not obs.is_total}
            assert observed == {row.label for row in provinces}, name
            assert all("\xa0" not in label and label == label.strip() for label in observed)
