"""One writer per warehouse: a run holds a lock file beside it for its whole length.

Two runs on one warehouse would share one build file and one dbt target, and
one could report "published" while the other's rename replaced its work. The
lock is an OS file lock (`flock`) on `.<warehouse>.lock`: the kernel releases
it when the holder dies, so a lock left by a killed run is never stale. The
file also says who holds it (PID, start time), for the message the second
run prints. Readers never take it: they open the published file read-only.
"""

from __future__ import annotations

import fcntl
import os
import time
from datetime import datetime
from pathlib import Path
from types import TracebackType


class WarehouseBusyError(RuntimeError):
    """Another run holds the warehouse."""


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(f".{warehouse.name}.lock")


class WarehouseLock:
    """`with WarehouseLock(path, wait=60):` — wait up to `wait` seconds (0: fail at once)."""

    def __init__(self, warehouse: Path, wait: float = 0.0, poll: float = 0.5) -> None:
        self.warehouse = warehouse
        self.path = lock_path(warehouse)
        self.wait = wait
        self.poll = poll
        self._handle: int | None = None

    def __enter__(self) -> WarehouseLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(handle, 200, 0).decode("utf-8", "replace").strip() or "unknown"
                    os.close(handle)
                    raise WarehouseBusyError(
                        f"another run ({holder}) holds the warehouse {self.warehouse}"
                    ) from None
                time.sleep(self.poll)
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"PID {os.getpid()}, started {datetime.now():%Y-%m-%d %H:%M:%S}".encode(), 0)
        self._handle = handle
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._handle is not None:
            os.ftruncate(self._handle, 0)
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            os.close(self._handle)
            self._handle = None
