"""Only failures of the machine around the data are retried; bad input never is."""

from __future__ import annotations

import errno
from pathlib import Path

import duckdb
import pytest

from chiso.model import BadInputError
from chiso.run.retry import is_transient


@pytest.mark.parametrize("error", [
    TimeoutError("read timed out"),
    ConnectionResetError("peer reset"),
    OSError(errno.ESTALE, "Stale file handle"),
    OSError(errno.EIO, "Input/output error"),
    BlockingIOError(errno.EAGAIN, "try again"),
])
def test_transient(error: BaseException) -> None:
    assert is_transient(error)


@pytest.mark.parametrize("error", [
    BadInputError("truncated or corrupt PDF"),
    FileNotFoundError(errno.ENOENT, "No such file"),
    PermissionError(errno.EACCES, "Permission denied"),
    ValueError("could not convert"),
    KeyError("sheet"),
])
def test_not_transient(error: BaseException) -> None:
    assert not is_transient(error)


def test_a_warehouse_locked_by_another_process_is_transient(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "w.duckdb"
    duckdb.connect(str(path)).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]);"
                               " print('open', flush=True); time.sleep(30)", str(path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(duckdb.IOException) as caught:
            duckdb.connect(str(path))
        assert is_transient(caught.value)
    finally:
        holder.kill()
        holder.wait()
    with pytest.raises(duckdb.ParserException) as caught:
        duckdb.connect().execute("selec 1")
    assert not is_transient(caught.value)
