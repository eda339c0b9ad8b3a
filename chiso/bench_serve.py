"""`make bench`: the no-op night under `chiso serve`, as Prefect records it.

A served night is a flow run the served deployment starts in a new process;
the cost a user waits for is that run's own time (Prefect's start → end of
the flow run) plus the process start the runner pays before it. Both are read
from the Prefect server `chiso serve` started, over its REST API, so the bench
imports no Prefect itself (the library never does).
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any

from chiso.run.prefect_server import free_port

DEPLOYMENT = "nightly/chiso-nightly"


def _api(port: int, path: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"content-type": "application/json"},
        method="GET" if body is None else "POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def _wait_for(predicate: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = predicate()
        except OSError:  # the server is not listening yet, or a 404 before the deployment registers
            found = None
        if found:
            return found
        time.sleep(0.25)
    raise TimeoutError(f"{what} after {timeout:.0f} s")


def _seconds_between(run: dict[str, Any], start: str, end: str) -> float:
    return (datetime.fromisoformat(run[end]) - datetime.fromisoformat(run[start])).total_seconds()


def _finished(port: int, run_id: str) -> dict[str, Any] | None:
    run: dict[str, Any] = _api(port, f"flow_runs/{run_id}")
    return run if run["state_type"] in {"COMPLETED", "FAILED", "CRASHED"} else None


def served_noop_nights(workdir: Path, raw: Path, warehouse: Path, nights: int = 2) -> list[dict[str, Any]]:
    """Start `chiso serve` in `workdir`, run the served deployment `nights` times on a warehouse that
    already holds every file of `raw`, then Ctrl-C it; the finished flow runs as the server recorded them."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_RUNNER_POLL_FREQUENCY"] = "1"  # pick a created run up at once: the bench times the run
    command = [sys.executable, "-m", "flows.cli", "serve", "--port", str(port), "--raw-dir", str(raw),
               "--warehouse", str(warehouse)]
    server = subprocess.Popen(command, cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    runs = []
    try:
        deployment = _wait_for(lambda: _api(port, f"deployments/name/{DEPLOYMENT}"), 180, "no served deployment")
        for _ in range(nights):
            created = _wait_for(lambda: _api(port, f"deployments/{deployment['id']}/create_flow_run", {}), 60,
                                "no flow run created")  # a 503 while the server starts its services: asked again
            runs.append(_wait_for(lambda run_id=created["id"]: _finished(port, run_id), 180,
                                  "the served run did not finish"))
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    return runs


def bench_served_noop(workdir: Path, raw: Path, warehouse: Path) -> None:
    """Print the served no-op night: the flow run's own time, and the runner's process start before it."""
    try:
        runs = served_noop_nights(workdir, raw, warehouse)
    except (OSError, TimeoutError) as error:
        print(f"  no-op night under chiso serve: not measured ({error})")
        return
    states = {run["state_type"] for run in runs}
    flow_s = statistics.median(_seconds_between(run, "start_time", "end_time") for run in runs)
    start_s = statistics.median(_seconds_between(run, "created", "start_time") for run in runs)
    print(f"  no-op night under chiso serve: {flow_s:5.2f} s flow run (Prefect's start to end; target <= 2 s), "
          f"after {start_s:4.2f} s for the runner to start its process ({len(runs)} runs, {', '.join(states)})")
