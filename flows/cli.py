"""The `chiso` command: the library's commands (chiso.cli) and the runs, which need Prefect.

The library imports no Prefect; the commands that start a flow live here, beside
the flows. Prefect is imported only by `run` (and only when a night has new
files: see chiso.run.noop), `serve` and `schedule`: it costs seconds to import
and starts an ephemeral API, so `chiso sql` and `chiso status` stay instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from chiso import cli as library
from chiso.cli import DEFAULT_RAW, DEFAULT_WAREHOUSE


def prefect_environment() -> None:
    """Keep Prefect's state in the project and never phone home, unless the user says otherwise."""
    os.environ.setdefault("PREFECT_HOME", str(Path.cwd() / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("DO_NOT_TRACK", "1")


def cmd_run(args: argparse.Namespace) -> int:
    from chiso.run.noop import nothing_new

    try:  # a night with nothing new is decided and recorded without starting Prefect (chiso.run.noop)
        report = None if args.full_refresh else nothing_new(Path(args.raw_dir), Path(args.warehouse), args.wait, args.on_deleted)
    except Exception as error:  # noqa: BLE001 - a missing folder, a busy warehouse: one line, no traceback
        print(f"chiso run failed: {error}", file=sys.stderr)
        return 1
    if report is not None:
        print(report)
        return 0
    prefect_environment()
    from flows.runners import nightly_on

    try:
        nightly_on(args.dask_address)(
            raw_dir=args.raw_dir, warehouse=args.warehouse, quarantine_dir=args.quarantine_dir, wait=args.wait,
            on_deleted=args.on_deleted, full_refresh=args.full_refresh,
            batch_documents=args.batch_documents, batch_observations=args.batch_observations,
        )
    except Exception as error:  # noqa: BLE001 - the flow has already logged the details
        print(f"chiso run failed: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from flows.serve import serve

    return serve(Path(args.raw_dir), Path(args.warehouse), cron=args.cron, port=args.port)


def cmd_schedule(args: argparse.Namespace) -> int:
    """Serve the nightly flow on a cron schedule (needs a running `prefect server`)."""
    prefect_environment()
    from prefect.schedules import Cron

    from flows.nightly import nightly

    nightly.serve(
        name="chiso-nightly",
        schedules=[Cron(args.cron, timezone="Asia/Ho_Chi_Minh")],
        parameters={"raw_dir": str(Path(args.raw_dir).resolve()), "warehouse": str(Path(args.warehouse).resolve())},
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chiso", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="ingest new files of a raw folder and publish the warehouse")
    run.add_argument("--raw-dir", default=DEFAULT_RAW)
    run.add_argument("--warehouse", default=DEFAULT_WAREHOUSE)
    run.add_argument("--quarantine-dir", default=None, help="default: quarantine/ beside the warehouse")
    run.add_argument(
        "--wait", type=float, default=0.0, metavar="SECONDS",
        help="wait this long for another run holding the warehouse (default: fail at once, naming it)",
    )
    run.add_argument(
        "--on-deleted", choices=["retract", "keep"], default="retract",
        help="a file deleted from the raw folder: retract its observations (default) or keep and mark them",
    )
    run.add_argument(
        "--full-refresh", action="store_true",
        help="rebuild every warehouse table from the landing tables instead of the documents that changed",
    )
    run.add_argument(
        "--dask-address", default=None, metavar="tcp://HOST:8786",
        help="extract on this Dask cluster's workers (they must see the raw folder at the same path)",
    )
    run.add_argument(
        "--batch-documents", type=int, default=None, metavar="N",
        help="validate and land at most N files at a time (default: CHISO_BATCH_DOCUMENTS, else 100)",
    )
    run.add_argument(
        "--batch-observations", type=int, default=None, metavar="N",
        help="… and at most N observations (default: CHISO_BATCH_OBSERVATIONS, else 100000)",
    )
    run.set_defaults(func=cmd_run)

    serve = sub.add_parser(
        "serve", help="run the nightly schedule on this machine (starts and supervises a Prefect server; Ctrl-C stops all)"
    )
    serve.add_argument("--cron", default="0 2 * * *", help="cron, Asia/Ho_Chi_Minh time (default: 02:00 nightly)")
    serve.add_argument("--raw-dir", default=DEFAULT_RAW)
    serve.add_argument("--warehouse", default=DEFAULT_WAREHOUSE)
    serve.add_argument("--port", type=int, default=None, help="Prefect server port (default: a free one)")
    serve.set_defaults(func=cmd_serve)

    schedule = sub.add_parser(
        "schedule", help="serve the nightly flow on a cron schedule against an existing Prefect server (PREFECT_API_URL)"
    )
    schedule.add_argument("--cron", default="0 2 * * *")
    schedule.add_argument("--raw-dir", default=DEFAULT_RAW)
    schedule.add_argument("--warehouse", default=DEFAULT_WAREHOUSE)
    schedule.set_defaults(func=cmd_schedule)

    library.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
