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
    """The served deployment, once the flow server has registered it."""
    url = f"http://127.0.0.1:{port}/api/deployments/name/nightly/chiso-nightly"
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                return json.load(answer)
        except urllib.error.HTTPError as error:
            if error.code != 404 or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_serve_schedules_the_nightly_flow_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    from chiso.run.prefect_server import free_port

    port = free_port()
    (tmp_path / "raw").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
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

        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 0, output
    assert "stopped (flow server and prefect server)" in output
    assert not _port_open(port)
    leftovers = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout.split()
    assert leftovers == []
