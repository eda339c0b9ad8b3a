"""Extraction in worker processes: one per core, each with its own PDFium.

PDFium is not thread-safe, so within one process every call into it is
serialised (`pdfium_lock`); threads alone therefore kept a night on one core.
Processes each load their own PDFium and run pdfminer, OpenCV and the
Python-heavy table and narrative stages side by side. The flow keeps one
Prefect task per file (they wait on this pool from threads), so the UI and
the logs still show each file.

Workers are forked from a clean `forkserver` that has imported the readers
once, never from the flow's process: that one runs Prefect's threads and
event loop, which a plain `fork` would copy mid-lock.

A worker that dies (a native reader crashing on a file, the kernel's OOM
killer) breaks the pool: the pool is rebuilt and the file tried once more in
a fresh worker; if that worker dies too, the file fails with a plain reason
and the run goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass

from chiso import budgets
from chiso.discover import SourceFile
from chiso.process import ProcessedDocument, process_document

_PRELOAD = ["chiso.process", "chiso.read.pdf.reader", "chiso.read.pdf.borderless", "chiso.read.ocr.reader",
            "chiso.read.sheets.reader", "chiso.read.gso.reader"]
"""Imported once by the fork server, so each worker starts with the readers loaded (~1 s saved per worker)."""


class WorkerDied(RuntimeError):
    """The process reading a file died (twice): the file cannot be read here."""


def default_jobs() -> int:
    """Worker processes: one per core this process may use (CHISO_JOBS overrides)."""
    if os.environ.get("CHISO_JOBS"):
        return max(1, int(os.environ["CHISO_JOBS"]))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def task_threads() -> int:
    """Threads of the flow's task runner: four per worker process.

    Each extract task spends part of its time in Prefect's bookkeeping (task
    run records, states, logs) in the flow's process; with one thread per
    worker, the workers idled during it (a 200-file night extracted at 64% of
    one core). More threads keep files queued for the pool while that happens.
    """
    return 4 * default_jobs()


def _init_worker() -> None:
    # Each worker already fills a core: its Tesseract calls stay single-threaded (see chiso.read.ocr.reader).
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@dataclass
class Usage:
    """Wall and CPU seconds of the extraction (this process, its workers and their Tesseracts), and
    the seconds the workers spent reading files.

    `busy` over `wall` × workers says whether the pool kept its workers fed; CPU% also depends on
    what else the machine runs (a shared machine gives each worker less than a core).
    """

    wall: float = 0.0
    cpu: float = 0.0
    busy: float = 0.0
    workers: int = 1

    @property
    def cpu_percent(self) -> float:
        return 100 * self.cpu / self.wall if self.wall else 0.0

    @property
    def busy_percent(self) -> float:
        return 100 * self.busy / (self.wall * self.workers) if self.wall else 0.0

    def __str__(self) -> str:
        return (f"{self.wall:.1f} s wall, {self.cpu:.1f} s CPU ({self.cpu_percent:.0f}% of one core),"
                f" workers reading {self.busy_percent:.0f}% of the time")


def _timed(
    read: Callable[[SourceFile], ProcessedDocument], limits: budgets.Budgets, source: SourceFile
) -> tuple[ProcessedDocument, float]:
    """In the worker: the reading, under the run's per-file budgets (its wall-time clock started here), and how long it took."""
    start = time.perf_counter()
    with budgets.reading(limits):
        return read(source), time.perf_counter() - start


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class ExtractionPool:
    """A process pool that reads files with `process_document`, rebuilt when a worker dies."""

    def __init__(self, jobs: int, read: Callable[[SourceFile], ProcessedDocument] = process_document) -> None:
        """`read` must be a module-level function (it is pickled by name for the workers)."""
        self.jobs = jobs
        self.read = read
        self.usage = Usage(workers=jobs)
        self._busy = 0.0
        self._started = (time.perf_counter(), _cpu_seconds())
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        self._context = context
        self._guard = threading.Lock()
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, mp_context=self._context, initializer=_init_worker)

    def process(self, source: SourceFile) -> ProcessedDocument:
        """`read(source)` in a worker; its exceptions (BadInputError…) are raised here."""
        for _attempt in range(2):
            executor = self._executor
            try:
                document, seconds = executor.submit(_timed, self.read, budgets.current(), source).result()
                with self._guard:
                    self._busy += seconds
                return document
            except BrokenProcessPool:
                with self._guard:
                    if self._executor is executor:  # the first thread to see it rebuilds the pool
                        executor.shutdown(wait=False, cancel_futures=True)
                        self._executor = self._new_executor()
        raise WorkerDied("the process reading this file died (a crash in a native reader, or out of memory)")

    def close(self) -> None:
        """Stop the workers, then the fork server: its preloaded readers would hold memory through
        validation and `dbt build`, and stopping it reaps the workers' CPU time into this process's."""
        self._executor.shutdown(wait=True, cancel_futures=True)
        from multiprocessing import forkserver

        stop = getattr(forkserver._forkserver, "_stop", None)  # CPython's (undocumented) way to end it
        if stop is not None:
            stop()
        wall, cpu = self._started
        self.usage = Usage(time.perf_counter() - wall, _cpu_seconds() - cpu, self._busy, self.jobs)


_current: ExtractionPool | None = None


@contextmanager
def extraction_pool(documents: int, jobs: int | None = None) -> Iterator[ExtractionPool | None]:
    """Within this block `process` reads files in worker processes.

    No pool for a single document or a single core: starting workers would
    cost more than it saves, and `process` then reads in this process.
    """
    global _current
    jobs = min(jobs or default_jobs(), documents)
    if jobs <= 1:
        yield None
        return
    pool = ExtractionPool(jobs)
    previous, _current = _current, pool
    try:
        yield pool
    finally:
        _current = previous
        pool.close()


def process(source: SourceFile) -> ProcessedDocument:
    """Read one file: in the current extraction pool if there is one, else in this process.

    Where there is no pool (a Dask worker, a one-file night) the file is read
    here; that is the same function, so results do not depend on where it ran.
    """
    pool = _current
    return pool.process(source) if pool is not None else process_document(source)
