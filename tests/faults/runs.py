"""`chiso run` as a child process, the way cron runs it: killable, measurable, with its own Prefect home."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Finished:
    code: int
    """Exit code; negative: killed by that signal."""
    output: str
    peak_rss_mb: float
    """Largest resident set of the run or any of its children (ru_maxrss)."""


def _command(raw: Path, warehouse: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", "run", "--raw-dir", str(raw), "--warehouse", str(warehouse), *extra]


def _environment(home: Path, extra: dict[str, str] | None) -> dict[str, str]:
    env = {**os.environ, "PREFECT_HOME": str(home), "PYTHONPATH": str(REPO), **(extra or {})}
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("DO_NOT_TRACK", "1")
    return env


def start(raw: Path, warehouse: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """A run in its own session (process group), so a kill takes its dbt child and Prefect server too."""
    home = Path(tempfile.mkdtemp(prefix="chiso-fault-prefect-"))
    log = (home / "output.log").open("w+", encoding="utf-8")  # a file, not a pipe: a chatty run never blocks
    process = subprocess.Popen(
        _command(raw, warehouse, *extra), cwd=REPO, env=_environment(home, env), start_new_session=True,
        stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    process.log = log  # type: ignore[attr-defined]
    return process


def _output(process: subprocess.Popen[str]) -> str:
    log = process.log  # type: ignore[attr-defined]
    log.seek(0)
    text = log.read()
    log.close()
    shutil.rmtree(Path(log.name).parent, ignore_errors=True)  # the run's Prefect home: the run has ended
    return text


def finish(process: subprocess.Popen[str], timeout: float = 600) -> Finished:
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            raise TimeoutError(f"chiso run did not finish in {timeout} s")
        time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    _reap_group(process.pid)
    return Finished(process.returncode, _output(process), usage.ru_maxrss / 1024)


def run(raw: Path, warehouse: Path, *extra: str, env: dict[str, str] | None = None) -> Finished:
    return finish(start(raw, warehouse, *extra, env=env))


def _reap_group(group: int) -> None:
    """A finished run's Prefect server may linger a moment; nothing of the group may outlive the test."""
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass


def kill_when(process: subprocess.Popen[str], reached: Callable[[], bool], timeout: float = 300) -> bool:
    """kill -9 the whole run the moment `reached()` is true; False when the run ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if reached():
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            _output(process)
            return True
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    raise TimeoutError("the kill point was never reached")
