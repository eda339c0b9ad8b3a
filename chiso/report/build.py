"""`chiso report`: the data-quality report as a static site beside the warehouse.

One `index.html` (inline CSS), plotly.js vendored in `assets/`, page images in
`pages/`: it opens from the file system, with no server and no network, so it
can be mailed as a folder or served by anything. The flow rebuilds it at the
end of every run; `chiso report` rebuilds it on demand.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from chiso.report import charts
from chiso.report.cells import shoot
from chiso.report.data import MAX_ROWS, ReportData, read, top_indicators
from chiso.report.sheets import SheetSnippet, snippet

_TABLE_PAGE = re.compile(r"page (\d+)\b")
"""Where a held table's reason names its page ("page 10: no column captions…")."""

MAX_SHOTS = 40
"""Page images per report: enough for a morning's held cells, bounded for a bad night."""
MAX_SNIPPETS = 60
"""Spreadsheet neighbourhoods per report, for the same reason."""


@dataclass
class BuiltReport:
    index: Path
    seconds: float
    bytes: int
    shots: int
    located: int
    """Page images whose cell was found and boxed."""


@dataclass
class _Shot:
    page: str
    thumb: str
    boxed: bool


@dataclass
class _Context:
    out: Path
    sources: list[Path]
    shots: dict[str, _Shot | None] = field(default_factory=dict)
    made: int = 0
    snippets: int = 0


def default_out(warehouse: Path) -> Path:
    return warehouse.parent / "report"


def _source_file(context: _Context, row: dict[str, Any], warehouse: Path) -> Path | None:
    """The file a document was read from: under a raw folder, else its quarantine copy."""
    for base in context.sources:
        path: Path = base / row["source_path"] if row.get("source_path") else base
        if row.get("source_path") and path.is_file():
            return path
    quarantine = warehouse.parent / "quarantine"
    if row.get("source_file") and quarantine.is_dir():
        copies = sorted(quarantine.glob(f"*/{row['source_file']}"), key=os.path.getmtime, reverse=True)
        if copies:
            return copies[0]
    return None


def _shot(context: _Context, warehouse: Path, row: dict[str, Any], whole_page: bool = False) -> _Shot | None:
    """The boxed page image of one cell (None for spreadsheets, files not found, or past MAX_SHOTS).

    `whole_page`: a held table has no one cell to box; its page is shown as it is.
    """
    if row.get("page") is None or not (row.get("source_text") or whole_page):
        return None
    key = hashlib.sha1(
        "|".join(str(row.get(k)) for k in ("document_id", "page", "row_label", "column_label", "source_text")).encode()
    ).hexdigest()[:16]
    if key in context.shots:
        return context.shots[key]
    shot = None
    path = _source_file(context, row, warehouse)
    if path is not None and path.suffix.lower() == ".pdf" and context.made < MAX_SHOTS:
        context.made += 1
        made = shoot(
            path, int(row["page"]), str(row.get("source_text") or ""), row.get("row_label"), context.out / "pages",
            key, row.get("value"),
        )
        if made is not None:
            shot = _Shot(f"pages/{made.page_png.name}", f"pages/{made.thumb_png.name}", made.box is not None)
    context.shots[key] = shot
    return shot


def _snippet(context: _Context, warehouse: Path, cell: dict[str, Any]) -> SheetSnippet | None:
    """The rows of a workbook around a held cell (a spreadsheet has no page to picture)."""
    if cell.get("shot") or cell.get("page") is None or not cell.get("source_text"):
        return None
    if context.snippets >= MAX_SNIPPETS:
        return None
    path = _source_file(context, cell, warehouse)
    if path is None or path.suffix.lower() == ".pdf":
        return None
    context.snippets += 1
    try:
        return snippet(path, int(cell["page"]), str(cell["source_text"]), cell.get("row_label"))
    except Exception:  # noqa: BLE001 - a workbook that no longer opens shows no snippet, the report goes on
        return None


def _place(cell: dict[str, Any]) -> str:
    """'page 5' of a PDF, 'sheet 2' of a workbook: what `page` means depends on the file."""
    pdf = str(cell.get("source_path") or cell.get("source_file") or "").lower().endswith(".pdf")
    return f"{'page' if pdf else 'sheet'} {cell.get('page')}"


def _records(frame: pl.DataFrame, limit: int = MAX_ROWS) -> list[dict[str, Any]]:
    return frame.head(limit).to_dicts() if frame.height else []


def _with_paths(data: ReportData, frame: pl.DataFrame, warehouse: Path) -> pl.DataFrame:
    """Add source_path (to find the file) from the warehouse's documents."""
    if frame.is_empty() or "source_path" in frame.columns:
        return frame
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        paths = con.sql("select document_id, source_path from marts.dim_document").pl()
        paths = pl.concat([paths, con.sql(
            "select document_id, source_path from landing.documents where document_id not in"
            " (select document_id from marts.dim_document)"
        ).pl()])  # fmt: skip
    return frame.join(paths, on="document_id", how="left")


def _latest(runs: pl.DataFrame, units: pl.DataFrame) -> dict[str, Any] | None:
    if runs.is_empty():
        return None
    run = runs.row(-1, named=True)
    partly = units.filter(pl.col("unit") != "document")["document_id"].n_unique() if units.height else 0
    return {**run, "documents_partly_held": partly}


def _data_docs_link(warehouse: Path, out: Path) -> str | None:
    from chiso.quality.history import gx_directory

    index = gx_directory(warehouse) / "data_docs" / "index.html"
    return os.path.relpath(index, out).replace(os.sep, "/") if index.is_file() else None


def build_report(warehouse: Path, out: Path | None = None, raw_dirs: list[Path] | None = None) -> BuiltReport:
    """Write the report for `warehouse` into `out` (default `report/` beside it); return where and how big.

    `raw_dirs` are the folders the documents were read from, to draw their pages.
    """
    from jinja2 import Environment, PackageLoader, select_autoescape

    started = time.perf_counter()
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `chiso run` first")
    out = Path(out) if out else default_out(warehouse)
    out.mkdir(parents=True, exist_ok=True)
    for old in (out / "pages").glob("*.png") if (out / "pages").is_dir() else ():
        old.unlink()
    charts.write_plotly_js(out)
    data = read(warehouse)
    context = _Context(out, [Path(p) for p in raw_dirs or []])

    held_cells = _with_paths(data, data.held_cells, warehouse)
    cells_by_unit: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for cell in _records(held_cells, 10_000):
        cell["shot"] = _shot(context, warehouse, cell)
        cell["sheet"] = _snippet(context, warehouse, cell)
        cell["place"] = _place(cell)
        unit = "row" if cell["held_unit"] == "row" else "document"
        cells_by_unit.setdefault((cell["document_id"], unit), []).append(cell)
    held = []
    for held_unit in _with_paths(data, data.held_units, warehouse).head(MAX_ROWS).to_dicts() if data.held_units.height else []:
        held_unit["cells"] = cells_by_unit.get((held_unit["document_id"], held_unit["unit"]), [])
        page = _TABLE_PAGE.match(held_unit.get("reason") or "") if held_unit["unit"] == "table" else None
        if page:  # the page of a table that could not be read, whole
            table = {**held_unit, "page": int(page.group(1)), "source_text": None, "row_label": None, "column_label": None}
            table["shot"] = _shot(context, warehouse, table, whole_page=True)
            held_unit["cells"] = [table]
        held.append(held_unit)

    arithmetic = data.arithmetic
    discrepancies = arithmetic.filter(pl.col("outcome") == "discrepancy") if arithmetic.height else arithmetic
    rounding = arithmetic.filter(pl.col("outcome") == "rounding") if arithmetic.height else arithmetic
    discrepancy_rows = _records(discrepancies)
    for row in discrepancy_rows[:10]:  # the largest few, on their page
        row["source_text"] = row.get("observed_value")
        row["value"] = None
        row["shot"] = _shot(context, warehouse, row)

    runs = data.runs
    trends = {}
    if runs.height:
        trends = {
            "observations": charts.run_trend(runs, "observations_loaded", "Observations loaded", "chart-observations"),
            "held": charts.run_trend(runs, "documents_quarantined", "Documents held whole", "chart-held"),
            "duration": charts.run_trend(runs, "duration_seconds", "Run time (s)", "chart-duration"),
            "checks": charts.checks_failed_by_suite(data.checks_by_run, "chart-checks"),
        }
    indicators = top_indicators(data.coverage)
    coverage = charts.coverage_heatmaps(data.coverage, indicators, "chart-coverage") if indicators else None

    environment = Environment(loader=PackageLoader("chiso.report", "templates"), autoescape=select_autoescape())
    html = environment.get_template("index.html.j2").render(
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
        warehouse=warehouse.name,
        latest=_latest(runs, data.latest_units),
        latest_units=_records(data.latest_units),
        runs=runs.height,
        trends=trends,
        held=held,
        held_total=data.held_units.height,
        discrepancies=discrepancy_rows,
        discrepancy_total=discrepancies.height,
        rounding=_records(rounding),
        rounding_total=rounding.height,
        coverage=coverage,
        coverage_indicators=len(indicators),
        coverage_all=data.coverage["indicator_code"].n_unique() if data.coverage.height else 0,
        freshness=_records(data.freshness),
        unresolved=_records(data.unresolved),
        unresolved_total=data.unresolved.height,
        unmapped=_records(data.unmapped),
        unmapped_total=data.unmapped.height,
        data_docs=_data_docs_link(warehouse, out),
        plotly=charts.PLOTLY_ASSET,
        max_rows=MAX_ROWS,
    )
    index = out / "index.html"
    index.write_text(html, encoding="utf-8")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    shots = [s for s in context.shots.values() if s is not None]
    return BuiltReport(index, time.perf_counter() - started, size, len(shots), sum(s.boxed for s in shots))
