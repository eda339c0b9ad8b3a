"""Find the source files of a run and fingerprint them.

A document is identified by the SHA-256 of its bytes: the nightly run skips a
file whose content it has already seen (loaded, quarantined or rejected), and a
file whose content changed under the same path is a new version that replaces
the old one's rows.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = frozenset({".pdf", ".xlsx", ".xlsm", ".xls", ".csv", ".htm", ".html", ".txt"})


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
    """Relative paths of files with an unsupported extension, reported rather than silently dropped."""


def discover(raw_dir: Path) -> Discovery:
    """Every supported file below `raw_dir` (hidden files and folders skipped), sorted by path."""
    raw_dir = raw_dir.resolve()
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw_dir}")
    found: list[SourceFile] = []
    ignored: list[str] = []
    for path in sorted(raw_dir.rglob("*")):
        relative = path.relative_to(raw_dir)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            ignored.append(shown(relative.as_posix()))
            continue
        found.append(SourceFile(path, shown(relative.as_posix()), sha256_of(path), path.stat().st_size))
    return Discovery(found, ignored)
