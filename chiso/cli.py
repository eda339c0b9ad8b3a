"""The library's commands: query the warehouse, read its quality and status, export, curate the catalog.

None of them needs Prefect. The `chiso` console command (flows.cli) adds the
commands that run the pipeline; `python -m chiso.cli` offers these alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

DEFAULT_RAW = "raw"
DEFAULT_WAREHOUSE = "warehouse/chiso.duckdb"


READ_ONLY_SEAT: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": False,
    "allow_community_extensions": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}
"""An analyst's seat: the warehouse read-only, no file or network access (no COPY TO, EXPORT DATABASE,
ATTACH, read_csv of other files, INSTALL), and the configuration locked so no query can undo it."""


def _connect(warehouse: str) -> duckdb.DuckDBPyConnection:
    import duckdb

    path = Path(warehouse)
    if not path.exists():
        raise SystemExit(f"no warehouse at {path}: run `chiso run` first")
    return duckdb.connect(str(path), read_only=True, config=READ_ONLY_SEAT)


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    with _connect(args.warehouse) as con:
        try:
            relation = con.sql(args.query)
        except duckdb.Error as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            print(f"query failed: {first_line}", file=sys.stderr)
            return 2
        if relation is None:
            return 0
        if args.csv:
            relation.pl().write_csv(sys.stdout)
        else:
            relation.show(max_rows=args.max_rows, max_width=200)
    return 0


def cmd_quality(args: argparse.Namespace) -> int:
    """The quality screen: a few rows of each data-quality mart.

    Its SQL is only the screen's layout (which columns, order, limit): what
    each row says is computed by the dq_ models, which a monitoring user
    queries in the warehouse directly.
    """
    with _connect(args.warehouse) as con:
        print("Recent runs")
        con.sql("select * from marts.dq_runs order by started_at desc limit 10").show(max_width=200)
        if con.sql("select count(*) from duckdb_tables() where table_name = 'dq_checks_by_run'").fetchall()[0][0]:
            print("Checks per run and suite (rounding within the printed precision is counted apart, not flagged)")
            con.sql(
                "select run_started_at, suite, checks, passed, held, discrepancies, rounding from marts.dq_checks_by_run"
                " order by run_started_at desc, suite limit 20"
            ).show(max_width=200)
        print("Per document: printed numbers published, flagged and held")
        con.sql(
            "select source_file, status, cells_published as published, cells_flagged as flagged,"
            " cells_held as held, reasons from marts.dq_document_outcomes"
            " order by cells_held desc, source_file"
        ).show(max_rows=100, max_width=200)
        print("Held units (document, table or rows) and why")
        con.sql(
            "select source_file, stage, unit, cells_held, cells_published, reason from marts.dq_quarantine"
            " order by quarantined_at desc"
        ).show(max_rows=100, max_width=200)
        print("Observations with quality flags")
        con.sql(
            "select document_id[:12] as document, table_ref, row_label, column_label, value, quality_flag"
            " from marts.dq_observation_flags limit 50"
        ).show(max_rows=50, max_width=200)
        print("Reader warnings (files loaded with an inference or a tolerance)")
        con.sql("select source_file, status, warning from marts.dq_document_warnings order by source_file").show(
            max_rows=50, max_width=200
        )
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from chiso.report import build_report

    try:
        built = build_report(Path(args.warehouse), Path(args.out) if args.out else None, [Path(args.raw_dir)])
    except FileNotFoundError as error:
        raise SystemExit(str(error)) from None
    print(f"report written to {built.index} ({built.bytes / 1e6:.1f} MB, {built.shots} page images, {built.seconds:.1f} s)")
    if args.open:
        import webbrowser

        webbrowser.open(built.index.resolve().as_uri())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from chiso.export import export_timeseries

    if not Path(args.warehouse).exists():
        raise SystemExit(f"no warehouse at {args.warehouse}: run `chiso run` first")
    try:
        rows = export_timeseries(Path(args.warehouse), Path(args.out), args.format, harmonised=args.harmonised)
    except FileNotFoundError as error:
        raise SystemExit(str(error)) from None
    print(f"{rows} rows written to {args.out} ({args.format})")
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    from chiso.indicators import review

    with _connect(args.warehouse) as con:
        todo = review.unmapped(con, args.unmapped, args.source)
        if args.draft:
            Path(args.draft).write_text(review.draft_entries(todo, args.topic), encoding="utf-8")
            print(f"{len(todo)} draft entries written to {args.draft} (reviewed: false); move it under chiso/indicators/catalog/ once read")
            return 0
        shares = review.catalogued_share_by_family(con)
        print(review.render(review.coverage(con), todo, shares[-1].catalogued, show_all=args.all))
        print()
        print(review.render_shares(shares))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from chiso.status import read_status, render

    with _connect(args.warehouse) as con:
        print(render(read_status(con), args.warehouse, stale_days=args.stale_days))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The library's commands alone (`python -m chiso.cli`); the `chiso` command adds the runs (flows.cli)."""
    parser = argparse.ArgumentParser(prog="chiso", description=__doc__.splitlines()[0])
    add_commands(parser.add_subparsers(dest="command", required=True))
    return parser


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The commands that read the warehouse: sql, quality, report, export, catalog, status."""
    sql = sub.add_parser("sql", help="run a read-only SQL query against the warehouse")
    sql.add_argument("query")
    sql.add_argument("--warehouse", default=DEFAULT_WAREHOUSE)
    sql.add_argument("--csv", action="store_true", help="print all rows as CSV instead of a table")
    sql.add_argument("--max-rows", type=int, default=40)
    sql.set_defaults(func=cmd_sql)

    quality = sub.add_parser("quality", help="print the data-quality report (runs, quarantine, flags, reader warnings)")
    quality.add_argument("--warehouse", default=DEFAULT_WAREHOUSE)
    quality.set_defaults(func=cmd_quality)

    report = sub.add_parser("report", help="write the data-quality report, a static site (default: report/ beside the warehouse)")
    report.add_argument("--warehouse", default=DEFAULT_WAREHOUSE)
    report.add_argument("--out", default=None, metavar="DIR", help="default: report/ beside the warehouse")
    report.add_argument("--raw-dir", default=DEFAULT_RAW, help="where the documents were read from, to draw their pages")
    report.add_argument("--open", action="store_true", help="open the report in a browser")
    report.set_defaults(func=cmd_report)

    export = sub.add_parser("export", help="write the indicator time series as csv, parquet or SDMX-CSV")
    export.add_argument("--format", choices=["csv", "parquet", "sdmx-csv"], default="csv")
    export.add_argument("--out", required=True)
    export.add_argument("--harmonised", action="store_true", help="current (2025) province boundaries")
    export.add_argument("--warehouse", default=DEFAULT_WAREHOUSE)
    export.set_defaults(func=cmd_export)

    catalog = sub.add_parser("catalog", help="list catalog indicators with coverage and rank the unmapped measures to curate")
    catalog.add_argument("--warehouse", default=DEFAULT_WAREHOUSE)
    catalog.add_argument("--unmapped", type=int, default=30, metavar="N", help="show (or draft) the top N unmapped measures")
    catalog.add_argument("--draft", metavar="FILE", help="write the top unmapped measures as unreviewed YAML catalog entries")
    catalog.add_argument("--topic", default="drafts", help="topic of the drafted entries")
    catalog.add_argument("--source", metavar="REGEX", help="only measures printed in files whose name matches")
    catalog.add_argument("--all", action="store_true", help="also list catalog indicators without observations")
    catalog.set_defaults(func=cmd_catalog)

    status = sub.add_parser("status", help="last run, freshness per source, what is held")
    status.add_argument("--warehouse", default=DEFAULT_WAREHOUSE)
    status.add_argument("--stale-days", type=int, default=35, help="mark a source with no new file for this long")
    status.set_defaults(func=cmd_status)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
