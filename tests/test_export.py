"""Exports of the time series in CSV, Parquet and SDMX-CSV, from a warehouse built by a real `dbt build`."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import duckdb
import pytest

from chiso.export import export_timeseries
from chiso.indicators.catalog import dimension_names
from chiso.load.dbt import run_dbt

pytestmark = pytest.mark.slow  # one dbt build: about 15 s

_FIXTURE = Path(__file__).resolve().parent / "test_harmonised.py"


def _build_landing(path: Path) -> None:
    """The landing fixture of tests/test_harmonised.py (the 2025 merger, Hà Tây, MoF plans)."""
    spec = importlib.util.spec_from_file_location("harmonised_fixture", _FIXTURE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build_landing(path)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "chiso.duckdb"
    _build_landing(path)
    result = run_dbt(["build"], path, target_dir=path.parent / "target")
    assert result.success, result.failures or result.log_tail
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_has_one_row_per_timeseries_value(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "series.csv"
    written = export_timeseries(warehouse, out, "csv")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        expected = con.execute("select count(*) from marts.indicator_timeseries").fetchone()[0]
    rows = _rows(out)
    assert written == len(rows) == expected
    hatay = [r for r in rows if r["entity_name"] == "Hà Tây"]
    assert [(r["indicator_code"], r["gso_code"], r["period_end"], r["value"], r["source_file"]) for r in hatay] == [
        ("budget_revenue", "28", "2006-12-31", "30.0", "Plan_2006.xls")
    ]


def test_parquet_round_trips(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "series.parquet"
    written = export_timeseries(warehouse, out, "parquet", harmonised=True)
    with duckdb.connect() as con:
        rows = con.execute(
            "select entity_name, period_end, value, is_harmonised, predecessors from read_parquet(?)"
            " where indicator_code = 'dang_vien' order by period_end",
            [str(out)],
        ).fetchall()
        count = con.execute("select count(*) from read_parquet(?)", [str(out)]).fetchone()[0]
    assert written == count == 4  # the incomplete Hải Phòng 2006 sum has no value and is not exported
    assert [(r[0], r[2], r[3], r[4]) for r in rows] == [
        ("Tuyên Quang", 1510.0, True, "Hà Giang; Tuyên Quang"),
        ("Tuyên Quang", 1600.0, False, "Tuyên Quang"),
    ]


def test_sdmx_csv_columns_and_periods(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "series.sdmx.csv"
    written = export_timeseries(warehouse, out, "sdmx-csv", harmonised=True)
    rows = _rows(out)
    assert written == len(rows)
    dimensions = [name.upper() for name in dimension_names()]
    assert list(rows[0]) == ["DATAFLOW", "REF_AREA", "INDICATOR", *dimensions, "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE"]
    assert {r["DATAFLOW"] for r in rows} == {"CHISO:INDICATOR_TIMESERIES_HARMONISED(1.0)"}
    party = [(r["REF_AREA"], r["TIME_PERIOD"], r["OBS_VALUE"]) for r in rows if r["INDICATOR"] == "dang_vien"]
    assert party == [("08", "2020", "1510.0"), ("08", "2025-08-31", "1600.0")]  # a year end is a year


def test_sdmx_ref_area_falls_back_to_the_name(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "plain.sdmx.csv"
    export_timeseries(warehouse, out, "sdmx-csv")
    rows = _rows(out)
    areas = {r["REF_AREA"] for r in rows}
    assert {"02", "08", "01", "28", "Việt Nam", "Sở Nội vụ", "Xã Kim Bình", "02350"} <= areas
    plan = {(r["REF_AREA"], r["BUDGET_BASIS"], r["SEX"]) for r in rows if r["INDICATOR"] == "budget_revenue"}
    assert ("28", "plan", "_T") in plan  # the breakdown is a dimension column, not part of the code
    sea = sorted((r["TIME_PERIOD"], r["OBS_VALUE"]) for r in rows if r["INDICATOR"].startswith("muc_nuoc_bien"))
    assert sea == [("2016", "200.0"), ("2016-12", "210.0")]  # a month is YYYY-MM, not its year


def test_unknown_format_is_refused(warehouse: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export_timeseries(warehouse, tmp_path / "x.json", "json")  # type: ignore[arg-type]


def test_dbt_docs_and_tests_name_every_breakdown_dimension() -> None:
    """dbt's YAML cannot import the vocabulary: its dimension lists are written out, and must not fall behind
    (a new dimension failed dim_breakdown's accepted_values on the first real night that printed it)."""
    import yaml

    models = Path(__file__).resolve().parents[1] / "dbt_project" / "models" / "marts"
    names = dimension_names()
    breakdown = yaml.safe_load((models / "dim_breakdown.yml").read_text(encoding="utf-8"))
    tests = [t for column in breakdown["models"][0]["columns"] for t in column.get("data_tests", [])
             if isinstance(t, dict) and "accepted_values" in t]
    assert sorted(tests[0]["accepted_values"]["arguments"]["values"]) == names
    for export in ("export_sdmx.yml", "export_sdmx_harmonised.yml"):
        spec = yaml.safe_load((models / "exports" / export).read_text(encoding="utf-8"))
        documented = [c["name"] for c in spec["models"][0]["columns"]]
        assert [n for n in documented if n.lower() in names] == [n.upper() for n in names], export
