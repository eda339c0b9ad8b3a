"""`chiso sql` is a read-only seat: queries answer, nothing writes, errors are one line."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from chiso.cli import main


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create table marts.t as select 1 as x")
    return path


def test_a_query_answers(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sql", "--warehouse", str(warehouse), "--csv", "select x from marts.t"]) == 0
    assert capsys.readouterr().out.split() == ["x", "1"]


@pytest.mark.parametrize(
    "query",
    [
        "copy (select 1) to '{dir}/x.csv'",
        "export database '{dir}/dump'",
        "attach '{dir}/other.duckdb' (read_only false)",
        "select * from read_csv('{dir}/w.duckdb')",
        "set enable_external_access = true",
        "drop table marts.t",
        "install httpfs",
    ],
)
def test_writes_and_file_access_are_refused_in_one_line(
    warehouse: Path, query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sql", "--warehouse", str(warehouse), query.format(dir=warehouse.parent)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("query failed: ") and error.count("\n") == 1
    assert not (warehouse.parent / "x.csv").exists() and not (warehouse.parent / "dump").exists()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select x from marts.t").fetchall() == [(1,)]
