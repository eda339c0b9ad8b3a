"""The nightly Prefect flow: discover → extract → normalize → validate → load → dbt build → publish.

Tasks are thin wrappers around the `chiso` library; all rules live there. The
flow works on a copy of the warehouse and publishes it only when the load and
`dbt build` both succeed, so a failed night leaves yesterday's data in place.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task, unmapped
from prefect.cache_policies import NONE
from prefect.context import FlowRunContext
from prefect.futures import as_completed
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from chiso.discover import Discovery, SourceFile, discover
from chiso.indicators.remap import catalog_outdated
from chiso.interpret.dossier import PROSE_METHODS, inherit_report_dates
from chiso.load import build, frames, increment
from chiso.load import warehouse as load
from chiso.model import BadInputError
from chiso.process import ProcessedDocument
from chiso.quality import history
from chiso.run import batch, inflight, lifecycle, workers
from chiso.run.lock import WarehouseLock
from chiso.run.outcome import run_outcome
from chiso.run.progress import track
from chiso.run.retry import is_transient
from flows.retries import RETRY_TRANSIENT

# Large in-memory values pass between tasks; hashing them for a cache would cost
# time and buy nothing (a re-run is decided by content hashes, not task caches).
TASK_OPTIONS = {"cache_policy": NONE, "persist_result": False}


@task(name="discover", **TASK_OPTIONS, **RETRY_TRANSIENT)
def discover_files(raw_dir: Path, warehouse: Path, on_deleted: str = "retract") -> tuple[Discovery, batch.RunPlan]:
    discovery = discover(raw_dir)
    plan = batch.plan_run(discovery, load.known_documents(warehouse), on_deleted)  # type: ignore[arg-type]
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
def validate(observations):  # type: ignore[no-untyped-def]
    """Run the Great Expectations gate; return its verdict and the frame with arithmetic flags.

    Flags (an amount total that differs from its rows, a cell that breaks its
    printed formula such as "9=7/1") never change a value or hold anything:
    they are stored with the observation and shown in the quality report. The
    verdict says which rows and which documents are held (chiso.run.batch.apply_gate).
    """
    from chiso.quality import totals_checks, validate_batch
    from chiso.quality.severity import flag_discrepancies

    totals = totals_checks(observations)
    gate = validate_batch(observations, totals)  # the `arithmetic` suite tells rounding from discrepancies
    return gate, flag_discrepancies(observations, totals, gate.arithmetic)


@task(name="load", **TASK_OPTIONS, **RETRY_TRANSIENT)
def load_landing(building: Path, documents, observations, quarantined, replaced, record, unresolved, warnings, held_cells) -> None:  # type: ignore[no-untyped-def]
    load.write_landing(
        building, documents, observations, quarantined, replaced, record, unresolved, warnings, held_cells
    )


@task(name="dbt build", **TASK_OPTIONS)
def dbt_build(building: Path, target_dir: Path, args: list[str]):  # type: ignore[no-untyped-def]
    from chiso.load.dbt import run_dbt

    return run_dbt(args, building, target_dir=target_dir)


@task(name="report", **TASK_OPTIONS)
def quality_report(warehouse: Path, raw: Path, validations) -> None:  # type: ignore[no-untyped-def]
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
    on_deleted: str = "retract",
    full_refresh: bool = False,
) -> batch.RunSummary:
    """Ingest every new file of `raw_dir` into the warehouse and publish it.

    The run holds the warehouse's writer lock throughout; a second run waits
    `wait` seconds for it, then fails saying who holds it (chiso.run.lock). A file
    deleted from `raw_dir` is retracted, or kept and marked with `on_deleted="keep"`
    (chiso.run.lifecycle). The marts are built incrementally unless `full_refresh` or a
    change of catalog, reference data or models asks for a full rebuild (chiso.load.increment).
    """
    target = Path(warehouse).resolve()
    with WarehouseLock(target, wait):
        return _ingest(Path(raw_dir).resolve(), target, quarantine_dir, on_deleted, full_refresh)


def _ingest(
    raw: Path, target: Path, quarantine_dir: str | None, on_deleted: str, full_refresh: bool = False
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
        if target.exists():  # a quiet night is a point of the trend too
            if problem := history.record_quiet_run(target, summary.record(started, datetime.now())):
                logger.warning("the run could not be recorded: %s", problem)
            quality_report(target, raw, [])
        return summary

    outcomes = _extract_all(plan.new, guard)
    processed = [o for o in outcomes if isinstance(o, ProcessedDocument)]
    rejected = [o for o in outcomes if isinstance(o, batch.Rejected)]
    inherit_report_dates(processed, load.report_dates(target, PROSE_METHODS))

    gate, observations = validate(frames.observations_frame(processed))
    now = datetime.now()
    outcome = run_outcome(processed, rejected, observations, gate, run_id, now, summary)
    run_build = build.Build.start(target, run_id)  # copies wait in it until the run publishes
    for source, reasons in outcome.copies:
        batch.quarantine_copy(source, reasons, run_build.quarantine, run_id)

    building = run_build.database
    try:
        run_build.stage(target)
        record = summary.record(started, datetime.now())
        load_landing(
            building, outcome.documents, outcome.observations, outcome.quarantined, plan.replaced_hashes, record,
            outcome.unresolved, outcome.warnings, outcome.held_cells,
        )
        lifecycle.record(building, plan.lifecycle, run_id, len(discovery.ignored), now)
        history.write_check_results(building, history.check_results(gate, outcome.quarantined, run_id, now))
        increment.record_build(building, run_id, marts, now)
        summary.changes.append(marts.line())
        result = dbt_build(building, run_build.dbt_target, marts.dbt_args())
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
    quality_report(target, raw, gate.validations)
    return summary


def _extract_all(sources: list[SourceFile], guard: inflight.Guard) -> list[ProcessedDocument | batch.Rejected]:
    """Every new file read, in order. Under the default task runner the reading happens in worker
    processes (both cores); under a Dask runner each task already runs on a Dask worker."""
    local = isinstance(FlowRunContext.get().task_runner, ThreadPoolTaskRunner)
    with workers.extraction_pool(len(sources) if local else 0) as pool:
        futures = extract.map(sources, guard=unmapped(guard))
        for _ in track(as_completed(futures), len(sources), "extracting"):
            pass
        outcomes = [future.result() for future in futures]
    if pool is not None:
        get_run_logger().info("extracted %d files in %d worker processes: %s", len(sources), pool.jobs, pool.usage)
    return outcomes
