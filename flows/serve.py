"""`chiso serve`: the nightly schedule on one machine, with nothing started by hand.

Starts a supervised Prefect server under the project (chiso.run.prefect_server),
points this process at it, then serves the nightly flow on its cron schedule
(Asia/Ho_Chi_Minh) until Ctrl-C or SIGTERM, which stop the flow server and then
the Prefect server. Prefect is imported only after PREFECT_API_URL names the
started server, so serving never falls back to an ephemeral API of its own.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from chiso.run.prefect_server import PrefectServer, ServerFailed, free_port

DEFAULT_CRON = "0 2 * * *"
TIMEZONE = "Asia/Ho_Chi_Minh"


def _interrupt(signum: int, frame: object) -> None:
    """A service manager stops us with SIGTERM: the same clean shutdown as Ctrl-C (while the flow
    is served, Prefect's runner handles SIGTERM itself, pausing the schedule, then returns)."""
    raise KeyboardInterrupt


def serve(raw_dir: Path, warehouse: Path, cron: str = DEFAULT_CRON, home: Path | None = None,
          port: int | None = None) -> int:
    """Start the Prefect server, serve the nightly flow on `cron` until interrupted; 0 on a clean stop."""
    home = (home or Path.cwd() / ".prefect").resolve()
    server = PrefectServer(home, port=port or free_port())
    print(f"chiso serve: starting prefect server on {server.api_url} (state in {home}, log {server.log_path})",
          flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored (nohup, &)
    try:
        server.start()
        os.environ.update({k: v for k, v in server.environment().items() if k.startswith(("PREFECT_", "DO_NOT"))})
        from prefect.schedules import Cron

        from flows.nightly import nightly

        print(f"chiso serve: nightly flow scheduled '{cron}' ({TIMEZONE}); UI at http://{server.host}:{server.port};"
              " Ctrl-C stops everything", flush=True)
        nightly.serve(
            name="chiso-nightly",
            schedules=[Cron(cron, timezone=TIMEZONE)],
            parameters={"raw_dir": str(raw_dir.resolve()), "warehouse": str(warehouse.resolve())},
            print_starting_message=False,
        )
    except KeyboardInterrupt:
        print("chiso serve: stopping", file=sys.stderr, flush=True)
    except ServerFailed as error:
        print(f"chiso serve: {error}", file=sys.stderr)
        return 1
    finally:
        server.stop()
        print("chiso serve: stopped (flow server and prefect server)", file=sys.stderr, flush=True)
    return 0
