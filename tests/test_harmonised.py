"""Entity-, indicator- and time-aware marts on a small landing fixture, built by a real `dbt build`.

The fixture covers the 2025 merger (Tuyên Quang + Hà Giang → Tuyên Quang),
Hà Tây (absorbed by Hà Nội in 2008) in MoF budget plans, a later document
revising an earlier figure, and labels inside and outside the catalog.
`build_landing` is also used by tests/test_export.py.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from chiso.indicators.interpret import interpret, source_key
from chiso.indicators.remap import land_catalog
from chiso.load.dbt import run_dbt
from chiso.load.landing import ensure_landing

pytestmark = pytest.mark.slow  # a dbt build and a rebuild without tests: about 20 s

SEEN = datetime(2025, 10, 1, 8, 0)
DOC_TQ = "1" * 64  # Tuyên Quang, before the merger
DOC_HG = "2" * 64  # Hà Giang, before the merger
DOC_TQ25 = "3" * 64  # Tuyên Quang after the merger: revises 2020 and reports 2025
DOC_PLAN06 = "4" * 64  # MoF budget plan 2006
DOC_PLAN10 = "5" * 64  # MoF budget plan 2010
DOC_SEA = "6" * 64  # a GSO station table: a year and its December, both ending on 31 December

DOCUMENTS = [
    (DOC_TQ, "tuyenquang_2020.pdf", "Báo cáo tổng kết năm 2020", "Tuyên Quang", date(2021, 1, 15)),
    (DOC_HG, "hagiang_2020.pdf", "Báo cáo tổng kết năm 2020", "Hà Giang", date(2021, 1, 20)),
    (DOC_TQ25, "tuyenquang_2025.pdf", "Báo cáo nhiệm kỳ 2020 - 2025", "Tuyên Quang", date(2025, 9, 1)),
    (DOC_PLAN06, "Plan_2006.xls", None, None, None),
    (DOC_PLAN10, "Plan_2010.xls", None, None, None),
    (DOC_SEA, "sea_level.csv", None, None, None),
]

END_2020, AUG_2025 = date(2020, 12, 31), date(2025, 8, 31)
END_2006, END_2010 = date(2006, 12, 31), date(2010, 12, 31)
REVENUE = "TỔNG THU NSNN TRÊN ĐỊA BÀN"
# (document, label, value, unit, entity, level, province, period_end, is_total)
OBSERVATIONS = [
    (DOC_TQ, "Tổng số đảng viên", 1000.0, "count", "Tuyên Quang", "province", "Tuyên Quang", END_2020, False),
    (DOC_TQ, "Chỉ số CCHC năm 2020", 85.5, "score", "Tuyên Quang", "province", "Tuyên Quang", END_2020, False),
    (DOC_TQ, "Số hội viên hội nông dân", 40.0, "count", "Sở Nội vụ", "agency", "Tuyên Quang", END_2020, False),
    (DOC_TQ, "đảng viên", 12.0, "count", "Xã Kim Bình", "commune", "Tuyên Quang", END_2020, False),
    (DOC_HG, "đảng viên", 500.0, "count", "HÀ GIANG", "province", "Hà Giang", END_2020, True),
    (DOC_HG, "Chỉ số CCHC năm 2020", 80.0, "score", "Hà Giang", "province", "Hà Giang", END_2020, False),
    (DOC_TQ25, "đảng viên", 1010.0, "count", "Tuyên Quang", "province", "Tuyên Quang", END_2020, False),
    (DOC_TQ25, "đảng viên", 1600.0, "count", "Tuyên Quang", "province", "Tuyên Quang", AUG_2025, False),
    (DOC_TQ25, "đảng viên", 300.0, "count", "Kim Bình", "commune", "Tuyên Quang", AUG_2025, False),
    (DOC_PLAN06, REVENUE, 100.0, "amount", "Hà Nội", "province", "Hà Nội", END_2006, False),
    (DOC_PLAN06, REVENUE, 30.0, "amount", "Hà Tây", "province", "Hà Tây", END_2006, False),
    (DOC_PLAN06, REVENUE, 20.0, "amount", "Hải Dương", "province", "Hải Dương", END_2006, False),
    (DOC_PLAN06, REVENUE, 150.0, "amount", "Việt Nam", "country", None, END_2006, True),
    (DOC_PLAN10, REVENUE, 200.0, "amount", "HÀ NỘI", "province", "Hà Nội", END_2010, False),
]


SEA_LEVEL = "Mực nước biển trung bình"
# (document, label, value, unit, entity, level, period_start, period_end)
PERIODS = [
    (DOC_SEA, SEA_LEVEL, 200.0, "amount", "Việt Nam", "country", date(2016, 1, 1), date(2016, 12, 31)),
    (DOC_SEA, SEA_LEVEL, 210.0, "amount", "Việt Nam", "country", date(2016, 12, 1), date(2016, 12, 31)),
]


SOURCES = {doc: (name, title) for doc, name, title, _, _ in DOCUMENTS}


def read(doc: str, label: str) -> tuple[str, str]:
    """The measure and breakdown the loader gives a label of this document."""
    name, title = SOURCES[doc]
    meaning = interpret(label, source_key(name, title), title or "")
    return meaning.code, meaning.breakdown


def build_landing(path: Path) -> None:
    """A landing database written through the loader's own DDL and catalog, columns named."""
    with duckdb.connect(str(path)) as con:
        ensure_landing(con)
        land_catalog(con)
        for doc, name, title, province, issued in DOCUMENTS:
            con.execute(
                "insert into landing.documents (document_id, source_file, source_path, format, title, province,"
                " issue_date, status, first_seen_at, run_id) values (?, ?, ?, 'pdf_text', ?, ?, ?, 'loaded', ?, 'run-1')",
                [doc, name, name, title, province, issued, SEEN],
            )
        for seq, (doc, label, value, unit, entity, level, province, period_end, is_total) in enumerate(OBSERVATIONS):
            con.execute(
                "insert into landing.observations (observation_id, document_id, seq, indicator_code, breakdown,"
                " indicator_label, value, unit, entity_name, entity_level, province, period_end, page, row_label,"
                " source_text, extraction_method, is_total, run_id, loaded_at)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 'pdf_text', ?, 'run-1', ?)",
                [f"obs-{seq:02d}", doc, seq, *read(doc, label), label, value, unit, entity,
                 level, province, period_end, entity, f"{label}: {value:g}", is_total, SEEN],
            )
        for seq, (doc, label, value, unit, entity, level, start, end) in enumerate(PERIODS, start=len(OBSERVATIONS)):
            con.execute(
                "insert into landing.observations (observation_id, document_id, seq, indicator_code, breakdown,"
                " indicator_label, value, unit, entity_name, entity_level, period_start, period_end, row_label,"
                " source_text, extraction_method, is_total, run_id, loaded_at)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'csv', false, 'run-1', ?)",
                [f"obs-{seq:02d}", doc, seq, *read(doc, label), label, value, unit, entity, level,
                 start, end, entity, f"{label}: {value:g}", SEEN],
            )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("harmonised") / "chiso.duckdb"
    build_landing(path)
    result = run_dbt(["build"], path, target_dir=path.parent / "target")
    assert result.success, result.failures or result.log_tail
    return path


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def province(path: Path, name: str, current: bool) -> str:
    """The province entity of the 2024 map (current=False) or of the current map."""
    rows = query(
        path,
        "select entity_id from marts.dim_entity where level = 'province' and name_vi = ?"
        " and (valid_to is null) = ?",
        [name, current],
    )
    assert len(rows) == 1, (name, current, rows)
    return rows[0][0]


def test_dim_entity_holds_the_reference_and_observed_entities(warehouse: Path) -> None:
    counts = dict(query(warehouse, "select level, count(*) from marts.dim_entity group by level"))
    assert counts["province"] == 64 + 23  # the 2024 map with Hà Tây, and the 23 provinces formed by merging
    assert counts["district"] > 690
    assert counts["agency"] == counts["country"] == 1
    assert counts["commune"] == 3321 + 1  # the 2025 map's communes, and 'Xã Kim Bình' printed in 2020
    assert query(
        warehouse,
        "select count(*) from marts.dim_entity where level = 'province' and valid_to is null",
    ) == [(34,)]  # the current map
    outside = query(warehouse, "select name_vi, gso_code, parent_entity_id from marts.dim_entity where level = 'agency'")
    assert outside == [("Sở Nội vụ", None, province(warehouse, "Tuyên Quang", current=False))]


def test_merged_provinces_point_to_their_successor(warehouse: Path) -> None:
    new_tq = province(warehouse, "Tuyên Quang", current=True)
    sql = "select gso_code, valid_from, valid_to, successor_entity_id, name_ascii from marts.dim_entity where entity_id = ?"
    assert query(warehouse, sql, [province(warehouse, "Hà Giang", current=False)]) == [
        ("02", None, date(2025, 6, 30), new_tq, "Ha Giang")
    ]
    assert query(warehouse, sql, [province(warehouse, "Tuyên Quang", current=False)])[0][2:4] == (date(2025, 6, 30), new_tq)
    assert query(warehouse, sql, [new_tq]) == [("08", date(2025, 7, 1), None, None, "Tuyen Quang")]
    hanoi = province(warehouse, "Hà Nội", current=True)  # unchanged in 2025: one entity for both maps
    assert query(warehouse, sql, [province(warehouse, "Hà Tây", current=False)])[0][2:4] == (date(2008, 7, 31), hanoi)
    districts = query(warehouse, "select distinct valid_to from marts.dim_entity where level = 'district'")
    assert districts == [(date(2025, 6, 30),)]


def test_observations_meet_reference_entities(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select f.period_end, e.valid_from from marts.fct_indicator_observation f join marts.dim_entity e"
        " using (entity_id) where f.indicator_code = 'dang_vien' and e.name_vi = 'Tuyên Quang' order by 1, 2",
    )
    # the 2020 figures belong to the old territory, the August 2025 one to the merged province
    assert rows == [(END_2020, None), (END_2020, None), (AUG_2025, date(2025, 7, 1))]
    assert query(warehouse, "select e.gso_code from marts.fct_indicator_observation f join marts.dim_entity e"
                            " using (entity_id) where f.value = 500") == [("02",)]  # 'HÀ GIANG' folded


def test_communes_after_the_reform_meet_the_2025_map(warehouse: Path) -> None:
    """A commune printed after 1 July 2025 is the coded commune of its 2025 province; one printed before is not."""
    rows = query(
        warehouse,
        "select f.value, e.gso_code, e.valid_from, e.parent_entity_id from marts.fct_indicator_observation f"
        " join marts.dim_entity e using (entity_id) where e.level = 'commune' order by f.value",
    )
    assert rows == [
        (12.0, None, None, None),  # 'Xã Kim Bình', 2020: a pre-merger commune, kept apart
        (300.0, "02350", date(2025, 7, 1), province(warehouse, "Tuyên Quang", current=True)),
    ]


def test_additive_indicator_is_summed_over_predecessors(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select period_end, value, is_harmonised, is_complete, predecessor_count, predecessors, document_ids"
        " from marts.indicator_timeseries_harmonised where indicator_code = 'dang_vien' and entity_name = 'Tuyên Quang'"
        " order by period_end",
    )
    assert rows == [
        (END_2020, 1510.0, True, True, 2, ["Hà Giang", "Tuyên Quang"], sorted([DOC_HG, DOC_TQ25])),
        (AUG_2025, 1600.0, False, True, 1, ["Tuyên Quang"], [DOC_TQ25]),
    ]


def test_harmonised_budget_follows_ha_tay_and_leaves_gaps_empty(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select entity_name, year(period_end), value, is_harmonised, predecessors, missing_predecessors"
        " from marts.indicator_timeseries_harmonised where indicator_code = 'budget_revenue' and breakdown = 'budget_basis=plan' order by 1, 2",
    )
    assert rows == [
        ("Hà Nội", 2006, 130.0, True, ["Hà Nội", "Hà Tây"], []),
        ("Hà Nội", 2010, 200.0, False, ["Hà Nội"], []),
        ("Hải Phòng", 2006, None, True, ["Hải Dương"], ["Hải Phòng"]),  # Hải Phòng did not report
    ]


def test_non_additive_scores_are_not_summed(warehouse: Path) -> None:
    assert query(
        warehouse, "select count(*) from marts.indicator_timeseries_harmonised where indicator_code = 'cchc_index'"
    ) == [(0,)]
    assert query(warehouse, "select additive from marts.dim_indicator where indicator_code = 'cchc_index'") == [(False,)]


def test_conflicting_vintages_are_listed(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select entity_name, period_end, source_file, value, is_chosen, n_documents from marts.observation_conflicts"
        " order by value",
    )
    assert rows == [
        ("Tuyên Quang", END_2020, "tuyenquang_2020.pdf", 1000.0, False, 2),
        ("Tuyên Quang", END_2020, "tuyenquang_2025.pdf", 1010.0, True, 2),
    ]
    assert query(warehouse, "select count(*) from marts.fct_indicator_observation") == [(len(OBSERVATIONS) + len(PERIODS),)]


def test_a_month_and_its_year_are_different_periods(warehouse: Path) -> None:
    """December of a monthly table and the year of an annual one both end on 31 December: both stay."""
    code, _ = read(DOC_SEA, SEA_LEVEL)
    rows = query(
        warehouse,
        "select period_start, period_end, value, n_candidates from marts.indicator_timeseries"
        " where indicator_code = ? order by period_start",
        [code],
    )
    assert rows == [(date(2016, 1, 1), date(2016, 12, 31), 200.0, 1), (date(2016, 12, 1), date(2016, 12, 31), 210.0, 1)]
    assert query(warehouse, "select count(*) from marts.observation_conflicts where indicator_code = ?", [code]) == [(0,)]


def test_measures_and_breakdowns_are_the_ones_the_loader_read(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select distinct f.document_id, f.indicator_label, f.indicator_code, f.breakdown, i.in_catalog,"
        " f.dimensions['budget_basis'] from marts.fct_indicator_observation f join marts.dim_indicator i using (indicator_code)",
    )
    for doc, label, code, breakdown, in_catalog, basis in rows:
        assert read(doc, label) == (code, breakdown), (label, code, breakdown)
        assert in_catalog == interpret(label, source_key(*SOURCES[doc]), SOURCES[doc][1] or "").catalogued
        assert basis == ("plan" if code == "budget_revenue" else None)
    codes = {row[2] for row in rows}
    assert {"dang_vien", "cchc_index", "budget_revenue"} <= codes
    unmapped = query(warehouse, "select indicator_label, n_observations from marts.dq_unmapped_indicators order by 1")
    assert unmapped == [(SEA_LEVEL, 2), ("Số hội viên hội nông dân", 1)]
    catalog = query(warehouse, "select name_en, unit, additive, in_catalog from marts.dim_indicator where indicator_code = 'pci_index'")
    assert catalog == [("Provincial Competitiveness Index (PCI)", "score", False, True)]


def test_rebuild_never_duplicates_entities_or_indicators(warehouse: Path) -> None:
    counts_sql = (
        "select (select count(*) from marts.dim_entity), (select count(distinct entity_id) from marts.dim_entity),"
        " (select count(*) from marts.dim_indicator), (select count(*) from marts.indicator_timeseries_harmonised)"
    )
    before = query(warehouse, counts_sql)
    rebuild = ["build", "--exclude-resource-type", "test"]  # seeds and models again; the tests ran once already
    result = run_dbt(rebuild, warehouse, target_dir=warehouse.parent / "target")
    assert result.success, result.failures or result.log_tail
    after = query(warehouse, counts_sql)
    assert after == before and after[0][0] == after[0][1]
