"""`make bench`, the warehouse half: analysts' queries on a large fact table, and what a night costs.

- **Queries** on a synthetic 10M-row fact table generated in DuckDB (never
  committed; about a minute to build): a *series* (one indicator for one
  entity over time) and a *comparison* (one indicator for every entity at one
  date), median milliseconds over many random picks, on the table stored
  sorted by (indicator_code, entity_id, period_end) as
  `marts.fct_indicator_observation` is, against the same rows in arrival
  order, measured in turn.
- **A one-document increment**: the same new document added to a generated
  mixed corpus of ~1,000 documents (scripts/bench_mixed_corpus.py) and to the
  14-file sample of `raw/`, each `chiso run` a new process, the two measured
  in turn; the ratio says whether a night costs what changed or what the
  warehouse holds.

Printed, never asserted.
"""

from __future__ import annotations

import importlib.util
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import duckdb

REPO = Path(__file__).resolve().parents[1]
SYNTHETIC_ROWS = 10_000_000
ENTITIES = 800
INDICATORS = 400


def _codes(count: int) -> list[str]:
    """Indicator codes as the warehouse has them: the catalog's (long, sharing prefixes), then variants."""
    from chiso.indicators.catalog import load_catalog

    catalog = sorted(load_catalog()) or ["indicator"]
    return [catalog[k % len(catalog)] + (f"_{k // len(catalog)}" if k >= len(catalog) else "") for k in range(count)]


def synthetic_fact(con: duckdb.DuckDBPyConnection, rows: int = SYNTHETIC_ROWS) -> None:
    """Create `arrival` (rows in the order documents would bring them) and `sorted_fact` (the same rows
    sorted as the warehouse stores its fact table). One document brings one indicator for a few
    hundred entities at one date, so arrival order scatters every series over the whole table."""
    codes = _codes(INDICATORS)
    con.execute("create or replace temp table codes (k integer, indicator_code varchar)")
    con.executemany("insert into codes values (?, ?)", list(enumerate(codes)))
    periods = max(1, rows // (INDICATORS * ENTITIES))
    con.execute(
        f"""
        create or replace table arrival as
        select
            c.indicator_code,
            md5('entity|' || cast(i % {ENTITIES} as varchar)) as entity_id,
            date '2000-12-31' + to_years(cast((i // ({ENTITIES} * {INDICATORS})) % {periods} as integer)) as period_end,
            cast(i % 997 as double) * 1.5 as value,
            'count' as unit,
            md5('document|' || cast(i // {ENTITIES} as varchar)) as document_id,
            md5('observation|' || cast(i as varchar)) as observation_id
        from range({rows}) as t(i)
        join codes as c on c.k = (i // {ENTITIES}) % {INDICATORS}
        order by hash(i // {ENTITIES}), i
        """
    )
    con.execute("create or replace table sorted_fact as select * from arrival order by indicator_code, entity_id, period_end")
    con.execute("checkpoint")


SERIES = "select period_end, value from {table} where indicator_code = ? and entity_id = ? order by period_end"
COMPARISON = "select entity_id, value from {table} where indicator_code = ? and period_end = ? order by value desc"


def _median_ms(con: duckdb.DuckDBPyConnection, sql: str, picks: list[list[object]]) -> float:
    times = []
    for params in picks:
        start = time.perf_counter()
        con.execute(sql, params).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_queries(rows: int = SYNTHETIC_ROWS, picks: int = 40, rounds: int = 3) -> None:
    """Series and comparison queries on the sorted and the arrival-order table, in turn."""
    rng = random.Random(14)
    with tempfile.TemporaryDirectory(prefix="chiso-bench-fact-") as tmp:
        started = time.perf_counter()
        with duckdb.connect(str(Path(tmp) / "fact.duckdb")) as con:
            synthetic_fact(con, rows)
            built = time.perf_counter() - started
            keys = con.execute("select distinct indicator_code, entity_id from sorted_fact using sample 2000 rows").fetchall()
            dates = [row[0] for row in con.execute("select distinct period_end from sorted_fact").fetchall()]
            series = [list(rng.choice(keys)) for _ in range(picks)]
            comparison = [[rng.choice(keys)[0], rng.choice(dates)] for _ in range(picks)]
            print(f"queries on a synthetic {rows:,}-row fact table ({INDICATORS} indicators, {ENTITIES} entities,"
                  f" built in {built:.0f} s), median of {picks} random picks x {rounds} rounds:")
            for label, sql, params in (("series", SERIES, series), ("comparison", COMPARISON, comparison)):
                sorted_ms, arrival_ms = [], []
                for _ in range(rounds):  # in turn, so that drift of the machine hits both alike
                    sorted_ms.append(_median_ms(con, sql.format(table="sorted_fact"), params))
                    arrival_ms.append(_median_ms(con, sql.format(table="arrival"), params))
                s, a = statistics.median(sorted_ms), statistics.median(arrival_ms)
                print(f"  {label:10s} sorted {s:7.2f} ms   arrival order {a:7.2f} ms   sorted = {a / s:5.1f}x faster"
                      + ("   (target: series <= 20 ms)" if label == "series" else ""))


def _mixed_corpus() -> ModuleType:
    """scripts/bench_mixed_corpus.py (not a package): its corpus generator and its `chiso run` timer."""
    spec = importlib.util.spec_from_file_location("bench_mixed_corpus", REPO / "scripts" / "bench_mixed_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bench_increment(documents: int = 1000, scans: int = 10, rounds: int = 2, keep: Path | None = None) -> None:
    """The same one-document increment on a ~`documents`-document warehouse and on the 14-file sample.

    `keep` reuses (or fills) a folder: its generated corpus and first-run warehouse survive for the
    next bench, as generating and reading a thousand documents takes ~15 minutes on 2 cores.
    """
    mixed = _mixed_corpus()
    with tempfile.TemporaryDirectory(prefix="chiso-bench-increment-") as tmp:
        base = keep or Path(tmp)
        large, sample, additions = base / "large", Path(tmp) / "sample", Path(tmp) / "additions"
        home = Path(tmp) / "prefect"
        if not (large / "raw").is_dir():
            count = mixed.generate(large / "raw", documents, scans, 14)
            print(f"  generated {count} documents into {large / 'raw'}")
        present = sum(1 for path in (large / "raw").rglob("*") if path.is_file())
        mixed.generate(additions, rounds, 0, 14 + 2000 + present)  # new content, also in a kept corpus
        added = sorted(path for path in additions.rglob("*") if path.is_file())
        shutil.copytree(REPO / "raw", sample / "raw")
        warehouses = {"large": large / "warehouse" / "chiso.duckdb", "sample": sample / "warehouse" / "chiso.duckdb"}
        raws = {"large": large / "raw", "sample": sample / "raw"}
        for name in ("sample", "large"):
            wall, rss, _ = mixed.run(raws[name], warehouses[name], home)
            files = sum(1 for path in raws[name].rglob("*") if path.is_file())
            print(f"  {name}: {files} files, run before the increments {wall:7.1f} s (peak RSS {rss:5.0f} MB)")
        ratios = []
        for round_, document in enumerate(added[:rounds]):
            walls = {}
            for name in ("sample", "large"):  # in turn: drift of the machine hits both alike
                shutil.copy(document, raws[name] / f"increment{round_}_{document.name}")
                walls[name], _, tail = mixed.run(raws[name], warehouses[name], home)
                if tail.startswith("exit"):
                    print(f"    {name}: {tail}")
            ratios.append(walls["large"] / walls["sample"])
            print(f"  increment {round_ + 1} ({document.name}): sample {walls['sample']:6.1f} s,"
                  f" large {walls['large']:6.1f} s, large = {ratios[-1]:4.2f}x sample")
        print(f"  one-document increment: large = {statistics.median(ratios):4.2f}x the sample (target: <= 2x)")


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=SYNTHETIC_ROWS)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--keep", type=Path, default=None, help="keep (or reuse) the generated corpus here")
    parser.add_argument("--skip-increment", action="store_true")
    args = parser.parse_args(argv)
    bench_queries(args.rows)
    if not args.skip_increment:
        print(f"one-document increment, {args.documents}-document mixed corpus against the 14-file sample:")
        bench_increment(args.documents, keep=args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
