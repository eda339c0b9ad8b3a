"""`chiso serve`: a real Prefect server started under the project, the nightly deployment on its
cron schedule, and Ctrl-C stopping every process it started."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("serve")]


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait_for_line(process: subprocess.Popen, needle: str, timeout: float) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if needle in line:
            return seen
    raise AssertionError(f"{needle!r} not printed; output:\n{''.join(seen)}")


def _deployment(port: int, timeout: float) -> dict:
    """The served deployment, once the flow server has registered it (a 404 until then)."""
    return _api(port, "deployments/name/nightly/chiso-nightly", patience=timeout, again=(404, 503))


def _api(port: int, path: str, body: dict | None = None, patience: float = 30, again: tuple[int, ...] = (503,)) -> dict:
    """One call of the Prefect REST API; the `again` answers (503: the server busy starting its services)
    are asked again for `patience` seconds."""
    data = None if body is None else json.dumps(body).encode()
    deadline = time.monotonic() + patience
    while True:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/{path}", data=data,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return json.load(answer)
        except urllib.error.HTTPError as error:
            if error.code not in again or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _finished(port: int, run_id: str, timeout: float) -> dict:
    """The flow run once it reached a final state."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = _api(port, f"flow_runs/{run_id}")
        if run["state_type"] in {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}:
            return run
        time.sleep(0.5)
    raise AssertionError(f"flow run {run_id} did not finish in {timeout} s")


def test_serve_schedules_the_nightly_flow_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    """Also runs one served night: the runner's process validates the flow's parameters on its own
    (a string annotation it could not resolve failed every served night before it began)."""
    from chiso.run.prefect_server import free_port

    port = free_port()
    (tmp_path / "raw").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_RUNNER_POLL_FREQUENCY"] = "1"  # the runner picks the created run up at once
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "serve", "--port", str(port), "--raw-dir", "raw",
         "--warehouse", "warehouse/chiso.duckdb"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        _wait_for_line(process, "Ctrl-C stops everything", timeout=180)
        assert (tmp_path / ".prefect" / "server.log").exists()  # state under the project
        deployment = _deployment(port, timeout=60)
        schedules = [item["schedule"] for item in deployment["schedules"]]
        assert len(schedules) == 1 and schedules[0]["cron"] == "0 2 * * *"
        assert schedules[0]["timezone"] == "Asia/Ho_Chi_Minh"
        assert deployment["parameters"]["raw_dir"] == str(tmp_path / "raw")
        created = _api(port, f"deployments/{deployment['id']}/create_flow_run", {})
        night = _finished(port, created["id"], timeout=180)
        assert night["state_type"] == "COMPLETED", night["state"]

        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 0, output
    assert "stopped (flow server and prefect server)" in output
    assert not _port_open(port)
    assert _running_in_group(process.pid, grace=10) == []


def _running_in_group(group: int, grace: float) -> list[str]:
    """Processes of the group still running after `grace` seconds; exited ones not yet reaped by
    init (a flow run's multiprocessing resource tracker, 'Z' for a moment) are not running."""
    deadline = time.monotonic() + grace
    while True:
        listed = subprocess.run(["ps", "-o", "pid=,stat=,cmd=", "-g", str(group)], capture_output=True, text=True)
        running = [line for line in listed.stdout.splitlines() if "Z" not in line.split()[1]]
        if not running or time.monotonic() > deadline:
            return running
        time.sleep(0.5)
