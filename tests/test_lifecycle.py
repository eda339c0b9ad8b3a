"""File lifecycle rules: what tonight's raw/ means for the warehouse (chiso.run.lifecycle)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chiso.discover import discover
from chiso.run.lifecycle import plan


def _write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _sha(raw: Path, name: str) -> str:
    return next(f.sha256 for f in discover(raw).files if f.relative_path == name)


def test_an_earlier_version_put_back_is_read_again_and_replaces_the_current_one(tmp_path: Path) -> None:
    _write(tmp_path, "a.csv", b"version 1")
    v1 = _sha(tmp_path, "a.csv")
    life = plan(discover(tmp_path), {v1: "superseded", "v2": "loaded"}, {"a.csv": "v2"}, {v1: "a.csv", "v2": "a.csv"})
    assert [f.relative_path for f in life.new] == ["a.csv"]
    assert life.replaced == ["v2"]
    assert [(c.kind, c.previous_id) for c in life.changes] == [("restored", "v2")]


def test_a_deleted_file_is_retracted_by_default(tmp_path: Path) -> None:
    _write(tmp_path, "kept.csv", b"still here")
    here = _sha(tmp_path, "kept.csv")
    status = {here: "loaded", "gone": "loaded", "gone-bad": "rejected", "old": "superseded"}
    paths = {here: "kept.csv", "gone": "b/gone.csv", "gone-bad": "bad.csv", "old": "kept.csv"}
    life = plan(discover(tmp_path), status, {"kept.csv": here, "b/gone.csv": "gone", "bad.csv": "gone-bad"}, paths)
    assert not life.new and sorted(life.retracted) == ["gone", "gone-bad"]
    assert sorted(c.line() for c in life.changes) == [
        "b/gone.csv: deleted from raw/, its observations retracted",
        "bad.csv: deleted from raw/, its observations retracted",
    ]


def test_keep_marks_a_deleted_document_once_and_notices_its_return(tmp_path: Path) -> None:
    status, by_path, paths = {"gone": "loaded"}, {"b/gone.csv": "gone"}, {"gone": "b/gone.csv"}
    first = plan(discover(tmp_path), status, by_path, paths, on_deleted="keep")
    assert first.kept == ["gone"] and not first.retracted
    again = plan(discover(tmp_path), status, by_path, paths, frozenset({"gone"}), on_deleted="keep")
    assert not again.kept and not again.changes  # marked once, not every night
    _write(tmp_path, "b/gone.csv", b"back")
    sha = _sha(tmp_path, "b/gone.csv")
    back = plan(discover(tmp_path), {sha: "loaded"}, {"b/gone.csv": sha}, {sha: "b/gone.csv"}, frozenset({sha}), "keep")
    assert [c.kind for c in back.changes] == ["returned"] and not back.new


def test_a_moved_or_copied_file_is_neither_retracted_nor_read_again(tmp_path: Path) -> None:
    _write(tmp_path, "new-home/a.csv", b"same bytes")
    sha = _sha(tmp_path, "new-home/a.csv")
    life = plan(discover(tmp_path), {sha: "loaded"}, {"a.csv": sha}, {sha: "a.csv"})
    assert not life.new and not life.retracted and not life.changes


def test_an_unknown_setting_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="on_deleted"):
        plan(discover(tmp_path), {}, {}, {}, on_deleted="forget")  # type: ignore[arg-type]


def test_names_that_are_not_files_are_listed_with_the_reason(tmp_path: Path) -> None:
    _write(tmp_path, "good.csv", b"a;b\n1;2\n")
    _write(tmp_path, ".~lock.good.csv#", b"lock")
    _write(tmp_path, "folder.pdf/inside.csv", b"x;y\n")
    os.symlink(tmp_path / "missing.pdf", tmp_path / "dangling.pdf")
    os.mkfifo(tmp_path / "pipe.csv")
    _write(tmp_path, os.fsdecode(b"bad\xff\xfename.csv"), b"a;b\n")
    found = discover(tmp_path)
    assert [f.relative_path for f in found.files] == ["bad\\xff\\xfename.csv", "folder.pdf/inside.csv", "good.csv"]
    assert found.ignored == [
        ".~lock.good.csv#: hidden file",
        "dangling.pdf: a link whose target does not exist",
        "folder.pdf: a folder named like a file (its files are read)",
        "pipe.csv: a named pipe (FIFO), not a file",
    ]
