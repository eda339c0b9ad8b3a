"""Find the source files of a run and fingerprint them.

A document is identified by the SHA-256 of its bytes: the nightly run skips a
file whose content it has already seen (loaded, quarantined or rejected), and a
file whose content changed under the same path is a new version that replaces
the old one's rows.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from chiso.read.registry import SUFFIXES as SUPPORTED_SUFFIXES

__all__ = ["SUPPORTED_SUFFIXES", "Discovery", "SourceFile", "discover", "sha256_of", "shown"]


@dataclass(frozen=True)
class SourceFile:
    path: Path
    relative_path: str
    """Path below the raw folder, POSIX style: the document's stable name across runs."""
    sha256: str
    size: int

    @property
    def name(self) -> str:
        return shown(self.path.name)


def shown(text: str) -> str:
    """A path as text any table can hold: bytes that are not UTF-8 ('bad\\xff\\xfename.csv') escaped.

    Python keeps such bytes as lone surrogates, which DuckDB, Polars and the
    terminal refuse; one poison name must not fail the run of every good file.
    """
    return os.fsencode(text).decode("utf-8", "backslashreplace")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Discovery:
    files: list[SourceFile]
    ignored: list[str]
    """'<relative path>: <reason>' for every name below raw/ that is not read, reported rather than
    silently dropped: unsupported types, hidden files, dangling links, FIFOs, unreadable files."""


def _not_a_file(path: Path) -> str | None:
    """Why a directory entry is not a readable regular file, or None when it is one."""
    try:
        status = path.lstat()
    except OSError as error:
        return f"cannot be examined ({error.strerror})"
    if stat.S_ISLNK(status.st_mode):
        try:
            status = path.stat()
        except OSError:
            return "a link whose target does not exist"
        if stat.S_ISDIR(status.st_mode):
            return "a link to a folder, not followed"
    if stat.S_ISFIFO(status.st_mode):
        return "a named pipe (FIFO), not a file"
    if not stat.S_ISREG(status.st_mode):
        return "not a regular file (socket or device)"
    return None


def discover(raw_dir: Path) -> Discovery:
    """Every supported regular file below `raw_dir`, sorted by path; every other name, with why not.

    Names are data: any byte sequence in a name is kept (escaped for display,
    `shown`), and nothing a folder holds can stop the run of the good files.
    """
    raw_dir = raw_dir.resolve()
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw_dir}")
    found: list[SourceFile] = []
    ignored: list[tuple[str, str]] = []
    for folder, folders, names in os.walk(raw_dir, followlinks=False):
        base = Path(folder)
        for name in sorted(folders):
            relative = shown((base / name).relative_to(raw_dir).as_posix())
            if (base / name).is_symlink():
                ignored.append((relative, "a link to a folder, not followed"))
            elif name.startswith("."):
                ignored.append((relative, "hidden folder, not read"))
                folders.remove(name)
            elif Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                ignored.append((relative, "a folder named like a file (its files are read)"))
        for name in names:
            path = base / name
            relative = shown(path.relative_to(raw_dir).as_posix())
            why = _not_a_file(path)
            if why is None and name.startswith("."):
                why = "hidden file"
            elif why is None and path.suffix.lower() not in SUPPORTED_SUFFIXES:
                why = f"unsupported type{' ' + path.suffix.lower() if path.suffix else ' (no extension)'}"
            if why is None:
                try:
                    found.append(SourceFile(path, relative, sha256_of(path), path.stat().st_size))
                    continue
                except OSError as error:
                    why = f"cannot be read ({error.strerror})"
            ignored.append((relative, why))
    found.sort(key=lambda source: source.relative_path)
    return Discovery(found, [f"{relative}: {why}" for relative, why in sorted(ignored)])
