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


# --- rows that cannot be placed, and headers with one year per group of columns -----------------
# Generated variants of the seeds' appendix layout (Biểu số 7: ratings of party organisations, one group
# of columns per year), so that the rule is measured on tables the corpus does not hold.

_RATINGS = (("Hodn", "thanh", "XS"), ("Hoan", "thanh", "tét"), ("Khéng", "hoan", "thanh"))
_WARDS = ("Huyén uy Kim Thanh", "Thanh uy Chi Linh", "Huyén uy Gia Loc", "Huyén uy Tu Ky", "Thi uy Kinh Mon")


def _year_major_text(years: list[int], rows: dict[str, list[int]], captions: bool = True) -> str:
    """An OCR text table: a title, a line of years, the ratings' captions one word per column, then rows."""
    span = len(_RATINGS)
    lines = ["Biéu s6 7", "TONG HQP", "Két qua danh gia, xép loai t6 chirc co sé ding",
             " ".join(f"Ném {year}" for year in years)]
    if captions:
        for level in range(3):
            lines.append("Pon vi " + " | ".join(_RATINGS[c % span][level] for c in range(span * len(years))))
    lines += [f"{label} | " + " ".join(str(v) for v in values) for label, values in rows.items()]
    return "\n".join([*lines, "NGUOI LAP BIEU"])


@pytest.mark.parametrize("first_year, n_years", [(2016, 2), (2017, 5), (2019, 3)])
def test_a_year_line_dates_each_group_of_columns_and_the_captions_under_it(first_year: int, n_years: int) -> None:
    years = list(range(first_year, first_year + n_years))
    width = len(_RATINGS) * n_years
    rows = {label: [(i * 7 + c) % 23 for c in range(width)] for i, label in enumerate(_WARDS)}
    (raw,) = find_text_tables(_year_major_text(years, rows))
    table = structure_table(raw)
    assert table is not None
    observations = table_observations(table, date(2022, 6, 30))
    assert len(observations) == len(_WARDS) * width
    for obs in observations:
        printed = rows[obs.row_label]
        column = printed.index(int(obs.value)) if printed.count(int(obs.value)) == 1 else None
        if column is None:
            continue
        assert obs.period_end == date(years[column // len(_RATINGS)], 12, 31), obs
        assert _RATINGS[column % len(_RATINGS)][0] in (obs.column_label or ""), obs
    by_caption = {o.column_label.split(" / ", 1)[1] for o in observations}
    assert len(by_caption) == len(_RATINGS)  # one reading per sub-column, whatever the year


def test_without_a_year_line_caption_words_are_not_taken_for_columns() -> None:
    rows = {label: [i + 1, i + 2, i + 3] for i, label in enumerate(_WARDS)}
    text = "\n".join(["Biéu s6 2", "Tong so chi bo thon", *[f"{k} {' '.join(map(str, v))}" for k, v in rows.items()]])
    (raw,) = find_text_tables(text)
    assert raw.rows[0][-3:] == ["Cột 1", "Cột 2", "Cột 3"]


@pytest.mark.parametrize("lost, extra", [(1, 0), (2, 0), (0, 1)])
def test_a_row_with_a_lost_or_extra_figure_is_flagged_unplaced_and_keeps_every_number(lost: int, extra: int) -> None:
    from chiso.model import UNPLACED_CELL

    width = 6
    rows = {label: [10 * i + c for c in range(width)] for i, label in enumerate(_WARDS)}
    odd = _WARDS[2]
    rows[odd] = rows[odd][lost:] + [99] * extra
    text = "\n".join(["Biéu s6 4", *[f"{k} {' '.join(map(str, v))}" for k, v in rows.items()]])
    (raw,) = find_text_tables(text)
    flagged_rows = {r for r, _ in raw.cell_flags}
    assert [raw.rows[r][0] for r in flagged_rows] == [odd]
    assert all(flag.startswith(UNPLACED_CELL) and f"prints {width - lost + extra} figures" in flag
               for flag in raw.cell_flags.values())
    table = structure_table(raw)
    assert table is not None
    observations = table_observations(table, date(2022, 6, 30))
    odd_values = sorted(o.value for o in observations if o.row_label == odd)
    assert odd_values == sorted(float(v) for v in rows[odd])  # nothing dropped, only flagged
    assert all(o.quality_flag is None for o in observations if o.row_label != odd)
    assert all(o.quality_flag and UNPLACED_CELL in o.quality_flag for o in observations if o.row_label == odd)


@pytest.mark.parametrize("numbered", [2, 5, 8])
def test_a_place_named_by_its_number_keeps_it_whatever_the_numbered_rows_outvote(numbered: int) -> None:
    """'Quận ủy Quận 12 92 97 …': nothing divides the name's number from the first cell. Numbered places
    (OCR-mangled 'Quén', 'Phudng' too) get it back, the named ones and a leading totals row keep their
    width, and a label that merely ends in such a word ('nông thôn') keeps its figures."""
    width = 4
    places = [f"Quén uy Quén {n}" if n % 2 else f"Dang uy Phudng {n}" for n in range(1, numbered + 1)]
    named = ["Huyén uy Nha Be", "Thanh uy Thu Duc", "Sd Nong nghiep va Phat trien nong thén"]
    rows = {label: [3 * i + c + 20 for c in range(width)] for i, label in enumerate(places + named)}
    total = [sum(v[c] for v in rows.values()) for c in range(width)]
    lines = ["Biéu s6 1", "A B 1 2 3 4", f"Cong {' '.join(map(str, total))}"]
    lines += [f"{i} |{label} " + " ".join(map(str, v)) for i, (label, v) in enumerate(rows.items(), start=1)]
    (raw,) = find_text_tables("\n".join(lines))
    assert raw.cell_flags == {}
    body = {row[1]: [float(v.replace(".", "")) for v in row[2:]] for row in raw.rows[2:]}
    assert body.pop("Cong") == total
    assert body == {label: [float(v) for v in values] for label, values in rows.items()}


# --- a table broken by its notes column, and a totals row as OCR spells it ---------------------------

_DISTRICTS = ("Huyén uy Kim Thanh", "Thanh uy Chi Linh", "Huyén uy Gia Loc", "Huyén uy Tu Ky", "Thi uy Kinh Mon",
              "Huyén uy Nam Sach", "Huyén uy Thanh Ha", "Huyén uy Ninh Giang")


def _notes_table(n_rows: int, wrapped: int, lost: int | None, total: str) -> str:
    """Biểu số 5's layout: serial, unit, 4 figures, then a notes cell wrapped over `wrapped` lines."""
    lines = ["Biéusé 5", "BIEU TONG HQ'P", "S6 lwong xi, phudng c6 Bi thir dong thoi 1a Chii tich UBND"]
    sums = [0, 0, 0, 0]
    for i in range(n_rows):
        values = [10 + i, 8 + i, 2, 1]
        sums = [a + b for a, b in zip(sums, values, strict=True)]
        if i == lost:
            lines.append(f"{i + 1} |{_DISTRICTS[i]} {values[0]} o | {values[1]} .{values[2]} |phudng Tan Binh")
        else:
            lines.append(f"{i + 1} |{_DISTRICTS[i]} {' '.join(map(str, values))} Xa Hong Phong, Tan Tien,")
        lines += [f"phudng An Lac, x3 Thai Hoc {k}" if k % 2 else "Quang Minh, Le Loi" for k in range(wrapped)]
    lines += [f"{total} {' '.join(map(str, sums))}", "NGUOI LAP BIEU"]
    return "\n".join(lines)


@pytest.mark.parametrize("wrapped, lost", [(1, None), (2, 3), (3, 4), (2, 0)])
@pytest.mark.parametrize("total", ["Téng cing", "Cing", "Tong cong", "Céng"])
def test_a_table_broken_by_wrapped_notes_is_one_table_with_its_name_and_totals_row(
        wrapped: int, lost: int | None, total: str) -> None:
    """Rows the notes lines (and an unreadable row) cut apart form one table: its name, every row, and its
    totals row as OCR spells it ('Téng cing', 'Cing'), read as the totals row, not as a category."""
    raws = find_text_tables(_notes_table(7, wrapped, lost, total))
    assert len(raws) == 1
    table = structure_table(raws[0])
    assert table is not None and table.table_ref == "Biểu số 5"
    labels = [row.label for row in table.body]
    assert len(labels) == 7 - (lost is not None) + 1 and labels[-1] == total
    assert [row.is_total for row in table.body] == [False] * (len(labels) - 1) + [True]


@pytest.mark.parametrize("label", ["Công an tỉnh", "Cong ty Dien luc", "Tổng cục Thống kê", "Tổng công ty"])
def test_a_row_named_for_a_police_a_company_or_a_general_department_is_no_totals_row(label: str) -> None:
    from chiso.normalize.labels import is_totals_label

    assert not is_totals_label(label)
