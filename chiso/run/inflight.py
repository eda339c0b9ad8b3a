"""Which file a killed run was reading, so that file cannot kill every following night too.

Before a file is read, a marker naming it is written beside the warehouse
(`.<warehouse>.reading/<sha256>`); it is removed once the reader returns, with
or without an error. A run that dies — the kernel's out-of-memory killer, a
crash inside a C library, an operator's `kill -9` — leaves its markers. The
next run turns them into suspects and reads each suspect alone, in a child
process with a memory and wall-time limit (chiso.budgets): a suspect that
reads fine is published like any file (an operator's kill is not the file's
fault); one that kills its child, runs out of memory or time is held with that
reason and, its bytes being registered as rejected, is not retried again.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from chiso import budgets
from chiso.discover import SourceFile
from chiso.model import BadInputError

log = logging.getLogger(__name__)


def markers_dir(warehouse: Path) -> Path:
    return warehouse.with_name(f".{warehouse.name}.reading")


@dataclass(frozen=True)
class Suspect:
    """A file that was being read when a run died."""

    path: str
    run_id: str
    started: str

    def said(self) -> str:
        return f"it was being read when run {self.run_id} died (started reading {self.started})"


def recover(warehouse: Path) -> dict[str, Suspect]:
    """sha256 → Suspect for every marker a dead run left (call while holding the warehouse lock)."""
    suspects: dict[str, Suspect] = {}
    for marker in markers(warehouse):
        try:
            record = json.loads(marker.read_text(encoding="utf-8"))
            suspects[marker.name] = Suspect(record["path"], record["run_id"], record["started"])
        except (OSError, ValueError, KeyError):
            suspects[marker.name] = Suspect("?", "?", "?")
        marker.unlink(missing_ok=True)  # written again while the suspect is read
    return suspects


@contextmanager
def reading(warehouse: Path, source: SourceFile, run_id: str) -> Iterator[None]:
    """Mark `source` as being read for the time of the block (the marker survives a killed process)."""
    folder = markers_dir(warehouse)
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / source.sha256
    record = {"path": source.relative_path, "run_id": run_id, "started": f"{datetime.now():%Y-%m-%d %H:%M:%S}"}
    temporary = marker.with_name(f".{marker.name}.tmp")
    temporary.write_text(json.dumps(record), encoding="utf-8")
    os.replace(temporary, marker)
    try:
        yield
    finally:
        marker.unlink(missing_ok=True)  # the folder stays: another thread may be marking a file in it


def markers(warehouse: Path) -> list[Path]:
    """The markers present now: files being read, or left by a run that died while reading them."""
    folder = markers_dir(warehouse)
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.is_dir() else []


def _child(read: Callable[[SourceFile], Any], source: SourceFile, limits: budgets.Budgets, sender: Any) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limits.isolated_memory_bytes, limits.isolated_memory_bytes))
    try:
        with budgets.reading(limits):
            sender.send(("ok", read(source)))
    except MemoryError:
        sender.send(("held", f"over the memory budget of {limits.isolated_memory_bytes / budgets.MB:,.0f} MB"))
    except BadInputError as error:
        sender.send(("bad", str(error)))
    except Exception as error:  # noqa: BLE001 - reported to the parent, which holds the file
        sender.send(("bad", f"extraction failed: {type(error).__name__}: {error}"))


def killed_by(code: int | None) -> str:
    """'SIGKILL (signal 9, as the out-of-memory killer sends)' for a negative exit code."""
    if code is None or code >= 0:
        return f"exit code {code}"
    number = -code
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = f"signal {number}"
    note = ", as the kernel's out-of-memory killer sends" if number == signal.SIGKILL else ""
    return f"{name} (signal {number}{note})"


def read_alone(
    read: Callable[[SourceFile], Any], source: SourceFile, suspect: Suspect, limits: budgets.Budgets
) -> Any:
    """Read a suspect in a child process under the memory and wall-time budgets.

    Returns what `read` returned; raises BadInputError — the file is held —
    with what happened to the child.
    """
    log.warning("%s: %s; reading it alone under a %s MB memory limit", source.relative_path, suspect.said(),
                f"{limits.isolated_memory_bytes / budgets.MB:,.0f}")
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(read, source, limits, sender), daemon=True)
    child.start()
    sender.close()
    outcome = None
    if receiver.poll(limits.max_seconds + 60):
        try:
            outcome = receiver.recv()
        except EOFError:
            outcome = None
    child.join(5)
    if child.is_alive():
        child.kill()
        child.join()
        raise budgets.OverBudgetError(
            f"{suspect.said()}; read alone it ran past the wall-time budget of {limits.max_seconds:,.0f} s"
        )
    if outcome is None:
        raise BadInputError(f"{suspect.said()}; read alone its reader was killed by {killed_by(child.exitcode)}:"
                            " held instead of retried every night")
    kind, value = outcome
    if kind == "ok":
        return value
    if kind == "bad":
        # Its reader returned: the file did not kill the run, it is bad on its own account, and its
        # reason is the one any run gives (several files are in flight when a run dies).
        log.warning("%s read alone: %s", source.relative_path, value)
        raise BadInputError(str(value))
    raise BadInputError(f"{suspect.said()}; read alone: {value}")


@dataclass(frozen=True)
class Guard:
    """How a run reads each file: under its budgets, marked while read, suspects read alone."""

    warehouse: Path
    run_id: str
    suspects: dict[str, Suspect]
    limits: budgets.Budgets

    @classmethod
    def start(cls, warehouse: Path, run_id: str, limits: budgets.Budgets | None = None) -> Guard:
        """Call once per run, holding the warehouse lock: the markers a dead run left become suspects."""
        return cls(warehouse, run_id, recover(warehouse), limits or budgets.Budgets.from_environment())

    def read(self, source: SourceFile, read: Callable[[SourceFile], Any] | None = None) -> Any:
        if read is None:
            from chiso.process import process_document

            read = process_document
        suspect = self.suspects.get(source.sha256)
        with reading(self.warehouse, source, self.run_id):
            if suspect is not None:
                return read_alone(read, source, suspect, self.limits)
            with budgets.reading(self.limits):
                return read(source)
