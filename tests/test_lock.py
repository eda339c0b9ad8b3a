"""One writer per warehouse: a second run is refused (or waits), a killed holder never blocks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chiso.run.lock import WarehouseBusyError, WarehouseLock, lock_path

HOLD = "import sys, time; from pathlib import Path; from chiso.run.lock import WarehouseLock\n" \
       "with WarehouseLock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(float(sys.argv[2]))\n"


def _holder(warehouse: Path, seconds: float) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(warehouse), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def test_a_second_writer_is_refused_naming_the_holder(tmp_path: Path) -> None:
    warehouse = tmp_path / "chiso.duckdb"
    holder = _holder(warehouse, 30)
    try:
        with pytest.raises(WarehouseBusyError, match=rf"another run \(PID {holder.pid}, started .*\) holds"):
            with WarehouseLock(warehouse):
                pass
    finally:
        holder.kill()
        holder.wait()


def test_a_waiting_writer_gets_the_lock_when_the_holder_ends(tmp_path: Path) -> None:
    warehouse = tmp_path / "chiso.duckdb"
    holder = _holder(warehouse, 1)
    with pytest.raises(WarehouseBusyError):  # held now ...
        with WarehouseLock(warehouse):
            pass
    with WarehouseLock(warehouse, wait=60, poll=0.1):  # ... and ours once the holder lets go
        assert "PID" in lock_path(warehouse).read_text()
    holder.wait()


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    warehouse = tmp_path / "chiso.duckdb"
    holder = _holder(warehouse, 30)
    os.kill(holder.pid, 9)
    holder.wait()
    assert lock_path(warehouse).exists()  # the file stays, the lock went with the process
    with WarehouseLock(warehouse, wait=0):  # taken at once: nothing to wait for
        pass
