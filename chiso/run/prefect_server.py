"""A supervised `prefect server` for `chiso serve` (flows/serve.py): started, watched, stopped.

A cron schedule needs a Prefect API that stays up (the ephemeral one of
`chiso run` lives only as long as its run). This runs `prefect server start`
as a child process in its own process group, with its state in the project
(`.prefect/`, its log in `.prefect/server.log`), waits until `/api/health`
answers, restarts it if it dies, and on stop sends the whole group SIGTERM
(SIGKILL after a grace period) and waits, so nothing is left running. It
only starts a command: nothing of Prefect is imported here.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO


class ServerFailed(RuntimeError):
    """The Prefect server did not come up; its log says why."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM it when its parent dies, even by SIGKILL (Linux prctl).

    Its own session keeps Ctrl-C in the terminal from reaching it before we stop it in order;
    this keeps a killed `chiso serve` from leaving an orphaned server holding the port.
    """
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: stop() still stops it on every clean exit
        pass


class PrefectServer:
    """`prefect server start` as a supervised child process (its own process group)."""

    def __init__(self, home: Path, host: str = "127.0.0.1", port: int = 4200, startup_timeout: float = 120.0) -> None:
        self.home = home
        self.host, self.port = host, port
        self.startup_timeout = startup_timeout
        self.log_path = home / "server.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._stopping = threading.Event()
        self._watchdog: threading.Thread | None = None

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}/api"

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "PREFECT_HOME": str(self.home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            "PREFECT_API_URL": self.api_url,
        }

    def _spawn(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        command = [sys.executable, "-m", "prefect", "server", "start", "--host", self.host, "--port", str(self.port)]
        self._process = subprocess.Popen(
            command, env=self.environment(), stdout=self._log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=_die_with_parent,
        )
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise ServerFailed(f"prefect server exited with {self._process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        raise ServerFailed(f"prefect server did not answer within {self.startup_timeout:.0f} s; see {self.log_path}")

    def start(self) -> None:
        self._spawn()
        self._watchdog = threading.Thread(target=self._watch, name="prefect-server-watchdog", daemon=True)
        self._watchdog.start()

    def _watch(self) -> None:
        """Restart the server when it dies on its own (not when we stop it)."""
        while not self._stopping.wait(2.0):
            process = self._process
            if process is not None and process.poll() is not None and not self._stopping.is_set():
                print(f"chiso serve: prefect server exited ({process.returncode}); restarting it", file=sys.stderr)
                try:
                    self._spawn()
                except ServerFailed as error:
                    print(f"chiso serve: {error}", file=sys.stderr)

    def stop(self, grace: float = 15.0) -> None:
        """SIGTERM to the server's process group, SIGKILL after `grace` seconds; waits for it."""
        self._stopping.set()
        process = self._process
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            except ProcessLookupError:
                pass
        if self._log is not None:
            self._log.close()
        if self._watchdog is not None:
            self._watchdog.join(timeout=5)
