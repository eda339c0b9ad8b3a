"""File lifecycle: the warehouse says what `raw/` holds now.

A path's current version is the content in `raw/` tonight, whatever the
warehouse saw before:

- new content, or content that changed under its path, is read (the old
  version's rows are replaced: it becomes `superseded`);
- content seen before but no longer current — an earlier version put back, a
  deleted file put back, a good version restored after a garbage one — is read
  again and republished (`restored`), instead of being skipped as "known";
- a document whose content is no longer anywhere in `raw/` is `retracted`: its
  observations leave the warehouse. With ``on_deleted="keep"`` a loaded
  document keeps its observations and is marked instead (a reader warning says
  the source was deleted), for archives where `raw/` is pruned on purpose.

Every such change is a `Change`, printed in the run summary and stored in
`landing.file_changes` (counts in `landing.runs`, shown by `marts.dq_runs`).
A warehouse built this way equals one built by a fresh run on the final `raw/`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

import duckdb

from chiso.discover import Discovery, SourceFile

OnDeleted = Literal["retract", "keep"]
ON_DELETED_DEFAULT: OnDeleted = "retract"
"""An analyst expects the warehouse to say what raw/ holds: a deleted file's numbers go."""

LIVE = frozenset({"loaded", "quarantined", "rejected"})
"""Statuses of a document that is some path's current version (its bytes are not retried)."""
PAST = frozenset({"superseded", "retracted"})
"""Statuses of content that was current once; seen again in raw/, it is read again."""

KEPT_NOTE = "its source file was deleted from raw/; its observations are kept (on_deleted = keep)"


@dataclass(frozen=True)
class Change:
    """One change of what a path holds, as the run summary and landing.file_changes record it."""

    kind: str
    """new | changed | restored | retracted | kept (deleted, kept and marked) | returned (a kept file back)."""
    path: str
    document_id: str
    previous_id: str | None = None

    def line(self) -> str:
        said = {
            "changed": "changed, replaces the earlier version",
            "restored": "an earlier version restored, republished",
            "retracted": "deleted from raw/, its observations retracted",
            "kept": "deleted from raw/, its observations kept and marked",
            "returned": "back in raw/ after its deletion was marked",
        }
        return f"{self.path}: {said.get(self.kind, self.kind)}"


@dataclass(frozen=True)
class Lifecycle:
    new: list[SourceFile]
    unchanged: list[SourceFile]
    replaced: list[str]
    """Current versions of paths whose content changed: superseded by the new one."""
    retracted: list[str]
    """Documents no longer in raw/: observations removed, status retracted."""
    kept: list[str]
    """Documents no longer in raw/ whose observations stay (on_deleted = keep), marked once."""
    changes: list[Change] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        return Counter(change.kind for change in self.changes)


def plan(
    discovery: Discovery,
    status_by_hash: dict[str, str],
    hash_by_path: dict[str, str],
    path_by_hash: dict[str, str],
    kept_deleted: frozenset[str] = frozenset(),
    on_deleted: OnDeleted = ON_DELETED_DEFAULT,
) -> Lifecycle:
    """Decide what tonight's raw/ means for the warehouse (see the module docstring)."""
    if on_deleted not in ("retract", "keep"):
        raise ValueError(f"on_deleted must be 'retract' or 'keep', not {on_deleted!r}")
    present = {source.sha256 for source in discovery.files}
    new: list[SourceFile] = []
    unchanged: list[SourceFile] = []
    replaced: list[str] = []
    changes: list[Change] = []
    seen: set[str] = set()
    for source in discovery.files:
        sha = source.sha256
        status = status_by_hash.get(sha)
        previous = hash_by_path.get(source.relative_path)
        if previous == sha or sha in seen or status in LIVE:
            unchanged.append(source)
            if sha in kept_deleted and sha not in seen:
                changes.append(Change("returned", source.relative_path, sha))
            seen.add(sha)
            continue
        seen.add(sha)
        new.append(source)
        outgoing = previous if previous and previous not in present else None
        if outgoing:
            replaced.append(outgoing)
        kind = "restored" if status in PAST else "changed" if outgoing else "new"
        changes.append(Change(kind, source.relative_path, sha, outgoing))
    retracted: list[str] = []
    kept: list[str] = []
    for sha, status in sorted(status_by_hash.items()):
        if status not in LIVE or sha in present or sha in replaced:
            continue
        path = path_by_hash.get(sha, "")
        if on_deleted == "keep" and status == "loaded":
            if sha not in kept_deleted:
                kept.append(sha)
                changes.append(Change("kept", path, sha))
            continue
        retracted.append(sha)
        changes.append(Change("retracted", path, sha))
    return Lifecycle(new, unchanged, replaced, retracted, kept, changes)




def kept_deleted(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """Documents whose latest change is 'kept': deleted from raw/, observations kept and marked."""
    tables = {row[0] for row in con.execute(
        "select table_name from information_schema.tables where table_schema = 'landing'"
    ).fetchall()}
    if "file_changes" not in tables:
        return frozenset()
    rows = con.execute(
        "select document_id from landing.file_changes"
        " qualify row_number() over (partition by document_id order by recorded_at desc, change = 'kept') = 1"
        " and change = 'kept'"
    ).fetchall()
    return frozenset(row[0] for row in rows)


def record(building: Path, lifecycle: Lifecycle, run_id: str, files_ignored: int, now: datetime) -> None:
    """Apply retractions and marks to the build copy and record every change of this run.

    Runs after `load.write_landing` on the same build file (which a failed run
    discards whole), so the two writes publish together or not at all.
    """
    counts = lifecycle.counts()
    with duckdb.connect(str(building)) as con:
        con.execute("begin transaction")
        for sha in lifecycle.retracted:
            con.execute("delete from landing.observations where document_id = ?", [sha])
            con.execute("delete from landing.held_observations where document_id = ?", [sha])
            con.execute("update landing.documents set status = 'retracted' where document_id = ?", [sha])
        if lifecycle.kept:
            con.executemany(
                "insert into landing.document_warnings values (?, ?, ?)",
                [[sha, KEPT_NOTE, run_id] for sha in lifecycle.kept],
            )
        for change in lifecycle.changes:
            if change.kind == "returned":
                con.execute(
                    "delete from landing.document_warnings where document_id = ? and warning = ?",
                    [change.document_id, KEPT_NOTE],
                )
        if lifecycle.changes:
            con.executemany(
                "insert into landing.file_changes values (?, ?, ?, ?, ?, ?)",
                [[run_id, c.kind, c.path, c.document_id, c.previous_id, now] for c in lifecycle.changes],
            )
        con.execute(
            "update landing.runs set documents_changed = ?, documents_restored = ?, documents_retracted = ?,"
            " documents_kept_deleted = ?, files_ignored = ? where run_id = ?",
            [counts["changed"], counts["restored"], counts["retracted"], counts["kept"], files_ignored, run_id],
        )
        con.execute("commit")
