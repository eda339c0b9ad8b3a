"""The nightly Prefect flow: discover → extract → normalize → validate → load → dbt build → publish.

Tasks are thin wrappers around the `chiso` library; all rules live there. The
flow works on a copy of the warehouse and publishes it only when the load and
`dbt build` both succeed, so a failed night leaves yesterday's data in place.

No `from __future__ import annotations` here: Prefect validates a served run's
parameters with a Pydantic model built from the flow's signature in the
runner's process, where the module is loaded from its file and a string
annotation ('OnDeleted') cannot be resolved — every served night failed
before it began. The annotations are evaluated where they are written.
"""

import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.context import FlowRunContext
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from chiso.discover import Discovery, SourceFile, discover
from chiso.indicators.remap import catalog_outdated
from chiso.interpret.dossier import PROSE_METHODS
from chiso.load import build, increment
from chiso.load import warehouse as load
from chiso.load.dbt import DbtResult, run_dbt
from chiso.model import BadInputError
from chiso.process import ProcessedDocument
from chiso.quality import history
from chiso.quality.gate import GateResult
from chiso.run import batch, inflight, lifecycle, noop, stream, workers
from chiso.run.lifecycle import OnDeleted
from chiso.run.lock import WarehouseLock
from chiso.run.outcome import RunOutcome
from chiso.run.progress import track
from chiso.run.retry import is_transient
from flows.retries import RETRY_TRANSIENT

# Large in-memory values pass between tasks; hashing them for a cache would cost
# time and buy nothing (a re-run is decided by content hashes, not task caches).
TASK_OPTIONS = {"cache_policy": NONE, "persist_result": False}


@task(name="discover", **TASK_OPTIONS, **RETRY_TRANSIENT)
def discover_files(raw_dir: Path, warehouse: Path, on_deleted: OnDeleted = "retract") -> tuple[Discovery, batch.RunPlan]:
    discovery = discover(raw_dir)
    plan = batch.plan_run(discovery, load.known_documents(warehouse), on_deleted)
    get_run_logger().info(
        "%d files found, %d new, %d unchanged", len(discovery.files), len(plan.new), len(plan.unchanged)
    )
    return discovery, plan


@task(name="extract", task_run_name="extract {source.relative_path}", **TASK_OPTIONS, **RETRY_TRANSIENT)
def extract(source: SourceFile, guard: inflight.Guard) -> ProcessedDocument | batch.Rejected:
    """Read one file (in a worker process, chiso.run.workers; alone in a limited child if it killed an
    earlier run, chiso.run.inflight); an unreadable file becomes a Rejected value, never a crash of the
    run. A transient failure (I/O, a share's hiccup) is retried, not held: the file is fine, and
    holding it would register its content as rejected for good."""
    try:
        return guard.read(source, workers.process)
    except BadInputError as error:
        get_run_logger().warning("%s rejected: %s", source.relative_path, error)
        return batch.Rejected(source, str(error))
    except Exception as error:  # one bad file must not stop the batch
        if is_transient(error):
            raise
        get_run_logger().exception("%s failed to extract", source.relative_path)
        return batch.Rejected(source, f"extraction failed: {type(error).__name__}: {error}")


@task(name="validate", **TASK_OPTIONS)
def validate(observations: pl.DataFrame) -> tuple[GateResult, pl.DataFrame]:
    """The Great Expectations gate on one batch (chiso.run.stream.validate_frame): its verdict, and
    the frame with arithmetic flags; chiso.run.batch.apply_gate says which rows and documents are held."""
    return stream.validate_frame(observations)


@task(name="load", **TASK_OPTIONS, **RETRY_TRANSIENT)
def load_landing(building: Path, outcome: RunOutcome, run_id: str, loaded_at: datetime) -> None:
    stream.land_outcome(building, outcome, run_id, loaded_at)


@task(name="dbt build", **TASK_OPTIONS)
def dbt_build(building: Path, target_dir: Path, args: list[str]) -> DbtResult:
    return run_dbt(args, building, target_dir=target_dir)


@task(name="report", **TASK_OPTIONS)
def quality_report(warehouse: Path, raw: Path, validations: list[tuple[Any, Any]]) -> None:
    """Keep the run's GX results (Data Docs) and rebuild the data-quality report; a failure here is logged, never fatal."""
    from chiso.report import build_report

    try:
        if validations:
            history.keep_validations(validations, history.gx_directory(warehouse))
        built = build_report(warehouse, raw_dirs=[raw])
        get_run_logger().info("quality report: %s (%.1f s)", built.index, built.seconds)
    except Exception:  # noqa: BLE001 - the warehouse is published; a report problem must not fail the run
        get_run_logger().exception("the quality report could not be built")


@flow(name="nightly", task_runner=ThreadPoolTaskRunner(max_workers=workers.task_threads()), log_prints=True)
def nightly(
    raw_dir: str = "raw",
    warehouse: str = "warehouse/chiso.duckdb",
    quarantine_dir: str | None = None,
    wait: float = 0.0,
    on_deleted: OnDeleted = "retract",
    full_refresh: bool = False,
    batch_documents: int | None = None,
    batch_observations: int | None = None,
) -> batch.RunSummary:
    """Ingest every new file of `raw_dir` into the warehouse and publish it.

    The run holds the warehouse's writer lock throughout; a second run waits
    `wait` seconds for it, then fails saying who holds it (chiso.run.lock). A file
    deleted from `raw_dir` is retracted, or kept and marked with `on_deleted="keep"`
    (chiso.run.lifecycle). The marts are built incrementally unless `full_refresh` or a
    change of catalog, reference data or models asks for a full rebuild (chiso.load.increment).
    Documents are validated and landed in batches of at most `batch_documents` files or
    `batch_observations` observations (default: CHISO_BATCH_DOCUMENTS / CHISO_BATCH_OBSERVATIONS,
    else chiso.run.stream's), so memory does not grow with the night.
    """
    target = Path(warehouse).resolve()
    with WarehouseLock(target, wait):
        limits = stream.BatchLimits.chosen(batch_documents, batch_observations)
        return _ingest(Path(raw_dir).resolve(), target, quarantine_dir, on_deleted, full_refresh, limits)


def _ingest(
    raw: Path, target: Path, quarantine_dir: str | None, on_deleted: OnDeleted, full_refresh: bool = False,
    limits: stream.BatchLimits | None = None,
) -> batch.RunSummary:
    logger = get_run_logger()
    held_dir = Path(quarantine_dir).resolve() if quarantine_dir else target.parent / "quarantine"
    run_id = str(flow_run.get_id() or uuid.uuid4())
    started = datetime.now()
    summary = batch.RunSummary(run_id=run_id, warehouse=str(target))
    summary.changes = build.clear_leftovers(target)  # what killed runs left: we hold the lock
    guard = inflight.Guard.start(target, run_id)

    discovery, plan = discover_files(raw, target, on_deleted)
    summary.documents_seen, summary.documents_new = len(discovery.files), len(plan.new)
    summary.ignored = discovery.ignored
    summary.changes += [change.line() for change in plan.lifecycle.changes if change.kind != "new"]
    marts = increment.plan_marts(target, full_refresh)
    if not plan.changes_warehouse and not catalog_outdated(target) and not marts.full_refresh:
        print(summary.render())
        try:  # a quiet night is a point of the trend too: one insert, no dbt (chiso.run.noop)
            recorded = noop.record_noop(target, run_id, started, datetime.now(), summary.documents_seen,
                                        len(summary.ignored))
        except Exception as error:  # noqa: BLE001 - recording a quiet night must never fail it
            logger.warning("the run could not be recorded: %s: %s", type(error).__name__, error)
            recorded = False
        if recorded:
            quality_report(target, raw, [])
        return summary

    run_build = build.Build.start(target, run_id)  # copies wait in it until the run publishes
    building = run_build.database
    limits = limits or stream.BatchLimits.chosen()
    night = stream.Night(building, run_build.quarantine, run_id, datetime.now(), summary)
    try:
        run_build.stage(target)
        load.retire_replaced(building, plan.replaced_hashes)
        earlier = load.report_dates(target, PROSE_METHODS)
        with closing(_extracted(plan.new, guard, window=limits.documents)) as extracted:  # a failed batch stops the pool
            stream.ingest(extracted, night, limits, earlier, validate=validate, land=load_landing)
        logger.info("landed %s", night.phases.line())
        now = datetime.now()
        load.finish_landing(building, summary.record(started, now))
        lifecycle.record(building, plan.lifecycle, run_id, len(discovery.ignored), now)
        increment.record_build(building, run_id, marts, now)
        summary.changes.append(marts.line())
        building_since = time.perf_counter()
        result = dbt_build(building, run_build.dbt_target, marts.dbt_args())
        logger.info("dbt build (%s): %.1f s", marts.mode, time.perf_counter() - building_since)
        if not result.success:
            raise RuntimeError(f"dbt build failed: {'; '.join(result.failures) or result.log_tail}")
        run_build.publish(target, held_dir)
        summary.published = True
    except Exception as error:
        run_build.discard()
        summary.error = str(error)
        logger.error(summary.render())
        raise
    print(summary.render())
    quality_report(target, raw, night.validations.results)
    return summary


def _extracted(sources: list[SourceFile], guard: inflight.Guard, window: int) -> Iterator[ProcessedDocument | batch.Rejected]:
    """Every new file read, in order, at most `window` ahead of the batch being landed (chiso.run.stream).
    Under the default task runner the reading happens in worker processes (both cores); under a Dask
    runner each task already runs on a Dask worker. The pool stops once the last file is read."""
    local = isinstance(FlowRunContext.get().task_runner, ThreadPoolTaskRunner)
    with workers.extraction_pool(len(sources) if local else 0) as pool:
        def submit(source: SourceFile) -> stream.Pending[ProcessedDocument | batch.Rejected]:
            return extract.submit(source, guard)

        yield from track(stream.read_ahead(sources, submit, window), len(sources), "extracting")
    if pool is not None:
        get_run_logger().info("extracted %d files in %d worker processes: %s", len(sources), pool.jobs, pool.usage)
