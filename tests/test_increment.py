"""When the marts are built incrementally and when they are rebuilt, and why (chiso.load.increment)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb

from chiso.load.increment import Digests, marts_outdated, plan_marts, record_build
from chiso.load.landing import ensure_landing

NOW = Digests(catalog="cat-1", reference="ref-1", models="sql-1")


def _warehouse(path: Path, built_with: Digests | None) -> Path:
    """A published warehouse with marts, and the record of the build that made them (if any)."""
    with duckdb.connect(str(path)) as con:
        ensure_landing(con)
        con.execute("create schema marts")
        con.execute("create table marts.fct_indicator_observation (observation_id varchar)")
    if built_with is not None:
        record_build(path, "run-1", plan_marts(path, requested=True, digests=built_with), datetime(2026, 1, 1))
    return path


def test_first_build_needs_no_full_refresh(tmp_path: Path) -> None:
    plan = plan_marts(tmp_path / "missing.duckdb", digests=NOW)
    assert plan.first_build and not plan.full_refresh and plan.mode == "first build"
    assert plan.dbt_args() == ["build"]


def test_same_digests_build_incrementally(tmp_path: Path) -> None:
    plan = plan_marts(_warehouse(tmp_path / "w.duckdb", NOW), digests=NOW)
    assert (plan.mode, plan.reasons, plan.dbt_args()) == ("incremental", (), ["build"])


def test_each_change_is_a_reason_to_rebuild(tmp_path: Path) -> None:
    path = _warehouse(tmp_path / "w.duckdb", NOW)
    cases = {
        "the indicator catalog changed": replace(NOW, catalog="cat-2"),
        "the reference data changed (administrative units, province successions)": replace(NOW, reference="ref-2"),
        "the warehouse models changed (dbt_project)": replace(NOW, models="sql-2"),
    }
    for reason, digests in cases.items():
        plan = plan_marts(path, digests=digests)
        assert plan.full_refresh and plan.reasons == (reason,), reason
        assert plan.dbt_args() == ["build", "--full-refresh"]
        assert reason in plan.line()
    both = plan_marts(path, requested=True, digests=replace(NOW, catalog="cat-2"))
    assert both.reasons == ("asked for with --full-refresh", "the indicator catalog changed")


def test_a_warehouse_without_a_build_record_is_rebuilt(tmp_path: Path) -> None:
    path = _warehouse(tmp_path / "w.duckdb", None)
    plan = plan_marts(path, digests=NOW)
    assert plan.full_refresh and "no record" in plan.reasons[0]


def test_the_latest_build_is_compared_and_recorded_with_its_reasons(tmp_path: Path) -> None:
    path = _warehouse(tmp_path / "w.duckdb", replace(NOW, models="sql-0"))
    rebuild = plan_marts(path, digests=NOW)
    record_build(path, "run-2", rebuild, datetime(2026, 1, 2))
    assert plan_marts(path, digests=NOW).mode == "incremental"
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("select run_id, mode, reasons from landing.warehouse_builds order by built_at").fetchall()
    assert rows == [
        ("run-1", "full rebuild", "asked for with --full-refresh; the warehouse has no record of how its marts"
                                  " were built (an earlier release)"),
        ("run-2", "full rebuild", "the warehouse models changed (dbt_project)"),
    ]


def test_the_current_digests_cover_the_files_dbt_reads(tmp_path: Path) -> None:
    current = Digests.current()
    assert all(len(value) == 16 for value in (current.catalog, current.reference, current.models))
    assert not marts_outdated(_warehouse(tmp_path / "w.duckdb", current))
