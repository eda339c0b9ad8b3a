"""The nightly Prefect flow: discover → extract → normalize → validate → load → dbt build → publish.

Tasks are thin wrappers around the `chiso` library; all rules live there. The
flow works on a copy of the warehouse and publishes it only when the load and
`dbt build` both succeed, so a failed night leaves yesterday's data in place.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.context import FlowRunContext
from prefect.futures import as_completed
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from chiso import batch, frames, load, noop, workers
from chiso.discover import Discovery, SourceFile, discover
from chiso.dossier import PROSE_METHODS, inherit_report_dates
from chiso.lock import WarehouseLock
from chiso.model import BadInputError
from chiso.process import ProcessedDocument
from chiso.progress import track
from chiso.retry import is_transient
from flows.retries import RETRY_TRANSIENT

# Large in-memory values pass between tasks; hashing them for a cache would cost
# time and buy nothing (a re-run is decided by content hashes, not task caches).
TASK_OPTIONS = {"cache_policy": NONE, "persist_result": False}


@task(name="discover", **TASK_OPTIONS, **RETRY_TRANSIENT)
def discover_files(raw_dir: Path, warehouse: Path) -> tuple[Discovery, batch.RunPlan]:
    discovery = discover(raw_dir)
    plan = batch.plan_run(discovery, load.known_documents(warehouse))
    get_run_logger().info(
        "%d files found, %d new, %d unchanged", len(discovery.files), len(plan.new), len(plan.unchanged)
    )
    return discovery, plan


@task(name="extract", task_run_name="extract {source.relative_path}", **TASK_OPTIONS, **RETRY_TRANSIENT)
def extract(source: SourceFile) -> ProcessedDocument | batch.Rejected:
    """Read one file (in a worker process, chiso.workers); an unreadable file becomes a Rejected value,
    never a crash of the run. A transient failure (I/O, a share's hiccup) is retried, not held: the
    file is fine, and holding it would register its content as rejected for good."""
    try:
        return workers.process(source)
    except BadInputError as error:
        get_run_logger().warning("%s rejected: %s", source.relative_path, error)
        return batch.Rejected(source, str(error))
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the batch
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
    verdict says which rows and which documents are held (chiso.batch.apply_gate).
    """
    from chiso.quality import flag_total_mismatches, totals_checks, validate_batch
    from chiso.quality.formulas import flag_formula_mismatches

    totals = totals_checks(observations)
    flagged = flag_formula_mismatches(flag_total_mismatches(observations, totals))
    return validate_batch(observations, totals), flagged


@task(name="load", **TASK_OPTIONS, **RETRY_TRANSIENT)
def load_landing(building: Path, documents, observations, quarantined, replaced, record, unresolved, warnings, held_cells) -> None:  # type: ignore[no-untyped-def]
    load.write_landing(
        building, documents, observations, quarantined, replaced, record, unresolved, warnings, held_cells
    )


@task(name="dbt build", **TASK_OPTIONS)
def dbt_build(building: Path):  # type: ignore[no-untyped-def]
    from chiso.dbt import run_dbt

    return run_dbt(["build"], building)


@flow(name="nightly", task_runner=ThreadPoolTaskRunner(max_workers=workers.task_threads()), log_prints=True)
def nightly(
    raw_dir: str = "raw",
    warehouse: str = "warehouse/chiso.duckdb",
    quarantine_dir: str | None = None,
    wait: float = 0.0,
) -> batch.RunSummary:
    """Ingest every new file of `raw_dir` into the warehouse and publish it.

    The run holds the warehouse's writer lock throughout; a second run waits
    `wait` seconds for it, then fails saying who holds it (chiso.lock).
    """
    target = Path(warehouse).resolve()
    with WarehouseLock(target, wait):
        return _ingest(Path(raw_dir).resolve(), target, quarantine_dir)


def _ingest(raw: Path, target: Path, quarantine_dir: str | None) -> batch.RunSummary:
    logger = get_run_logger()
    held_dir = Path(quarantine_dir).resolve() if quarantine_dir else target.parent / "quarantine"
    run_id = str(flow_run.get_id() or uuid.uuid4())
    started = datetime.now()
    summary = batch.RunSummary(run_id=run_id, warehouse=str(target))

    discovery, plan = discover_files(raw, target)
    summary.documents_seen, summary.documents_new = len(discovery.files), len(plan.new)
    summary.ignored = discovery.ignored
    if not plan.new:
        noop.record_noop(target, run_id, started, datetime.now(), summary.documents_seen)
        print(summary.render())
        return summary

    outcomes = _extract_all(plan.new)
    processed = [o for o in outcomes if isinstance(o, ProcessedDocument)]
    rejected = [o for o in outcomes if isinstance(o, batch.Rejected)]
    inherit_report_dates(processed, load.report_dates(target, PROSE_METHODS))

    observations = frames.observations_frame(processed)
    gate, observations = validate(observations)
    outcome = batch.apply_gate(processed, observations, gate)
    summary.checks_failed = gate.checks_failed

    now = datetime.now()
    quarantined = [load.Quarantined(r.source.sha256, r.source.name, "read", r.reason) for r in rejected]
    quarantined += outcome.quarantined
    for item in rejected:
        batch.quarantine_copy(item.source, [item.reason], held_dir, run_id)
    for doc, reasons in outcome.held:
        batch.quarantine_copy(doc.source, reasons, held_dir, run_id)

    documents = [frames.document_row(d, "loaded", run_id, now) for d in outcome.passing]
    documents += [frames.document_row(d, "quarantined", run_id, now) for d, _ in outcome.held]
    documents += [batch.rejected_document_row(r, run_id, now) for r in rejected]
    loaded = outcome.published

    summary.documents_loaded = len(outcome.passing)
    summary.documents_quarantined = len(rejected) + len(outcome.held)
    summary.observations_loaded = loaded.height
    summary.observations_flagged = loaded.filter(loaded["quality_flag"].is_not_null()).height
    summary.observations_held = sum(unit.cells_held or 0 for unit in outcome.quarantined)
    summary.quarantined = quarantined
    unresolved = [(d.source.sha256, label) for d in outcome.passing for label in d.unresolved_labels]
    warnings = [(d.source.sha256, w) for d in processed for w in d.warnings]
    summary.unresolved_labels, summary.warnings = len(unresolved), len(warnings)

    building = load.building_path(target)
    try:
        load.stage_warehouse(target)
        record = summary.record(started, datetime.now())
        load_landing(
            building, documents, loaded, quarantined, plan.replaced_hashes, record, unresolved, warnings,
            outcome.held_cells,
        )
        result = dbt_build(building)
        if not result.success:
            raise RuntimeError(f"dbt build failed: {'; '.join(result.failures) or result.log_tail}")
        load.publish(building, target)
        summary.published = True
    except Exception as error:
        load.discard(building)
        summary.error = str(error)
        logger.error(summary.render())
        raise
    print(summary.render())
    return summary


def _extract_all(sources: list[SourceFile]) -> list[ProcessedDocument | batch.Rejected]:
    """Every new file read, in order. Under the default task runner the reading happens in worker
    processes (both cores); under a Dask runner each task already runs on a Dask worker."""
    local = isinstance(FlowRunContext.get().task_runner, ThreadPoolTaskRunner)
    with workers.extraction_pool(len(sources) if local else 0) as pool:
        futures = extract.map(sources)
        for _ in track(as_completed(futures), len(sources), "extracting"):
            pass
        outcomes = [future.result() for future in futures]
    if pool is not None:
        get_run_logger().info("extracted %d files in %d worker processes: %s", len(sources), pool.jobs, pool.usage)
    return outcomes
