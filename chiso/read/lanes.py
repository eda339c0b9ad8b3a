"""Tesseract calls side by side, one per core: a small pool of "lanes" per process.

A table's mosaics, its cells read alone, its turned captions and the broken
titles of a borderless PDF are independent Tesseract processes; run one after
another they left the other core idle. The lanes are a pool of their own, so
callers that already run in a page pool cannot deadlock them; a lane's job
that asks for lanes itself (the mosaics of one turn of a table's captions,
read while the other turns are) runs its items in its own lane, one after
another: waiting on the pool from inside it hung a run for good once every
lane waited so. One pool per process: a forked worker makes its own.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
_lanes: tuple[int, ThreadPoolExecutor] | None = None
_lanes_guard = threading.Lock()
_LANE = "tesseract-lane"


def concurrently(read: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`[read(item) for item in items]`, each `read` in a lane (see the module docstring)."""
    if len(items) <= 1 or threading.current_thread().name.startswith(_LANE):
        return [read(item) for item in items]
    global _lanes
    with _lanes_guard:
        if _lanes is None or _lanes[0] != os.getpid():
            _lanes = (os.getpid(), ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix=_LANE))
        pool = _lanes[1]
    return list(pool.map(read, items))
