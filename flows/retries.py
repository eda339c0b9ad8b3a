"""Prefect task retries for transient failures only (the rule lives in chiso.run.retry)."""

from __future__ import annotations

from typing import Any

from chiso.run.retry import BACKOFF_SECONDS, RETRIES, is_transient


def _transient_failure(task: Any, task_run: Any, state: Any) -> bool:
    try:
        state.result()
    except Exception as error:  # noqa: BLE001 - the failure is what is being judged
        return is_transient(error)
    return False


RETRY_TRANSIENT = {
    "retries": RETRIES,
    "retry_delay_seconds": list(BACKOFF_SECONDS),
    "retry_jitter_factor": 0.2,
    "retry_condition_fn": _transient_failure,
}
"""Task options: up to three retries with growing waits, and only when `is_transient` says so."""
