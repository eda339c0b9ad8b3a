"""One landing contract (chiso.load.contract): the DDL, the frames, the GX gate and dbt's sources agree with it.

Each side is checked as it really is: the tables DuckDB creates in a file, the frames
of a processed PDF landed in them, the committed GX suite and a real gate run, and
the committed sources.yml parsed as dbt reads it. A column added to one side only
fails here.
"""

from __future__ import annotations

import json
import runpy
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest
import yaml

from chiso.discover import SourceFile, sha256_of
from chiso.load import frames
from chiso.load.contract import DOCUMENTS, HELD_OBSERVATIONS, LANDING, OBSERVATIONS, WAREHOUSE_BUILDS
from chiso.load.increment import Digests, plan_marts, record_build
from chiso.load.landing import ensure_landing
from chiso.load.warehouse import land_batch
from chiso.process import ProcessedDocument, process_document
from chiso.quality import gate
from chiso.quality.arithmetic import totals_checks
from chiso.run.batch import Rejected, apply_gate, rejected_document_row
from tests.faults.inputs import table_pdf

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "dbt_project" / "models" / "staging" / "sources.yml"
NOW = datetime(2026, 1, 5, 2, 0)


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> ProcessedDocument:
    """A born-digital PDF of two ruled tables (12 observations), read as a run reads it."""
    path = table_pdf(tmp_path_factory.mktemp("raw") / "bieu.pdf", pages=2)
    return process_document(SourceFile(path, path.name, sha256_of(path), path.stat().st_size))


def _stored(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, str]]:
    return con.execute(
        "select column_name, data_type, is_nullable from information_schema.columns"
        " where table_schema = 'landing' and table_name = ? order by ordinal_position",
        [table],
    ).fetchall()


def test_the_ddl_creates_exactly_the_contract(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "chiso.duckdb")) as con:
        ensure_landing(con)
        ensure_landing(con)  # idempotent, as every run calls it
        tables = {row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'landing'"
        ).fetchall()}  # fmt: skip
        assert tables == {table.name for table in LANDING}
        for table in LANDING:
            expected = [(c.name, c.type, "NO" if c.primary_key else "YES") for c in table.stored_order()]
            assert _stored(con, table.name) == expected, table.name
            keys = con.execute(
                "select constraint_column_names from duckdb_constraints()"
                " where schema_name = 'landing' and table_name = ? and constraint_type = 'PRIMARY KEY'",
                [table.name],
            ).fetchall()
            assert [key for (columns,) in keys for key in columns] == [c.name for c in table.columns if c.primary_key]


def test_the_build_record_is_the_contracts(tmp_path: Path) -> None:
    """landing.warehouse_builds, made by the build record itself (not ensure_landing), as the contract declares it."""
    building = tmp_path / "chiso.duckdb"
    with duckdb.connect(str(building)) as con:
        ensure_landing(con)
    record_build(building, "run-1", plan_marts(building, requested=True, digests=Digests("c", "r", "m")), NOW)
    with duckdb.connect(str(building), read_only=True) as con:
        assert _stored(con, WAREHOUSE_BUILDS.name) == [(c.name, c.type, "YES") for c in WAREHOUSE_BUILDS.columns]


def test_sources_yml_lists_exactly_the_contract() -> None:
    [source] = yaml.safe_load(SOURCES.read_text(encoding="utf-8"))["sources"]
    assert source["schema"] == "landing"
    assert [table["name"] for table in source["tables"]] == [table.name for table in LANDING]
    for listed, table in zip(source["tables"], LANDING, strict=True):
        assert listed["description"] == table.description
        assert [(c["name"], c["description"]) for c in listed["columns"]] == [
            (c.name, c.description) for c in table.columns
        ], table.name
        keys = [c["name"] for c in listed["columns"] if c.get("data_tests") == ["unique", "not_null"]]
        assert keys == [c.name for c in table.columns if c.primary_key]
    write_sources = runpy.run_path(str(REPO / "scripts" / "write_sources.py"))
    assert SOURCES.read_text(encoding="utf-8") == write_sources["render"](), "run scripts/write_sources.py"


def test_the_frames_of_a_real_document_have_the_contract_schema(document: ProcessedDocument, tmp_path: Path) -> None:
    rows = frames.observation_rows(document)
    assert rows and all(list(row) == list(OBSERVATIONS.frame_schema()) for row in rows)  # every column filled in
    frame = frames.observations_frame([document])
    assert frame.schema == pl.Schema(OBSERVATIONS.frame_schema()) and frame.height == len(rows)

    loaded = frames.document_row(document, "loaded", "run-1", NOW)
    rejected = rejected_document_row(Rejected(document.source, "unreadable"), "run-1", NOW)
    assert list(loaded) == list(rejected) == list(DOCUMENTS.frame_schema())

    building = tmp_path / "chiso.duckdb"
    with duckdb.connect(str(building)) as con:
        ensure_landing(con)
    land_batch(building, [loaded], frame, [], "run-1", NOW)
    with duckdb.connect(str(building), read_only=True) as con:
        landed = con.sql("select * from landing.observations").pl()
        documents = con.sql("select * from landing.documents").pl()
    assert landed.schema == pl.Schema(OBSERVATIONS.polars_schema()) and landed.height == frame.height
    assert documents.schema == pl.Schema(DOCUMENTS.polars_schema()) and documents.height == 1
    assert landed.drop(OBSERVATIONS.stamped).sort("seq").select(frame.columns).equals(frame.sort("seq"))


def _suite_columns(suite: dict) -> list[str]:
    """Every column an expectation of a committed suite reads, its row condition's included."""
    named = []
    for expectation in suite["expectations"]:
        kwargs = expectation["kwargs"]
        named += [kwargs[key] for key in ("column", "column_A", "column_B") if key in kwargs]
        condition = kwargs.get("row_condition")
        if isinstance(condition, dict):
            named.append(condition["column"]["name"])
    return named


def test_the_gx_suite_names_the_contract_columns(document: ProcessedDocument) -> None:
    suite = json.loads((gate.EXPECTATIONS_DIR / "gx" / "expectations" / "observations.json").read_text("utf-8"))
    required = [e["kwargs"]["column"] for e in suite["expectations"] if e["type"] == "expect_column_values_to_not_be_null"]
    assert required == [c.name for c in OBSERVATIONS.columns if not c.nullable]
    checked = gate.observations_checked(frames.observations_frame([document]))
    assert set(_suite_columns(suite)) <= set(checked.columns)


def test_the_gate_holds_a_row_without_a_required_column(document: ProcessedDocument) -> None:
    """`nullable=False` is what the real gate enforces: a row missing any one such column is held, the rest publish."""
    frame = frames.observations_frame([document])
    required = [c.name for c in OBSERVATIONS.columns if not c.nullable]
    assert frame.height > len(required)
    broken = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == required.index(name)).then(None).otherwise(pl.col(name)).alias(name)
        for name in required
    )
    result = gate.validate_batch(broken, totals_checks(broken))
    ids = broken["observation_id"].to_list()
    held = {ids[i]: result.held_rows.get(ids[i], []) for i in range(len(required))}
    assert set(result.held_rows) == set(held)
    assert all(any(reason.startswith("missing ") for reason in reasons) for reasons in held.values()), held

    outcome = apply_gate([document], broken, result)
    assert outcome.published.schema == pl.Schema(OBSERVATIONS.frame_schema())
    assert outcome.held_cells.schema == pl.Schema(HELD_OBSERVATIONS.frame_schema())
    assert outcome.held_cells.height == len(required) and outcome.published.height == frame.height - len(required)
