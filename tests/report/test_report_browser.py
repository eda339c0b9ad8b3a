"""The data-quality report in a real browser: two real runs, then headless Chromium reads the page.

Run 1 loads a corpus workbook and an altered copy of a born-digital appendix
(its "Cộng" contradicts its rows: held whole); run 2 adds an appendix with an
impossible percentage (one row held) and a Ministry of Finance budget file
(rounding and discrepancies); run 3 finds nothing new, and is still a point of
the trend. The flow rebuilds the report after each run; the
test opens it from the file system in Chromium (Debian `chromium` and
`chromium-driver`, driven by Selenium) and checks what a monitor would see.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import duckdb
import pytest
from PIL import Image

from chiso.report.cells import BOX_COLOUR
from tests.report.documents import altered_copy, impossible_share

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("report")]

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
SECTIONS = ("latest-run", "trends", "held", "discrepancies", "rounding", "coverage", "freshness", "labels", "checks")
CHARTS = ("chart-observations", "chart-held", "chart-checks", "chart-duration", "chart-coverage")
ALTERED = "haiduong_bieu03_ban-sao.pdf"


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, corpus, real):  # type: ignore[no-untyped-def]
    from flows.nightly import nightly

    root = tmp_path_factory.mktemp("report")
    raw, warehouse = root / "raw", root / "warehouse" / "chiso.duckdb"
    raw.mkdir()
    shutil.copy(corpus / "xlsx" / "haiduong_bieu01_bi-thu-chi-bo-truong-thon_31-7-2022.xlsx", raw)
    altered_copy(raw / "appendices" / ALTERED)
    first = nightly(raw_dir=str(raw), warehouse=str(warehouse))
    impossible_share(raw / "appendices" / "haiduong_bieu04_ty-le.pdf")
    (raw / "mof").mkdir()
    shutil.copy(real / "mof-budget" / "Plan_2010.xls", raw / "mof")
    second = nightly(raw_dir=str(raw), warehouse=str(warehouse))
    quiet = nightly(raw_dir=str(raw), warehouse=str(warehouse))
    assert quiet.documents_new == 0
    return first, second, warehouse, warehouse.parent / "report" / "index.html"


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("chromium and chromium-driver are not installed (make setup installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def page(two_runs, browser):  # type: ignore[no-untyped-def]
    *_, index = two_runs
    browser.get(index.as_uri())
    return browser


def test_both_runs_published_and_rebuilt_the_report(two_runs) -> None:  # type: ignore[no-untyped-def]
    first, second, warehouse, index = two_runs
    assert first.published and second.published
    assert {q.source_file for q in first.quarantined if q.unit == "document"} == {ALTERED}
    assert index.is_file() and (index.parent / "assets" / "plotly.min.js").is_file()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = con.execute("select count(distinct run_id) from marts.dq_check_results").fetchone()[0]
        outcomes = dict(con.execute("select outcome, count(*) from marts.dq_check_results group by 1").fetchall())
    assert runs == 2
    assert outcomes["held"] >= 2  # the altered total, and the 1250 %
    assert outcomes["rounding"] > 0 and outcomes["discrepancy"] > 0  # the MoF budget's arithmetic


def test_every_section_is_there(page) -> None:  # type: ignore[no-untyped-def]
    for section in SECTIONS:
        assert page.execute_script(f"return document.getElementById('{section}') !== null"), section


def test_charts_are_drawn_not_only_scripted(page) -> None:  # type: ignore[no-untyped-def]
    for chart in CHARTS:
        svgs = page.execute_script(f"return document.querySelectorAll('#{chart} svg.main-svg').length")
        assert svgs > 0, f"{chart} was not rendered"
    heat = page.execute_script("return document.querySelectorAll('#chart-coverage .heatmaplayer image, "
                               "#chart-coverage .hm').length")  # fmt: skip
    assert heat > 0


def test_every_run_is_a_point_of_the_trend_quiet_ones_too(page, two_runs) -> None:  # type: ignore[no-untyped-def]
    *_, warehouse, _ = two_runs
    for chart in ("chart-observations", "chart-held", "chart-duration"):
        points = page.execute_script(f"return document.querySelectorAll('#{chart} .scatterlayer .point').length")
        assert points == 3, chart
    with duckdb.connect(str(warehouse), read_only=True) as con:
        loaded = [r[0] for r in con.execute("select observations_loaded from marts.dq_runs order by started_at").fetchall()]
    assert loaded[0] > 0 and loaded[1] > 0 and loaded[2] == 0


def test_every_link_and_image_resolves(page, two_runs) -> None:  # type: ignore[no-untyped-def]
    *_, index = two_runs
    targets = page.execute_script(
        "return [...document.querySelectorAll('a[href]')].map(a => a.href)"
        ".concat([...document.querySelectorAll('img[src]')].map(i => i.src))"
        ".concat([...document.querySelectorAll('script[src]')].map(s => s.src))"
    )
    assert any("data_docs/index.html" in t for t in targets), "no link to the GX Data Docs"
    for target in targets:
        url = urlparse(target)
        assert url.scheme == "file", f"{target}: the report must not need the network"
        path = Path(unquote(url.path))
        assert path.is_file(), target
        if url.fragment and path == index:
            assert page.execute_script(f"return document.getElementById('{url.fragment}') !== null"), target
    broken = page.execute_script("return [...document.images].filter(i => !i.complete || i.naturalWidth === 0).length")
    assert broken == 0


def test_console_shows_no_errors(page) -> None:  # type: ignore[no-untyped-def]
    errors = [entry for entry in page.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
    assert errors == []


def test_held_document_page_shows_the_boxed_cell(page, two_runs) -> None:  # type: ignore[no-untyped-def]
    *_, index = two_runs
    links = page.execute_script(
        "return [...document.querySelectorAll('#held .held-unit')]"
        f".filter(u => u.textContent.includes('{ALTERED}'))"
        ".flatMap(u => [...u.querySelectorAll('figure a')].map(a => a.getAttribute('href')))"
    )
    assert links, "the held document has no page image"
    image = Image.open(index.parent / links[0]).convert("RGB")
    boxed = sum(1 for pixel in image.get_flattened_data() if pixel == BOX_COLOUR)
    assert boxed > 50, "no box drawn around the printed total"


def test_report_command_writes_elsewhere(two_runs, tmp_path) -> None:  # type: ignore[no-untyped-def]
    *_, warehouse, _ = two_runs
    out = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "chiso.cli", "report", "--warehouse", str(warehouse), "--out", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "report written to" in result.stdout and (out / "index.html").is_file()


def test_report_without_a_warehouse_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [sys.executable, "-m", "chiso.cli", "report", "--warehouse", str(tmp_path / "none.duckdb")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0 and "no warehouse at" in result.stderr and "Traceback" not in result.stderr
