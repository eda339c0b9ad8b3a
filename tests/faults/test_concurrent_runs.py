"""Two runs on one warehouse at once: never both publish, never "success" without publishing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.faults import runs
from tests.faults.inputs import pxweb_csv, table_pdf

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults-concurrent")]


def _raw(folder: Path) -> Path:
    pxweb_csv(folder / "population.csv")
    table_pdf(folder / "dang-vien.pdf", pages=20)
    return folder


def _published(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select count(*) from marts.fct_indicator_observation").fetchone()[0]


def test_a_second_run_is_refused_naming_the_holder_and_the_first_publishes(tmp_path: Path) -> None:
    raw, warehouse = _raw(tmp_path / "raw"), tmp_path / "w" / "chiso.duckdb"
    first, second = runs.start(raw, warehouse), runs.start(raw, warehouse)
    outcomes = [runs.finish(first), runs.finish(second)]
    succeeded = [o for o in outcomes if o.code == 0]
    refused = [o for o in outcomes if o.code != 0]
    assert len(succeeded) == 1 and len(refused) == 1, [o.output[-2000:] for o in outcomes]
    assert "warehouse published" in succeeded[0].output
    assert "holds the warehouse" in refused[0].output and "PID" in refused[0].output
    assert "warehouse published" not in refused[0].output
    assert _published(warehouse) == 4 + 20 * 6


def test_a_waiting_run_runs_after_the_first_and_finds_nothing_new(tmp_path: Path) -> None:
    raw, warehouse = _raw(tmp_path / "raw"), tmp_path / "w" / "chiso.duckdb"
    first, second = runs.start(raw, warehouse, "--wait", "600"), runs.start(raw, warehouse, "--wait", "600")
    outcomes = [runs.finish(first), runs.finish(second)]
    assert [o.code for o in outcomes] == [0, 0], [o.output[-2000:] for o in outcomes]
    said = sorted("warehouse published" in o.output for o in outcomes)
    assert said == [False, True]  # one published; the other says the warehouse is unchanged
    assert any("nothing new: warehouse unchanged" in o.output for o in outcomes)
    assert _published(warehouse) == 4 + 20 * 6
