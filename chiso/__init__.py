"""chiso: Vietnamese government reports → clean, queryable indicator time series."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

__version__ = "0.1.0"
__all__ = ["extract"]


def extract(path: str | Path, *, validate: bool = True) -> pl.DataFrame:
    """One file's observations, resolved, with provenance, as a run publishes them (chiso.api.extract).

    Imported on first call, so that `import chiso` stays instant for the command line.
    """
    from chiso.api import extract as extract_file

    return extract_file(path, validate=validate)
