"""Check history: every run's check results in the warehouse, and its GX validation results on disk.

The gate decides and forgets; a monitoring team needs yesterday's answer too
("did Plan_2010 fail the totals check last week as well?"). So each run stores
its check outcomes — one passing row per expectation and document, one row per
failing unit — in `landing.check_results` (modelled as `marts.dq_check_results`),
and keeps the Great Expectations validation results of its suites beside the
warehouse, with GX Data Docs built over them, for people who want GX's own view.

Both are bounded: check results of the newest `CHISO_CHECK_HISTORY_RUNS` runs
(default 90), GX results of the newest `CHISO_GX_RESULTS_KEEP` runs (default 10).
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from chiso.columns import Columns
from chiso.load.contract import CHECK_RESULTS
from chiso.load.warehouse import Quarantined
from chiso.quality.gate import CHECK_COLUMNS, EXPECTATIONS_DIR, GateResult
from chiso.settings import environment_whole

HISTORY_RUNS_ENV = "CHISO_CHECK_HISTORY_RUNS"
GX_RESULTS_ENV = "CHISO_GX_RESULTS_KEEP"
DEFAULT_HISTORY_RUNS = 90
DEFAULT_GX_RESULTS = 10

STORED_COLUMNS: Columns = CHECK_RESULTS.polars_schema()
"""landing.check_results, column for column (chiso/load/contract.py)."""

_STAGE_SUITE = {"read": "read", "structure": "structure"}


def history_runs() -> int:
    return environment_whole(HISTORY_RUNS_ENV, DEFAULT_HISTORY_RUNS)


def gx_results_kept() -> int:
    return environment_whole(GX_RESULTS_ENV, DEFAULT_GX_RESULTS)


def check_results(
    gate: GateResult, quarantined: list[Quarantined], run_id: str, checked_at: datetime
) -> pl.DataFrame:
    """The run's check results: the gate's, plus the files refused at reading and the tables not trusted.

    Those two are checks too (a file must be readable; a table's grid must have
    captions and row labels), made outside GX; they are recorded as failures
    of the suites `read` and `structure`.
    """
    rows = list(gate.checks)
    for unit in quarantined:
        suite = _STAGE_SUITE.get(unit.stage)
        if suite is None:
            continue  # validate: already among the gate's own rows
        row = dict.fromkeys(CHECK_COLUMNS)
        row.update(
            suite=suite, expectation="readable file" if suite == "read" else "table with captions and row labels",
            unit=unit.unit, holds=unit.unit, document_id=unit.document_id, success=False,
            severity="error", reason=unit.reason,
            observed_value=None if unit.cells_held is None else f"{unit.cells_held} cells",
        )  # fmt: skip
        rows.append(row)
    frame = pl.DataFrame(rows, schema=CHECK_COLUMNS, orient="row") if rows else pl.DataFrame(schema=CHECK_COLUMNS)
    return frame.select(pl.lit(run_id).alias("run_id"), pl.lit(checked_at).alias("checked_at"), pl.all()).cast(
        STORED_COLUMNS  # type: ignore[arg-type]
    )


def write_check_results(building: Path, results: pl.DataFrame, keep_runs: int | None = None) -> int:
    """Append the run's check results and drop those of runs beyond the newest `keep_runs`.

    Returns the number of rows removed by retention.
    """
    keep = keep_runs or history_runs()
    with duckdb.connect(str(building)) as con:
        con.execute("begin transaction")
        if results.height:
            con.register("run_checks", results.to_arrow())
            con.execute("insert into landing.check_results by name select * from run_checks")
        removed = con.execute(
            "delete from landing.check_results where run_id not in ("
            " select run_id from landing.check_results group by run_id"
            " order by max(checked_at) desc limit ?)",
            [keep],
        ).fetchone()
        con.execute("commit")
    return int(removed[0]) if removed else 0


def gx_directory(warehouse: Path) -> Path:
    """Where a warehouse's GX validation results and Data Docs live: `gx/` beside it."""
    return warehouse.parent / "gx"


def _context(directory: Path) -> Any:
    """A GX context over the committed suites that stores results and Data Docs under `directory`."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import DataContextConfig

    def filesystem(path: Path) -> dict[str, str]:
        return {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(path)}

    config = DataContextConfig(
        stores={
            "expectations_store": {
                "class_name": "ExpectationsStore",
                "store_backend": filesystem(EXPECTATIONS_DIR / "gx" / "expectations"),
            },
            "validation_results_store": {
                "class_name": "ValidationResultsStore",
                "store_backend": filesystem(directory / "validations"),
            },
        },
        expectations_store_name="expectations_store",
        validation_results_store_name="validation_results_store",
        data_docs_sites={
            "local_site": {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": filesystem(directory / "data_docs"),
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
        analytics_enabled=False,
    )
    return gx.get_context(project_config=config)


def _prune(validations: Path, keep: int) -> None:
    """Keep the `keep` newest results of each suite (run-time folders sort by time: 20261201T214406…)."""
    for suite in validations.iterdir() if validations.is_dir() else ():
        runs = sorted((p for p in suite.glob("*/*") if p.is_dir()), key=lambda p: p.name, reverse=True)
        for old in runs[keep:]:
            shutil.rmtree(old, ignore_errors=True)


class RunValidations:
    """A run's GX validation results, gathered over its batches (chiso.run.stream) as one run's.

    Each checkpoint run stamps its own run time; stored as they come, a night
    of twenty batches would look like twenty runs to the pruning below and push
    earlier nights out. So every batch after the first is filed under the first
    batch's run identifier, with its batch number in the batch identifier.
    """

    def __init__(self) -> None:
        self.results: list[tuple[Any, Any]] = []
        self._runs: dict[Any, Any] = {}
        self._batches = 0

    def add(self, validations: list[tuple[Any, Any]]) -> None:
        from great_expectations.data_context.types.resource_identifiers import ValidationResultIdentifier

        self._batches += 1
        for identifier, result in validations:
            suite = identifier.expectation_suite_identifier
            first = self._runs.setdefault(suite.name, identifier.run_id)
            if self._batches > 1:
                identifier = ValidationResultIdentifier(suite, first, f"{identifier.batch_identifier}-batch{self._batches}")
            self.results.append((identifier, result))


def keep_validations(validations: list[tuple[Any, Any]], directory: Path, keep: int | None = None) -> Path:
    """Store the run's GX validation results, prune to the newest `keep` per suite, rebuild Data Docs.

    Returns the Data Docs index page.
    """
    directory.mkdir(parents=True, exist_ok=True)
    context = _context(directory)
    for identifier, result in validations:
        context.validation_results_store.set(identifier, result)
    _prune(directory / "validations", keep or gx_results_kept())
    shutil.rmtree(directory / "data_docs", ignore_errors=True)  # pruned results must leave the docs too
    context.build_data_docs()
    return directory / "data_docs" / "index.html"
