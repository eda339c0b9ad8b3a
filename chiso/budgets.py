"""What one file may cost to read, in one settings object, and the checks the readers call.

A 390 KB file can ask for gigabytes (a 14,400 pt page rendered at 300 dpi, a
sheet of a million rows, a shared-strings bomb) or for hours (2,000 blank
pages to OCR). Each such file is held with the budget it broke and the run
goes on; nothing here guesses at a value or shortens a table silently.

The defaults keep a 2 GB machine alive with two files read at once: every
budget is far above the largest real report seen (a 500-page statistical
yearbook, a 60,000-cell budget workbook, a 30-page scan) and far below what
exhausts memory. Change them by passing another `Budgets` to the readers, or
for a whole run with `CHISO_BUDGET_<FIELD>` environment variables (e.g.
`CHISO_BUDGET_MAX_PAGES=3000`), read by `Budgets.from_environment`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace
from pathlib import Path

from chiso.model import BadInputError

MB = 1024 * 1024


@dataclass(frozen=True)
class Budgets:
    """Per-file limits of reading; a file over one is held with the budget it broke."""

    max_file_bytes: int = 512 * MB
    """Bytes of one file on disk. Scanned reports are the largest real files (a few MB a page at most)."""
    max_pages: int = 1_500
    """Pages of one PDF. The largest real report (a statistical yearbook) has about 500."""
    max_page_pixels: int = 80_000_000
    """Pixels of one page rendered for OCR (the DPI is not lowered: a page this large is not a report page).
    An A3 sheet at 300 dpi is 17 MP; 80 MP is about 320 MB of image buffers in the OCR pipeline."""
    max_sheet_cells: int = 2_000_000
    """Cells (rows × columns) of one sheet or CSV. Held in memory as text, about 100–200 bytes each."""
    max_unpacked_bytes: int = 256 * MB
    """Decompressed bytes of a workbook's parts (a shared-strings bomb unpacks to gigabytes)."""
    max_seconds: float = 1_200.0
    """Wall time of one file. A 100-page scan takes 5–8 minutes on one core."""
    isolated_memory_bytes: int = 1_536 * MB
    """Address space of the child process that re-reads, alone, a file a killed run was reading."""

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Budgets:
        """Defaults, with any `CHISO_BUDGET_<FIELD>` variable applied (a bad value fails loudly)."""
        environ = dict(os.environ if environ is None else environ)
        changes: dict[str, float | int] = {}
        for item in fields(cls):
            raw = environ.get(f"CHISO_BUDGET_{item.name.upper()}")
            if raw is not None:
                kind = float if item.type in (float, "float") else int
                try:
                    changes[item.name] = kind(raw)
                except ValueError as error:
                    raise ValueError(f"CHISO_BUDGET_{item.name.upper()}={raw!r} is not a number") from error
        return replace(cls(), **changes)  # type: ignore[arg-type]


DEFAULT_BUDGETS = Budgets()


class OverBudgetError(BadInputError):
    """A file over one of its budgets: held with the budget it broke, the run goes on."""


_current: ContextVar[Budgets] = ContextVar("chiso_budgets", default=DEFAULT_BUDGETS)
_deadline: ContextVar[float | None] = ContextVar("chiso_deadline", default=None)


def current() -> Budgets:
    """The budgets of the file being read (set by `reading`), else the defaults."""
    return _current.get()


@contextmanager
def reading(budgets: Budgets = DEFAULT_BUDGETS) -> Iterator[Budgets]:
    """Read one file under `budgets`: its wall-time clock starts now (see `check_time`)."""
    budget_token = _current.set(budgets)
    deadline_token = _deadline.set(time.monotonic() + budgets.max_seconds)
    try:
        yield budgets
    finally:
        _deadline.reset(deadline_token)
        _current.reset(budget_token)


def check_time(where: str) -> None:
    """Raise once the file being read is past its wall-time budget; readers call this per page or chunk."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise OverBudgetError(f"over the wall-time budget of {current().max_seconds:,.0f} s per file (at {where})")


def check_bytes(size: int) -> None:
    limit = current().max_file_bytes
    if size > limit:
        raise OverBudgetError(f"file is {size / MB:,.0f} MB, over the budget of {limit / MB:,.0f} MB per file")


def check_pages(pages: int) -> None:
    limit = current().max_pages
    if pages > limit:
        raise OverBudgetError(f"{pages:,} pages, over the budget of {limit:,} pages per file")


def check_cells(cells: int, where: str) -> None:
    limit = current().max_sheet_cells
    if cells > limit:
        raise OverBudgetError(f"{where} has more than {limit:,} cells (rows × columns), over the budget per sheet")


def check_delimited(path: Path, delimiters: bytes = b";,\t") -> None:
    """Refuse a CSV over the cells budget before any reader holds it: lines × the widest of the first
    lines' field counts, counted by streaming the file in 1 MB chunks (memory stays flat)."""
    limit = current().max_sheet_cells
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
        lines = [line for line in head.splitlines()[:30] if line.strip()]
        width = max((max(line.count(bytes([d])) for d in delimiters) + 1 for line in lines), default=1)
        rows = head.count(b"\n")
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            rows += chunk.count(b"\n")
            if rows * width > limit:
                break
    if rows * width > limit:
        raise OverBudgetError(
            f"CSV of more than {rows:,} rows × {width} columns, over the budget of {limit:,} cells per sheet"
        )
