"""Run dbt on the warehouse, in a subprocess.

A subprocess rather than dbt's Python API because DuckDB allows one writer per
file: dbt's connection then lives and dies with the child process, and nothing
of dbt's global state (logging, adapters, flags) leaks into the flow. The
caller must have closed its own connection to the warehouse first.

The outcome is read from `run_results.json`, not from dbt's console text,
which changes between versions.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from chiso.indicators.catalog import dimension_names
from chiso.paths import PROJECT
from chiso.read.registry import METHOD_NAMES

PROJECT_DIR = PROJECT / "dbt_project"
LOG_TAIL_LINES = 40
_DBT_MAIN = "import sys; from dbt.cli.main import cli; sys.exit(cli())"
"""dbt's console entry point (what the `dbt` script runs), found via this interpreter."""

_STATUS_SUMMARY = {
    "success": "PASS",
    "pass": "PASS",
    "warn": "WARN",
    "error": "ERROR",
    "fail": "ERROR",
    "runtime error": "ERROR",
    "skipped": "SKIP",
    "no-op": "SKIP",
}
"""run_results.json statuses → dbt's own end-of-run summary words."""


@dataclass
class DbtResult:
    success: bool
    summary: dict[str, int] = field(default_factory=dict)
    """PASS / WARN / ERROR / SKIP / TOTAL counts over the executed nodes."""
    failures: list[str] = field(default_factory=list)
    """'<node>: <message>' for each node that errored or whose test failed."""
    log_tail: str = ""
    """Last lines of dbt's output, for error messages (parse errors have no node)."""
    elapsed_seconds: float = 0.0


def _read_results(path: Path) -> tuple[dict[str, int], list[str]]:
    if not path.is_file():
        return {}, []
    results = json.loads(path.read_text(encoding="utf-8")).get("results", [])
    counts = Counter(_STATUS_SUMMARY.get(str(r.get("status")), "ERROR") for r in results)
    summary = {key: counts.get(key, 0) for key in ("PASS", "WARN", "ERROR", "SKIP")}
    summary["TOTAL"] = len(results)
    failures = [
        f"{r.get('unique_id')}: {(r.get('message') or r.get('status') or '').strip()}"
        for r in results
        if _STATUS_SUMMARY.get(str(r.get("status")), "ERROR") == "ERROR"
    ]
    return summary, failures


def run_dbt(
    args: list[str],
    warehouse: Path,
    *,
    target_dir: Path | None = None,
    timeout: float | None = 900,
) -> DbtResult:
    """Run `dbt <args>` (e.g. ["build"], ["docs", "generate"]) against `warehouse`.

    `target_dir` (default dbt_project/target) also holds dbt's logs; give a
    separate one to runs that may overlap, such as tests.
    """
    target = (target_dir or PROJECT_DIR / "target").resolve()
    target.mkdir(parents=True, exist_ok=True)
    results_path = target / "run_results.json"
    results_path.unlink(missing_ok=True)  # a failed parse must not report the previous run
    env = {
        **os.environ,
        "CHISO_WAREHOUSE": str(Path(warehouse).resolve()),
        "CHISO_EXTRACTION_METHODS": ",".join(METHOD_NAMES),  # stg_observations accepts exactly the readers' methods
        "CHISO_DIMENSIONS": ",".join(dimension_names()),  # one SDMX export column per breakdown dimension
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(target / "logs" if target_dir else PROJECT_DIR / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_USE_COLORS": "false",
        "DO_NOT_TRACK": "1",
    }
    command = [
        sys.executable,
        "-c",
        _DBT_MAIN,
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
    ]
    started = time.perf_counter()
    completed = subprocess.run(
        command,
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = (completed.stdout + completed.stderr).splitlines()
    summary, failures = _read_results(results_path)
    if completed.returncode < 0:  # killed by a signal: say which, not dbt's half-written log
        from chiso.run.inflight import killed_by

        failures.insert(0, f"dbt was killed by {killed_by(completed.returncode)}")
    return DbtResult(
        success=completed.returncode == 0,
        summary=summary,
        failures=failures,
        log_tail="\n".join(output[-LOG_TAIL_LINES:]),
        elapsed_seconds=time.perf_counter() - started,
    )
