"""Where the flow's extract tasks run: worker processes on this machine, or a Dask cluster.

The flow is the same either way; only its task runner changes. With a Dask
scheduler address each file is read by a Dask worker (`prefect-dask`'s
DaskTaskRunner), so a backfill of an archive spreads over every machine of the
cluster; the workers need chiso installed and the raw folder at the same path
(shared storage). Loading, `dbt build` and publishing stay in the flow's own
process: one writer per warehouse.
"""

from __future__ import annotations

from typing import Any

from prefect import Flow

from chiso.run.batch import RunSummary
from flows.nightly import nightly


def nightly_on(dask_address: str | None = None, **cluster: Any) -> Flow[..., RunSummary]:
    """The nightly flow, its extraction on the Dask scheduler at `dask_address` when given.

    `cluster` (without an address) starts a temporary Dask cluster of that shape
    instead, e.g. `cluster_class="distributed.LocalCluster", cluster_kwargs={...}`.
    """
    if dask_address is None and not cluster:
        return nightly
    from prefect_dask import DaskTaskRunner

    runner = DaskTaskRunner(address=dask_address) if dask_address else DaskTaskRunner(**cluster)
    return nightly.with_options(task_runner=runner)
