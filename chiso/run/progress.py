"""Progress bars for the long stages of a run (rich), shown only to a person at a terminal.

A night of a thousand files extracts for minutes: whoever started it by hand
should see how far it is and what it is reading. Under a scheduler, in CI or
piped to a file, stderr is no terminal and nothing is drawn (the log lines
of each file still say what happened).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def interactive() -> bool:
    return sys.stderr.isatty()


def track(items: Iterable[T], total: int, description: str, label: Callable[[T], str] | None = None,
          show: bool | None = None) -> Iterator[T]:
    """Yield `items` unchanged while a bar counts them; `label(item)` names the one just finished."""
    if not (interactive() if show is None else show) or total <= 1:
        yield from items
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("eta"), TimeRemainingColumn(), TextColumn("{task.fields[last]}"))
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task(description, total=total, last="")
        for item in items:
            bar.update(task, advance=1, last=label(item) if label else "")
            yield item
