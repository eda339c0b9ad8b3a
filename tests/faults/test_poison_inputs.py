"""Every poison input of issue 11 beside good files, in one `chiso run` child process whose peak
resident memory is measured: each poison is held with the budget or reason it broke, the good
files publish, and the run stays under 1.5 GB."""

from __future__ import annotations

import os

import duckdb
import pytest

from tests.faults import runs
from tests.faults.inputs import big_csv, blank_pdf, formula_xlsx, huge_page_pdf, pxweb_csv, raw_xlsx, table_pdf

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults-poison")]

PEAK_RSS_MB = 1536


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("poison")
    raw = root / "raw"
    pxweb_csv(raw / "good" / "population.csv")
    table_pdf(raw / "good" / "dang-vien.pdf", pages=2)
    formula_xlsx(raw / "good" / "totals-as-formulas.xlsx")
    pxweb_csv(raw / "good" / os.fsdecode(b"bad\xff\xfename.csv"), "8100.0", "2030.0")
    poison = raw / "poison"
    poison.mkdir()
    huge_page_pdf(poison / "huge-page.pdf")
    blank_pdf(poison / "blank-2000-pages.pdf", 2_000)
    raw_xlsx(poison / "tall-declared.xlsx", 110_000, 20, dimension="A1:T110000")
    raw_xlsx(poison / "tall-undeclared.xlsx", 110_000, 20, dimension=None)
    raw_xlsx(poison / "shared-strings-bomb.xlsx", 3, 3, dimension="A1:C3", shared_strings_mb=300)
    big_csv(poison / "big.csv", 200)
    for folder in ("a", "b"):  # two bad files with one name
        (poison / folder).mkdir()
        (poison / folder / "report.pdf").write_bytes(f"%PDF-1.4 cut off in {folder}".encode())
    (raw / ".hidden.pdf").write_bytes(b"%PDF-1.4")
    os.symlink(raw / "missing.pdf", raw / "dangling.pdf")
    os.mkfifo(raw / "pipe.csv")
    (raw / "folder.xlsx").mkdir()
    warehouse = root / "w" / "chiso.duckdb"
    finished = runs.run(raw, warehouse)
    return finished, warehouse, root


def test_the_run_holding_every_poison_stays_under_the_memory_budget(poisoned) -> None:
    finished, _, _ = poisoned
    print(f"\npeak RSS of the poisoned run: {finished.peak_rss_mb:,.0f} MB")
    assert finished.code == 0, finished.output[-4000:]
    assert finished.peak_rss_mb <= PEAK_RSS_MB


def test_each_poison_is_held_with_the_budget_it_broke(poisoned) -> None:
    _, warehouse, _ = poisoned
    with duckdb.connect(str(warehouse), read_only=True) as con:
        held = dict(con.execute(
            "select d.source_path, q.reason from marts.dq_quarantine q join landing.documents d using (document_id)"
        ).fetchall())
    expected = {
        "poison/huge-page.pdf": "page 1 is 14400 × 14400 pt: at 300 dpi it would render 3,600 MP, over the budget",
        "poison/blank-2000-pages.pdf": "2,000 pages, over the budget of 1,500 pages per file",
        "poison/tall-declared.xlsx": "sheet sheet1.xml declares 2,200,000 cells (A1:T110000), over the budget",
        "poison/tall-undeclared.xlsx": "sheet sheet1.xml has more than 2,000,000 cells (rows × columns)",
        "poison/shared-strings-bomb.xlsx": "workbook unpacks to 300 MB, over the budget of 256 MB",
        "poison/big.csv": "over the budget of 2,000,000 cells per sheet",
        "poison/a/report.pdf": "truncated or corrupt PDF",
        "poison/b/report.pdf": "truncated or corrupt PDF",
    }
    for path, reason in expected.items():
        assert reason in held.get(path, ""), f"{path}: {held.get(path)!r}"


def test_the_good_files_beside_them_publish(poisoned) -> None:
    _, warehouse, _ = poisoned
    with duckdb.connect(str(warehouse), read_only=True) as con:
        published = dict(con.execute(
            "select d.source_path, count(*) from marts.fct_indicator_observation f"
            " join marts.dim_document d using (document_id) group by 1"
        ).fetchall())
    assert published["good/population.csv"] == 4
    assert published["good/bad\\xff\\xfename.csv"] == 4
    assert published["good/dang-vien.pdf"] >= 6
    assert published["good/totals-as-formulas.xlsx"] == 12  # 6 of them formulas saved without results


def test_names_that_are_not_files_are_listed_and_bad_twins_keep_a_copy_each(poisoned) -> None:
    finished, warehouse, _ = poisoned
    for line in (
        "ignored .hidden.pdf: hidden file",
        "ignored dangling.pdf: a link whose target does not exist",
        "ignored pipe.csv: a named pipe (FIFO), not a file",
        "ignored folder.xlsx: a folder named like a file",
    ):
        assert line in finished.output
    copies = sorted(p.relative_to(warehouse.parent / "quarantine").as_posix().split("/", 1)[1]
                    for p in (warehouse.parent / "quarantine").rglob("report.pdf"))
    assert copies == ["poison/a/report.pdf", "poison/b/report.pdf"]
