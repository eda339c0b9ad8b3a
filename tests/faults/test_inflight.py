"""A file that was being read when a run died is recognised and read alone; a killer is held."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from chiso import budgets
from chiso.discover import discover
from chiso.model import BadInputError
from chiso.run.inflight import Guard, killed_by, markers, markers_dir, reading
from tests.faults import readers

pytestmark = pytest.mark.xdist_group("faults-inflight")
SMALL = budgets.Budgets(isolated_memory_bytes=1024 * budgets.MB, max_seconds=60)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _importable_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The child that reads a suspect imports the reader it is given (tests.faults.readers) by name."""
    monkeypatch.syspath_prepend(str(REPO))


def _source(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "raw").mkdir(exist_ok=True)
    (tmp_path / "raw" / "report.csv").write_bytes(b"a;b\n1;2\n")
    return discover(tmp_path / "raw").files[0]


def _die_while_reading(warehouse: Path, source) -> None:  # type: ignore[no-untyped-def]
    """A run killed while it reads `source`: its marker stays behind."""
    code = (
        "import os, signal, sys; from pathlib import Path; from chiso.discover import discover;"
        "from chiso.run.inflight import reading; source = discover(Path(sys.argv[2])).files[0];"
        "ctx = reading(Path(sys.argv[1]), source, 'run-killed'); ctx.__enter__(); os.kill(os.getpid(), signal.SIGKILL)"
    )
    died = subprocess.run([sys.executable, "-c", code, str(warehouse), str(source.path.parent)], check=False)
    assert died.returncode == -signal.SIGKILL


def test_a_clean_read_leaves_no_marker(tmp_path: Path) -> None:
    warehouse, source = tmp_path / "w.duckdb", _source(tmp_path)
    with reading(warehouse, source, "run-1"):
        assert markers(warehouse) == [markers_dir(warehouse) / source.sha256]
    assert markers(warehouse) == []
    assert Guard.start(warehouse, "run-2").suspects == {}


def test_a_suspect_that_reads_fine_alone_is_published(tmp_path: Path) -> None:
    warehouse, source = tmp_path / "w.duckdb", _source(tmp_path)
    _die_while_reading(warehouse, source)
    guard = Guard.start(warehouse, "run-next", SMALL)
    assert [s.run_id for s in guard.suspects.values()] == ["run-killed"]
    assert guard.read(source, readers.size) == 8
    assert markers(warehouse) == []  # read: no longer a suspect
    assert Guard.start(warehouse, "run-after", SMALL).suspects == {}


def test_a_suspect_that_kills_its_reader_again_is_held_naming_the_signal(tmp_path: Path) -> None:
    warehouse, source = tmp_path / "w.duckdb", _source(tmp_path)
    _die_while_reading(warehouse, source)
    guard = Guard.start(warehouse, "run-next", SMALL)
    with pytest.raises(BadInputError, match=r"it was being read when run run-killed died .*; read alone its reader"
                       r" was killed by SIGKILL \(signal 9, as the kernel's out-of-memory killer sends\)"):
        guard.read(source, readers.killed)


def test_a_suspect_over_the_memory_budget_is_held_with_the_budget(tmp_path: Path) -> None:
    warehouse, source = tmp_path / "w.duckdb", _source(tmp_path)
    _die_while_reading(warehouse, source)
    with pytest.raises(BadInputError, match="read alone: over the memory budget of 1,024 MB"):
        Guard.start(warehouse, "run-next", SMALL).read(source, readers.greedy)


def test_wall_time_budget_is_checked_by_the_readers() -> None:
    with budgets.reading(budgets.Budgets(max_seconds=0)):
        with pytest.raises(budgets.OverBudgetError, match=r"over the wall-time budget of 0 s per file \(at page 3"):
            budgets.check_time("page 3 of 2,000")
    budgets.check_time("outside any file")  # no clock: nothing to break


def test_budgets_come_from_the_environment() -> None:
    limits = budgets.Budgets.from_environment({"CHISO_BUDGET_MAX_PAGES": "3000", "CHISO_BUDGET_MAX_SECONDS": "60.5"})
    assert (limits.max_pages, limits.max_seconds, limits.max_sheet_cells) == (3000, 60.5, 2_000_000)
    with pytest.raises(ValueError, match="CHISO_BUDGET_MAX_PAGES='many' is not a number"):
        budgets.Budgets.from_environment({"CHISO_BUDGET_MAX_PAGES": "many"})


def test_a_killed_child_says_what_killed_it() -> None:
    assert killed_by(-9) == "SIGKILL (signal 9, as the kernel's out-of-memory killer sends)"
    assert killed_by(-11) == "SIGSEGV (signal 11)"
    assert killed_by(2) == "exit code 2"
