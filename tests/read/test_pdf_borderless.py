"""Borderless tables of GSO's real population-projection PDF (first three pages only)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chiso.normalize.numbers import parse_number
from chiso.normalize.text import fold
from chiso.read.pdf.borderless import find_borderless_tables, is_untrustworthy

PDF = (Path(__file__).resolve().parents[2] / ".." / "shared" / "real" / "gso"
       / "population-projection-2014-2034_by-province.pdf")
AGE_GROUPS = [f"{a}-{a + 4}" for a in range(0, 80, 5)] + ["80+"]
YEARS = [str(year) for year in range(2014, 2035)]

pytestmark = [
    pytest.mark.skipif(not PDF.exists(), reason=f"real GSO PDF not found at {PDF}"),
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is needed to read the titles"),
]


@pytest.fixture(scope="module")
def tables():
    found, warnings = find_borderless_tables(PDF, [1, 2, 3])
    assert warnings == []
    return found


def _values(row: list[str | None]) -> list[float]:
    return [parse_number(cell).value for cell in row[1:]]


def _sum_differences(rows: list[list[str | None]]) -> list[float]:
    """Age groups' sum minus the printed Total, per year column."""
    *parts, total = rows
    assert total[0] == "Total"
    return [sum(column) - printed for *column, printed in zip(*map(_values, parts), _values(total))]


def test_sections_become_tables_with_province_and_sex_in_context(tables):
    assert [(t.page, t.context[-1]) for t in tables] == [
        (1, "Both sexes"), (1, "Male"), (2, "Male"), (2, "Female"), (3, "Both sexes"), (3, "Male")]
    hanoi, ha_giang = tables[0].context, tables[4].context
    # The title font has no usable character map: its text layer reads 'HAN2I'; OCR reads it again.
    assert "b.2.7. hanoi, projected population" in fold(" ".join(hanoi))
    assert "b.2.8. ha giang, projected population" in fold(" ".join(ha_giang))
    # The continuation on page 2 has no title of its own: it repeats its table's.
    assert tables[2].context == tables[1].context
    assert tables[3].context[:-1] == hanoi[:-1]


def test_header_carries_sex_over_years_and_body_rows_are_age_groups(tables):
    both = tables[0]
    assert both.method == "pdf_table"
    assert both.rows[0][:3] == [None, "Both sexes", None]
    assert both.rows[1] == [""] + YEARS
    assert [row[0] for row in both.rows[2:]] == AGE_GROUPS + ["Total"]
    # Thousands separated by spaces stay one number; columns ~5 pt apart are split.
    assert both.rows[2][:3] == ["0-4", "641 142", "646 461"]
    assert both.rows[-1][1] == "7 067 456"
    # Page 1 ends inside the Male block; page 2 continues it from 35-39 to Total.
    male = [row[0] for row in tables[1].rows[2:] + tables[2].rows[2:]]
    assert male == AGE_GROUPS + ["Total"]


def test_age_groups_sum_to_total(tables):
    """Exact from 2015 on; the base year 2014 is off by rounding (half a person per group at most)."""
    male = tables[1].rows[2:] + tables[2].rows[2:]
    for rows in (tables[0].rows[2:], male, tables[3].rows[2:]):
        differences = _sum_differences(rows)
        assert differences[1:] == [0.0] * 20
        assert abs(differences[0]) <= 0.5 * (len(rows) - 1)


def test_tight_totals_row_is_split_on_missing_space_glyphs():
    """Page 40 sets its bold Total row so tight that column gaps (1.2 pt) are narrower than
    the thousands spaces (1.9 pt); only the space glyphs tell them apart."""
    found, _ = find_borderless_tables(PDF, [40])
    female = found[-1]
    assert female.rows[-1][:4] == ["Total", "985 208", "993 058", "1 001 082"]
    assert len(female.rows[-1]) == 22


def test_glyph_soup_is_untrustworthy():
    assert is_untrustworthy("TA/E B.2.7. HAN2I, PR2-ECTED P2PU/ATI2N C/ASSIFIED B< A*E *R2UP")
    assert is_untrustworthy("AND SE;, ACC2RDIN* T2 MEDIUM VARIANT 2014-2034")
    assert is_untrustworthy("80\ufffd")
    assert not is_untrustworthy("TABLE B.2.7. HA NOI, PROJECTED POPULATION 2014-2034")
    assert not is_untrustworthy("Unit: Thousand persons")
