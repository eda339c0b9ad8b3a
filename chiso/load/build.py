"""The build directory a run owns: its database, WAL, dbt target and quarantine copies.

Every run builds in `.<warehouse>.builds/<run id>/` beside the warehouse and
publishes with one atomic rename of the database over the published file.
Only the holder of the writer lock (chiso.run.lock) builds, so any build directory
found when a run starts was left by a run that was killed — its copy of the
warehouse, the copy's WAL, its dbt target and the quarantine copies of files
it never published. The next run clears them (and says so) before it starts,
so nothing a killed run left can wedge the next one.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from chiso.load.landing import ensure_landing


def builds_root(warehouse: Path) -> Path:
    return warehouse.with_name(f".{warehouse.name}.builds")


def _legacy_build_files(warehouse: Path) -> list[Path]:
    """The single shared build file (and its WAL) of releases before per-run build directories."""
    legacy = warehouse.with_name(f".{warehouse.name}.building")
    return [path for path in (legacy, Path(f"{legacy}.wal")) if path.exists()]


def clear_leftovers(warehouse: Path) -> list[str]:
    """Remove what killed runs left; one line per run cleared, for the run summary.

    Call only while holding the warehouse lock: then no build is in progress.
    """
    cleared: list[str] = []
    root = builds_root(warehouse)
    if root.is_dir():
        for leftover in sorted(root.iterdir()):
            held = len(list((leftover / "quarantine").rglob("*.reason.txt")))
            what = [name for name in ("chiso.duckdb", "chiso.duckdb.wal", "dbt") if (leftover / name).exists()]
            detail = ", ".join(what + ([f"{held} unpublished quarantine copies"] if held else [])) or "empty"
            cleared.append(f"cleared the build of interrupted run {leftover.name} ({detail})")
            shutil.rmtree(leftover, ignore_errors=True)
            if leftover.exists():  # a file, not a directory
                leftover.unlink(missing_ok=True)
    for path in _legacy_build_files(warehouse):
        cleared.append(f"cleared {path.name}, left by an interrupted run")
        path.unlink(missing_ok=True)
    return cleared


@dataclass(frozen=True)
class Build:
    """One run's build directory."""

    directory: Path

    @classmethod
    def start(cls, warehouse: Path, run_id: str) -> Build:
        name = re.sub(r"[^A-Za-z0-9._-]", "_", run_id) or "run"
        directory = builds_root(warehouse) / name
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        return cls(directory)

    @property
    def database(self) -> Path:
        return self.directory / "chiso.duckdb"

    @property
    def dbt_target(self) -> Path:
        return self.directory / "dbt"

    @property
    def quarantine(self) -> Path:
        """Quarantine copies wait here and move beside the warehouse only when the run publishes."""
        return self.directory / "quarantine"

    def stage(self, warehouse: Path) -> Path:
        """Copy the published warehouse into the build (or start an empty one); return the copy."""
        if warehouse.exists():
            shutil.copy2(warehouse, self.database)
        with duckdb.connect(str(self.database)) as con:
            ensure_landing(con)
        return self.database

    def publish(self, warehouse: Path, quarantine_dir: Path) -> None:
        """Checkpoint the build (no WAL may stay behind), rename it over the warehouse, keep its copies."""
        with duckdb.connect(str(self.database)) as con:
            con.execute("checkpoint")
        Path(f"{self.database}.wal").unlink(missing_ok=True)  # empty after the checkpoint
        self.database.replace(warehouse)
        if self.quarantine.is_dir():
            for run in self.quarantine.iterdir():
                target = quarantine_dir / run.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.rmtree(target, ignore_errors=True)
                shutil.move(str(run), target)
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
        root = self.directory.parent
        if root.is_dir() and not any(root.iterdir()):
            root.rmdir()
