"""End to end: the real Prefect flow on real files into a real DuckDB file built by real dbt.

One session-scoped run over the dev corpus (born-digital and scanned PDFs,
spreadsheets, bad inputs) and ten real Ministry of Finance budget files; the
tests then read the published marts like an analyst would.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from chiso.evaluate.identity import indicator_identity
from chiso.evaluate.scores import entity_resolution, score_corpus, score_mof

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("flow")]

MOF_YEARS = range(2006, 2016)
SUBFOLDERS = ("pdf", "scanned", "xlsx", "ocr-text", "bad")
PROJECTION = "population-projection-2014-2034_by-province.pdf"


@pytest.fixture(scope="session")
def raw_dir(tmp_path_factory, corpus, real) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    for folder in SUBFOLDERS:
        shutil.copytree(corpus / folder, raw / folder, ignore=shutil.ignore_patterns("*.csv"))
    (raw / "mof").mkdir()
    for year in MOF_YEARS:
        shutil.copy(real / "mof-budget" / f"Plan_{year}.xls", raw / "mof")
    (raw / "gso").mkdir()  # the projection: one measure by sex and age group, for the analysts' guide
    shutil.copy(real / "gso" / PROJECTION, raw / "gso")
    (raw / "pci").mkdir()  # sub-index sheets: the sub-indicators as items of their component
    shutil.copy(real / "pci" / "PCI_2014.xlsx", raw / "pci")
    return raw


@pytest.fixture(scope="session")
def first_run(raw_dir, tmp_path_factory):
    from flows.nightly import nightly

    warehouse = tmp_path_factory.mktemp("warehouse") / "chiso.duckdb"
    summary = nightly(raw_dir=str(raw_dir), warehouse=str(warehouse))
    return summary, warehouse


def _fact_fingerprint(warehouse: Path) -> tuple:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select count(*), sum(hash(observation_id, value, entity_id, period_end)) from marts.fct_indicator_observation"
        ).fetchone()


def test_run_loads_good_files_and_quarantines_bad_ones(first_run):
    summary, warehouse = first_run
    assert summary.published and summary.error is None
    reasons = {item.source_file: item.reason for item in summary.quarantined}
    assert "empty file" in reasons["bieu-tong-hop-thang-8.pdf"]
    assert "encrypted PDF, password required" in reasons["bao-cao-dang-uy-khoi-ha-tinh_mat-khau.pdf"]
    assert "truncated or corrupt PDF" in reasons["tong-ket-de-an-01_tai-ve-loi.pdf"]
    assert "not a spreadsheet (text file named .xlsx)" in reasons["bieu05_so-xa-bi-thu-chu-tich.xlsx"]
    assert "totals mismatch: column 1, TỔNG 157 vs sum 156" in reasons["bieu06_luan-chuyen-can-bo_ban-sao.xlsx"]
    assert summary.documents_quarantined == 5
    assert summary.documents_loaded == summary.documents_new - 5
    with duckdb.connect(str(warehouse), read_only=True) as con:
        leaked = con.execute(
            "select count(*) from marts.fct_indicator_observation f join marts.dim_document d using (document_id)"
            " where d.source_file like '%ban-sao%'"
        ).fetchone()[0]
        files_held = con.execute("select count(*) from marts.dq_quarantine where unit = 'document'").fetchone()[0]
        rows_held = con.execute(
            "select count(*) from marts.dq_quarantine where unit = 'row' and reason like '%names only a unit%'"
        ).fetchone()[0]
    assert leaked == 0
    assert files_held == 5
    assert rows_held >= 1  # OCR text's one-letter "labels" ("17 t") are held cells, the rest of the file published


def test_marts_follow_the_contract(first_run):
    _, warehouse = first_run
    expected = {
        "fct_indicator_observation": {
            "observation_id", "indicator_code", "entity_id", "period_start", "period_end", "value", "unit",
            "document_id", "page", "table_ref", "row_label", "column_label", "source_text",
            "extraction_method", "is_total", "run_id", "loaded_at",
        },
        "dim_document": {"document_id", "source_file", "format", "doc_number", "issuer", "issue_date", "province", "title", "pages", "first_seen_at"},
        "dim_entity": {"entity_id", "name_vi", "level", "province", "parent_entity_id"},
        "dim_indicator": {"indicator_code", "name_vi", "unit", "description"},
        "indicator_timeseries": {"indicator_code", "entity_id", "period_end", "value"},
    }
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table, columns in expected.items():
            found = {row[0] for row in con.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ?", [table]
            ).fetchall()}
            assert columns <= found, f"{table} lacks {columns - found}"
        units = {row[0] for row in con.execute("select distinct unit from marts.fct_indicator_observation").fetchall()}
    assert units <= {"count", "percent", "score", "ratio", "amount"}


def test_corpus_accuracy(first_run, corpus):
    _, warehouse = first_run
    born_digital = {p.name for folder in ("pdf", "xlsx") for p in (corpus / folder).iterdir()}
    score = score_corpus(warehouse, corpus / "truth", files=born_digital)
    print("\ncorpus (born-digital PDFs and spreadsheets):\n" + score.render())
    assert score.rate("table_cell") >= 0.95
    assert score.rate("narrative") >= 0.85


def test_scanned_and_ocr_text_accuracy(first_run, corpus):
    """Scans read by Tesseract vie, and OCR text files with mangled diacritics."""
    _, warehouse = first_run
    scanned = score_corpus(warehouse, corpus / "truth", files={p.name for p in (corpus / "scanned").iterdir()})
    ocr_text = score_corpus(warehouse, corpus / "truth", files={p.name for p in (corpus / "ocr-text").iterdir()})
    print("\nscanned PDFs:\n" + scanned.render() + "\nOCR text files:\n" + ocr_text.render())
    assert scanned.rate("table_cell") >= 0.90
    assert scanned.rate("narrative") >= 0.85
    assert ocr_text.rate("table_cell") >= 0.90


def test_one_indicator_lands_under_one_measure_across_documents(first_run, corpus):
    """Pairwise identity on the corpus truth: same label + unit ⇔ same measure + breakdown + unit.

    The same Biểu số is printed as a PDF, a spreadsheet and OCR text whose
    header was lost ("Cột 5" borrows its meaning), so a split or a crossed
    borrowing shows here as lost recall or precision.
    """
    _, warehouse = first_run
    files = {p.name for folder in ("pdf", "scanned", "xlsx", "ocr-text") for p in (corpus / folder).iterdir()}
    identity = indicator_identity(warehouse, corpus / "truth", files=files)
    print("\n" + identity.render())
    assert identity.precision >= 0.95 and identity.recall >= 0.95


def test_arithmetic_mismatches_are_flagged_not_changed(first_run):
    """The source's own rounding error (Biểu số 2, Ninh Giang, 53,7% for 46/86) is flagged, kept as printed."""
    _, warehouse = first_run
    with duckdb.connect(str(warehouse), read_only=True) as con:
        flags = con.execute(
            "select f.row_label, f.value, f.quality_flag from marts.fct_indicator_observation f"
            " join marts.dim_document d using (document_id)"
            " where d.source_file = 'haiduong_tong-ket-de-an-01_2022.pdf' and f.quality_flag is not null"
        ).fetchall()
    assert [(label, value) for label, value, _ in flags] == [("Huyện ủy Ninh Giang", 53.7)]
    assert "9=8/7 gives 53.5" in flags[0][2]


def test_party_members_of_the_merged_tuyen_quang_with_provenance(first_run):
    """The analysts' guide query: Tuyên Quang (after merging Hà Giang) on today's boundaries."""
    _, warehouse = first_run
    with duckdb.connect(str(warehouse), read_only=True) as con:
        start = con.execute(
            "select h.value, h.is_harmonised, list_sort(h.predecessors), d.source_file"
            " from marts.indicator_timeseries_harmonised h"
            " join marts.dim_document d on list_contains(h.document_ids, d.document_id)"
            " where h.indicator_code = 'dang_vien' and h.entity_name = 'Tuyên Quang'"
            " and h.period_end = date '2020-12-31'"
        ).fetchall()
        end = con.execute(
            "select f.source_text from marts.fct_indicator_observation f join marts.dim_entity e using (entity_id)"
            " where f.indicator_code = 'dang_vien' and e.name_vi = 'Tuyên Quang' and e.valid_from = date '2025-07-01'"
            " and f.period_end = date '2025-12-31' and f.value = 136297"
        ).fetchall()
    # "Đầu nhiệm kỳ: Tỉnh Tuyên Quang có 56.541 đảng viên, tỉnh Hà Giang 70.124": summed on today's boundaries.
    assert start == [(126665.0, True, ["Hà Giang", "Tuyên Quang"], "004_7d0812b23f44b276.txt")]
    assert end and "136.297" in end[0][0]


def _guide_queries() -> dict[str, str]:
    """The SQL blocks of docs/analysts.md, by the heading above each."""
    guide = (Path(__file__).resolve().parents[1] / "docs" / "analysts.md").read_text(encoding="utf-8")
    queries, heading = {}, ""
    for block in re.split(r"^```", guide, flags=re.MULTILINE):
        if block.startswith("sql\n"):
            queries[heading] = block.removeprefix("sql\n")
        else:
            headings = re.findall(r"^## (.+)$", block, flags=re.MULTILINE)
            heading = headings[-1] if headings else heading
    return queries


def test_analysts_guide_queries_run_as_printed(first_run):
    """Every query of docs/analysts.md runs on a real warehouse and answers what its heading promises."""
    _, warehouse = first_run
    queries = _guide_queries()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        answers = {heading: con.execute(sql).fetchall() for heading, sql in queries.items()}
    members = next(rows for heading, rows in answers.items() if heading.startswith("Party members of Tuyên Quang"))
    assert [(str(row[0]), row[1], row[2]) for row in members] == [
        ("2020-12-31", 126665.0, True),  # old Tuyên Quang + Hà Giang, on today's boundaries
        ("2025-12-31", 136297.0, False),  # inspections of members ("kiểm tra … 4.180 đảng viên") are not members
    ]
    budget = next(rows for heading, rows in answers.items() if heading.startswith("Budget-plan revenue"))
    assert len(budget) == len({(row[0], row[2]) for row in budget}) == 63 * len(MOF_YEARS)
    ha_noi_2006 = next(row for row in budget if row[0] == "Hà Nội" and row[2] == 2006)
    assert "Hà Tây" in ha_noi_2006[4]
    par = next(rows for heading, rows in answers.items() if heading.startswith("PAR-index component scores"))
    assert len({row[0] for row in par}) == 12 and {row[2] for row in par} >= {"total", "institutions", "procedures"}
    projected = next(rows for heading, rows in answers.items() if heading.startswith("Projected population by sex"))
    assert {row[2] for row in projected} == {"both sexes", "male", "female"} and len({row[0] for row in projected}) >= 60
    by_province_year = {}
    for province, year, sex, value in projected:
        by_province_year.setdefault((province, year), {})[sex] = value
    sums = [abs(v["male"] + v["female"] - v["both sexes"]) / v["both sexes"] for v in by_province_year.values() if len(v) == 3]
    # male + female = both sexes to the rounding of the printed persons, in all but a few 2016 cells
    # (8 of 1,323 in the last measurement: a reading error of the PDF's 2016 column, left for the PDF reader)
    assert sums and sum(share < 0.001 for share in sums) / len(sums) >= 0.99
    time_costs = next(rows for heading, rows in answers.items() if heading.startswith("PCI sub-indicators"))
    assert len(time_costs) >= 5 and all(provinces >= 60 for _, _, provinces, _ in time_costs)
    assert len(answers) >= 7


def test_entities_resolve_to_coded_units_or_documented_bodies(first_run, corpus):
    """≥ 98% of corpus observations resolve; all 12 Hải Dương districts of Biểu số 1–7, OCR text included."""
    _, warehouse = first_run
    files = {p.name for folder in ("pdf", "scanned", "xlsx", "ocr-text") for p in (corpus / folder).iterdir()}
    resolution = entity_resolution(warehouse, files)
    print("\n" + resolution.render())
    assert (resolution.coded + resolution.non_territorial) / resolution.total >= 0.98
    ocr = entity_resolution(warehouse, {p.name for p in (corpus / "ocr-text").iterdir() if p.name.startswith("000")})
    assert len(ocr.districts["Hải Dương"]) == len(resolution.districts["Hải Dương"]) == 12


def test_mof_budget_against_independent_reference(first_run, real):
    _, warehouse = first_run
    result = score_mof(warehouse, real / "mof-budget" / "reference_plan_cleaned.csv")
    for column, (found, total, missing) in result.items():
        print(f"\nMoF {column}: {found}/{total} = {found / total:.1%}; missing: {missing[:10]}")
        assert found / total >= 0.97


def test_second_run_is_a_no_op_with_identical_marts(first_run, raw_dir):
    from flows.nightly import nightly

    _, warehouse = first_run
    before = _fact_fingerprint(warehouse)
    summary = nightly(raw_dir=str(raw_dir), warehouse=str(warehouse))
    assert summary.documents_new == 0 and summary.observations_loaded == 0
    assert _fact_fingerprint(warehouse) == before


def _pxweb_csv(path: Path, hanoi: str) -> None:
    """A small GSO-style export, written the way the statistical database writes them."""
    lines = [
        '\ufeff"Average population by province by Cities, provincies, Average population and Year"',
        "",
        '"Cities, provincies";"Total 2018";"Total 2019"',
        f'"Ha Noi";"7520.7";"{hanoi}"',
        '"Hai Phong";"2013.8";"2028.5"',
    ]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def test_a_catalog_change_reaches_the_marts_on_a_night_without_new_files(tmp_path):
    """Labels landed under an older catalog are read again by the next run, new files or not."""
    from flows.nightly import nightly

    raw, warehouse = tmp_path / "raw", tmp_path / "w.duckdb"
    raw.mkdir()
    _pxweb_csv(raw / "Average population by province.csv", "8093.8")
    nightly(raw_dir=str(raw), warehouse=str(warehouse))
    with duckdb.connect(str(warehouse)) as con:  # as if loaded before the catalog knew the table
        con.execute("update landing.observations set indicator_code = 'old_reading', breakdown = ''")
        con.execute("update landing.runs set catalog_digest = 'an-older-catalog'")
    summary = nightly(raw_dir=str(raw), warehouse=str(warehouse))
    assert summary.documents_new == 0 and summary.published
    with duckdb.connect(str(warehouse), read_only=True) as con:
        codes = con.execute("select distinct indicator_code, breakdown from marts.fct_indicator_observation").fetchall()
    assert codes == [("average_population", "")]


def test_a_changed_file_replaces_its_document_rows(tmp_path):
    from flows.nightly import nightly

    raw, warehouse = tmp_path / "raw", tmp_path / "w.duckdb"
    raw.mkdir()
    _pxweb_csv(raw / "population.csv", "8093.9")
    first = nightly(raw_dir=str(raw), warehouse=str(warehouse))
    assert first.documents_loaded == 1 and first.observations_loaded == 4

    _pxweb_csv(raw / "population.csv", "8100.0")
    second = nightly(raw_dir=str(raw), warehouse=str(warehouse))
    assert second.documents_new == 1
    with duckdb.connect(str(warehouse), read_only=True) as con:
        values = sorted(row[0] for row in con.execute(
            "select value from marts.fct_indicator_observation f join marts.dim_entity e using (entity_id)"
            " where e.name_vi = 'Hà Nội' and year(f.period_end) = 2019"
        ).fetchall())
        documents = con.execute("select count(*) from marts.dim_document").fetchone()[0]
    assert values == [8100.0]
    assert documents == 1


def test_an_appendix_arriving_a_night_after_its_report_takes_its_data_date(tmp_path, corpus):
    """Biểu số 4 (a scan signed with the report, printing no as-of date) loaded one run later."""
    from flows.nightly import nightly

    raw, warehouse = tmp_path / "raw", tmp_path / "w.duckdb"
    raw.mkdir()
    shutil.copy(corpus / "pdf" / "haiduong_tong-ket-de-an-01_2022.pdf", raw)
    nightly(raw_dir=str(raw), warehouse=str(warehouse))
    scan = "haiduong_bieu04_can-bo-chu-chot_scan.pdf"
    shutil.copy(corpus / "scanned" / scan, raw)
    second = nightly(raw_dir=str(raw), warehouse=str(warehouse))
    assert second.documents_new == second.documents_loaded == 1
    score = score_corpus(warehouse, corpus / "truth", files={scan})
    assert score.rate("table_cell") >= 0.95, score.render()


def test_reader_warnings_reach_the_quality_marts(tmp_path):
    """An export re-saved from R loads; that its names were rebuilt is there for the monitor to see."""
    from flows.nightly import nightly

    raw, warehouse = tmp_path / "raw", tmp_path / "w.duckdb"
    raw.mkdir()
    header = '"Year";"Male";"Female"'
    lines = [header, header, '"2015";"26.9";"22.8"', '"prel_2016";"27.2";"23"']
    (raw / "Average age of first marriage by sex.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    summary = nightly(raw_dir=str(raw), warehouse=str(warehouse))
    assert summary.documents_loaded == 1 and summary.observations_loaded == 4 and summary.warnings == 1
    with duckdb.connect(str(warehouse), read_only=True) as con:
        warnings = con.execute("select source_file, status, warning from marts.dq_document_warnings").fetchall()
        statuses = con.execute("select distinct status from marts.fct_indicator_observation").fetchall()
    assert [(name, status) for name, status, _ in warnings] == [("Average age of first marriage by sex.csv", "loaded")]
    assert "re-saved from R" in warnings[0][2]
    assert sorted(statuses, key=str) == sorted([(None,), ("preliminary",)], key=str)


_EXTRACT_COLUMNS = ("observation_id", "indicator_code", "value", "unit", "entity_name", "entity_level",
                    "period_end", "page", "table_ref", "row_label", "column_label", "quality_flag")


@pytest.mark.parametrize("name", ["pdf/hatinh_dang-uy-khoi_tong-ket-xay-dung-tccsd_2021.pdf",
                                  "xlsx/haiduong_chi-so-cchc-2022_SYNTHETIC.xlsx"])
def test_the_public_api_returns_what_the_run_published(first_run, raw_dir, name):
    """`chiso.extract(path)` on one file, without a warehouse, equals the run's published rows of that file."""
    import chiso
    from chiso.discover import sha256_of

    _, warehouse = first_run
    path = raw_dir / name
    extracted = chiso.extract(path)
    columns = ", ".join(_EXTRACT_COLUMNS)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        published = con.execute(
            f"select {columns} from landing.observations where document_id = ?", [sha256_of(path)]
        ).fetchall()
    assert extracted.height == len(published) > 0
    assert sorted(extracted.select(_EXTRACT_COLUMNS).rows(), key=str) == sorted(published, key=str)
