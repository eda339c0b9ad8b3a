"""The nightly flow with its extraction on a Dask cluster builds the same warehouse as a local run.

A real multi-process `distributed.LocalCluster` (two worker processes, one
thread each) is given to the flow by its scheduler address, exactly as
`chiso run --dask-address tcp://…` does; the files are real corpus documents
(a born-digital PDF, a scanned page, spreadsheets, OCR text and a broken file).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dask")]

FILES = (
    "pdf/hatinh_dang-uy-khoi_tong-ket-xay-dung-tccsd_2021.pdf",
    "scanned/phongtho_489-BC-HU_trang1_scan.pdf",
    "xlsx/haiduong_bieu01_bi-thu-chi-bo-truong-thon_31-7-2022.xlsx",
    "xlsx/haiduong_bieu03_dao-tao-boi-duong_2015-2020.xls",
    "ocr-text/000_5aec168a7511ce7d.txt",
    "bad/tong-ket-de-an-01_tai-ve-loi.pdf",
)

MARTS = {
    "fct_indicator_observation": "observation_id",
    "dim_document": "document_id",
    "dq_quarantine": "document_id, unit, reason",
    "dq_document_outcomes": "document_id",
}
"""Marts compared row for row, with their ordering key; run ids and load times differ by nature."""


@pytest.fixture(scope="module")
def raw(tmp_path_factory, corpus) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    for name in FILES:
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(corpus / name, raw / name)
    return raw


def _rows(warehouse: Path, table: str, order: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = [row[0] for row in con.execute(f"describe marts.{table}").fetchall()]
        kept = ", ".join(c for c in columns if c not in {"run_id", "loaded_at", "first_seen_at", "quarantined_at"})
        return con.execute(f"select {kept} from marts.{table} order by {order}").fetchall()


def test_extraction_on_a_dask_cluster_builds_the_same_warehouse(raw, tmp_path):
    distributed = pytest.importorskip("distributed")
    from flows.runners import nightly_on

    local = tmp_path / "local" / "chiso.duckdb"
    on_dask = tmp_path / "dask" / "chiso.duckdb"
    expected = nightly_on(None)(raw_dir=str(raw), warehouse=str(local))

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        summary = nightly_on(cluster.scheduler_address)(raw_dir=str(raw), warehouse=str(on_dask))
        with distributed.Client(cluster) as client:
            prefixes = client.run_on_scheduler(
                lambda dask_scheduler: {name: dict(p.state_counts) for name, p in dask_scheduler.task_prefixes.items()}
            )
    # Every file was read by a task of the cluster (one `extract` task each, finished on a worker).
    assert prefixes["extract"]["memory"] == len(FILES)

    assert summary.published and summary.error is None
    assert summary.documents_new == expected.documents_new == len(FILES)
    assert summary.documents_quarantined == expected.documents_quarantined == 1
    assert summary.observations_loaded == expected.observations_loaded > 100
    for table, order in MARTS.items():
        assert _rows(on_dask, table, order) == _rows(local, table, order), table
