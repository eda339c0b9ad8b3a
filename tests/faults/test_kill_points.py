"""kill -9 at each stage of a run, then a plain rerun: it clears what the killed run left and publishes
marts identical to those of a run that was never interrupted.

Each run is `chiso run` in its own process group, killed whole (the run, its dbt child and its
Prefect server) the moment the stage is observed from outside — a file the stage writes appears —
so nothing in the product knows it is being tested.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from chiso.load.build import builds_root
from chiso.run.inflight import markers
from tests.faults import runs
from tests.faults.inputs import pxweb_csv, table_pdf
from tests.faults.marts import snapshot

pytestmark = [pytest.mark.slow]


def _raw(folder: Path) -> Path:
    pxweb_csv(folder / "gso" / "population.csv")
    pxweb_csv(folder / "gso" / "population-2.csv", "8100.0", "2030.0")
    table_pdf(folder / "reports" / "dang-vien.pdf", pages=40)
    (folder / "bad").mkdir()
    (folder / "bad" / "empty.pdf").write_bytes(b"")
    return folder


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The marts of one uninterrupted run."""
    root = tmp_path_factory.mktemp("baseline")
    raw = _raw(root / "raw")
    finished = runs.run(raw, root / "w" / "chiso.duckdb")
    assert finished.code == 0, finished.output[-3000:]
    return raw, snapshot(root / "w" / "chiso.duckdb")


def _builds(warehouse: Path) -> list[Path]:
    root = builds_root(warehouse)
    return sorted(root.iterdir()) if root.is_dir() else []


def _reading(warehouse: Path) -> Callable[[], bool]:
    return lambda: bool(markers(warehouse))


def _loading(warehouse: Path) -> Callable[[], bool]:
    return lambda: any((build / "chiso.duckdb").exists() for build in _builds(warehouse))


def _dbt_started(warehouse: Path) -> Callable[[], bool]:
    return lambda: any((build / "dbt").is_dir() for build in _builds(warehouse))


def _dbt_models_done(warehouse: Path, models: int) -> Callable[[], bool]:
    def reached() -> bool:
        for build in _builds(warehouse):
            log = build / "dbt" / "logs" / "dbt.log"
            if log.is_file() and log.read_text(encoding="utf-8", errors="replace").count("OK created") >= models:
                return True
        return False

    return reached


def _dbt_finished(warehouse: Path) -> Callable[[], bool]:
    """run_results.json is written as dbt ends: what follows is the checkpoint and the rename (publish)."""
    return lambda: any((build / "dbt" / "run_results.json").exists() for build in _builds(warehouse))


KILL_POINTS: dict[str, Callable[[Path], Callable[[], bool]]] = {
    "extract": _reading,
    "load": _loading,
    "dbt-early": _dbt_started,
    "dbt-late": lambda warehouse: _dbt_models_done(warehouse, 12),
    "publish": _dbt_finished,
}


@pytest.mark.parametrize("stage", list(KILL_POINTS))
def test_a_run_killed_at_each_stage_is_recovered_by_the_next(stage: str, baseline, tmp_path: Path) -> None:
    source, expected = baseline
    raw, warehouse = tmp_path / "raw", tmp_path / "w" / "chiso.duckdb"
    shutil.copytree(source, raw)
    killed = runs.start(raw, warehouse)
    assert runs.kill_when(killed, KILL_POINTS[stage](warehouse)), f"the run ended before {stage}"
    assert not warehouse.exists() or stage == "publish"  # a killed first run never published

    rerun = runs.run(raw, warehouse)
    assert rerun.code == 0, rerun.output[-3000:]
    # Killed at publish, the rename may already have happened: the rerun then has nothing new to do.
    assert "warehouse published" in rerun.output or (stage == "publish" and "nothing new" in rerun.output)
    if stage in ("load", "dbt-early", "dbt-late"):  # the build directory existed when the run was killed
        assert "cleared the build of interrupted run" in rerun.output
    assert snapshot(warehouse) == expected
    assert not _builds(warehouse) and not markers(warehouse)
