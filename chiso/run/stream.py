"""A night in batches of bounded size: documents stream through extract → validate → land.

Holding every document of a night, its observation frame, the frames Great
Expectations validates and their check rows all at once made the flow's peak
memory grow with the night (1.7 GB for a first run of 1,000 files). Here the
flow holds at most about two batches: the one being validated and landed, and
the next one, read ahead by the workers so they stay busy while the gate runs.

A batch's verdict is the one the whole run would give it: every check is per
row, per table or per document, and a document never spans batches, so held
rows, quarantined files, counts and the run's outcome are the sums of the
batches'. The one decision that spans documents — an undated appendix takes
the data date of its dossier's report (chiso.interpret.dossier), which may be
read in a later batch — is kept exact by deferring the undated documents of a
dossier to the run's last batches, dated once every report of the night has
been read.

Each batch is appended to the run's build copy of the warehouse
(chiso.load.build) in its own transaction; the catalog, the re-reading of labels
and the run's record are written once after the last batch, and dbt builds once.
A failure at any batch discards the copy, so the published warehouse stays
what the last good night left.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

import polars as pl

from chiso.interpret.dossier import awaits_report_date, inherit_report_dates, report_dates_of
from chiso.load import frames
from chiso.load import warehouse as load
from chiso.process import ProcessedDocument
from chiso.quality import history
from chiso.quality.gate import GateResult
from chiso.run.batch import Rejected, RunSummary, quarantine_copy
from chiso.run.outcome import RunOutcome, run_outcome
from chiso.settings import environment_whole, positive_whole

BATCH_DOCUMENTS_ENV = "CHISO_BATCH_DOCUMENTS"
BATCH_OBSERVATIONS_ENV = "CHISO_BATCH_OBSERVATIONS"
DEFAULT_BATCH_DOCUMENTS = 100
DEFAULT_BATCH_OBSERVATIONS = 100_000
"""A batch closes at whichever comes first. 100 files of a mixed night are ~60k observations;
one OCR'd yearbook can be 100k alone, so the row limit is what bounds a night of big files."""

Outcome = ProcessedDocument | Rejected
"""What reading one file gives: its document, or why it could not be read."""

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
DossierDates = Mapping[tuple[str, date], set[date]]


class Pending(Protocol[T_co]):
    """A submitted piece of work (a Prefect, Dask or concurrent.futures future)."""

    def result(self) -> T_co: ...


@dataclass(frozen=True)
class BatchLimits:
    """How much of a night is validated and landed at once."""

    documents: int = DEFAULT_BATCH_DOCUMENTS
    observations: int = DEFAULT_BATCH_OBSERVATIONS

    @classmethod
    def chosen(cls, documents: int | None = None, observations: int | None = None) -> BatchLimits:
        """The given limits, else CHISO_BATCH_DOCUMENTS / CHISO_BATCH_OBSERVATIONS, else the defaults."""
        return cls(
            positive_whole("batch documents", documents, 0)
            or environment_whole(BATCH_DOCUMENTS_ENV, DEFAULT_BATCH_DOCUMENTS),
            positive_whole("batch observations", observations, 0)
            or environment_whole(BATCH_OBSERVATIONS_ENV, DEFAULT_BATCH_OBSERVATIONS),
        )


def read_ahead(items: Iterable[Any], submit: Callable[[Any], Pending[T]], window: int) -> Iterator[T]:
    """Results of `submit(item)` in the items' order, `window` of them pending besides the one handed on.

    The window is what bounds memory while extraction runs ahead of the gate:
    finished documents wait here only until their batch is taken.
    """
    pending: deque[Pending[T]] = deque()
    remaining = iter(items)
    for item in remaining:
        pending.append(submit(item))
        if len(pending) >= max(1, window):
            break
    while pending:
        result = pending.popleft().result()
        for item in remaining:  # refill before handing the result on: the workers keep reading
            pending.append(submit(item))
            break
        yield result


def _size(outcome: Outcome) -> int:
    return len(outcome.observations) if isinstance(outcome, ProcessedDocument) else 0


def batches(
    outcomes: Iterable[Outcome], limits: BatchLimits, earlier: DossierDates | None = None, phases: Phases | None = None
) -> Iterator[list[Outcome]]:
    """Group what was read into batches within `limits`, in reading order; undated documents of a
    dossier last, dated from every report of the run and of `earlier` runs (chiso.load.warehouse.report_dates).
    `phases.deferred` counts the documents kept back for their dossier."""
    dates: defaultdict[tuple[str, date], set[date]] = defaultdict(set)
    for key, known in (earlier or {}).items():
        dates[key] |= known
    deferred: list[ProcessedDocument] = []
    current: list[Outcome] = []
    rows = 0

    def add(outcome: Outcome) -> list[Outcome] | None:
        nonlocal current, rows
        current.append(outcome)
        rows += _size(outcome)
        if len(current) < limits.documents and rows < limits.observations:
            return None
        full, current, rows = current, [], 0
        return full

    for outcome in outcomes:
        if isinstance(outcome, ProcessedDocument):
            if awaits_report_date(outcome):
                deferred.append(outcome)
                if phases is not None:
                    phases.deferred += 1
                continue
            for key, found in report_dates_of([outcome]).items():
                dates[key] |= found
        if (full := add(outcome)) is not None:
            yield full
    inherit_report_dates(deferred, dates)
    for document in deferred:
        if (full := add(document)) is not None:
            yield full
    if current:
        yield current


@dataclass
class Phases:
    """Where a night's time went, summed over its batches (a line of the run's log)."""

    batches: int = 0
    documents: int = 0
    deferred: int = 0
    largest: int = 0
    """Observations of the largest batch."""
    waiting: float = 0.0
    """Waiting for extraction (reading ahead hides it while the gate runs)."""
    validating: float = 0.0
    landing: float = 0.0

    def line(self) -> str:
        return (f"{self.documents} documents in {self.batches} batches (largest {self.largest} observations,"
                f" {self.deferred} undated dossier documents last): waited {self.waiting:.1f} s for extraction,"
                f" validated {self.validating:.1f} s, landed {self.landing:.1f} s")


Validate = Callable[[pl.DataFrame], tuple[GateResult, pl.DataFrame]]
Land = Callable[[Path, RunOutcome, str, datetime], None]


def validate_frame(observations: pl.DataFrame) -> tuple[GateResult, pl.DataFrame]:
    """The Great Expectations gate on one batch: its verdict, and the frame with arithmetic flags.

    Flags (an amount total that differs from its rows, a cell that breaks its
    printed formula such as "9=7/1") never change a value or hold anything:
    they are stored with the observation and shown in the quality report.
    """
    from chiso.quality import totals_checks, validate_batch
    from chiso.quality.severity import flag_discrepancies

    totals = totals_checks(observations)
    gate = validate_batch(observations, totals)  # the `arithmetic` suite tells rounding from discrepancies
    assert gate.arithmetic is not None, "validate_batch always judges the arithmetic"
    return gate, flag_discrepancies(observations, totals, gate.arithmetic)


def land_outcome(building: Path, outcome: RunOutcome, run_id: str, loaded_at: datetime) -> None:
    """Append one batch's rows to the build copy (one transaction: a retry never lands a batch twice)."""
    load.land_batch(
        building, outcome.documents, outcome.observations, outcome.quarantined, run_id, loaded_at,
        outcome.unresolved, outcome.warnings, outcome.held_cells,
    )  # fmt: skip


@dataclass
class Night:
    """A run being landed batch by batch: where it lands, and what it has landed so far."""

    building: Path
    """The run's build copy of the warehouse (chiso.load.build.Build.database)."""
    quarantine: Path
    """Where copies of held files wait until the run publishes (Build.quarantine)."""
    run_id: str
    now: datetime
    summary: RunSummary
    validations: history.RunValidations = field(default_factory=history.RunValidations)
    phases: Phases = field(default_factory=Phases)


_COUNTS = ("checks_failed", "documents_loaded", "documents_quarantined", "observations_loaded",
           "observations_flagged", "observations_held", "unresolved_labels", "warnings")


def _add(total: RunSummary, part: RunSummary) -> None:
    for name in _COUNTS:
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.quarantined.extend(part.quarantined)


def _timed(items: Iterable[T], phases: Phases) -> Iterator[T]:
    """`items`, counting the time spent waiting for each as extraction time."""
    iterator = iter(items)
    while True:
        start = time.perf_counter()
        try:
            item = next(iterator)
        except StopIteration:
            return
        finally:
            phases.waiting += time.perf_counter() - start
        yield item


def ingest(
    outcomes: Iterable[Outcome],
    night: Night,
    limits: BatchLimits,
    earlier: DossierDates | None = None,
    validate: Validate = validate_frame,
    land: Land = land_outcome,
) -> None:
    """Validate and land `outcomes` batch by batch into `night.building`; the counts go to `night.summary`.

    `validate` and `land` are the steps a flow may wrap (as Prefect tasks, with retries); the
    rest of the run — the run's record, dbt, publishing — is the caller's, after the last batch.
    """
    phases = night.phases
    for group in _timed(batches(outcomes, limits, earlier, phases), phases):
        processed = [o for o in group if isinstance(o, ProcessedDocument)]
        rejected = [o for o in group if isinstance(o, Rejected)]
        start = time.perf_counter()
        gate, observations = validate(frames.observations_frame(processed))
        middle = time.perf_counter()
        part = RunSummary(run_id=night.run_id)
        outcome = run_outcome(processed, rejected, observations, gate, night.run_id, night.now, part)
        for source, reasons in outcome.copies:
            quarantine_copy(source, reasons, night.quarantine, night.run_id)
        land(night.building, outcome, night.run_id, datetime.now())
        history.write_check_results(
            night.building, history.check_results(gate, outcome.quarantined, night.run_id, night.now)
        )
        night.validations.add(gate.validations)
        _add(night.summary, part)
        phases.validating += middle - start
        phases.landing += time.perf_counter() - middle
        phases.batches += 1
        phases.documents += len(group)
        phases.largest = max(phases.largest, observations.height)
