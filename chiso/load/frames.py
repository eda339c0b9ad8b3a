"""Processed documents → the long Polars frames that are validated and loaded.

One row per observation, in the landing contract's schema (chiso.load.contract),
so the frame that Great Expectations validates is exactly the frame that gets loaded.
A row names every column itself: a column added to the contract but not filled
here fails tests/test_landing_contract.py instead of landing as nulls.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import polars as pl

from chiso.columns import Columns
from chiso.indicators.interpret import interpret, source_key
from chiso.load.contract import OBSERVATIONS
from chiso.normalize.text import clean
from chiso.process import ProcessedDocument

OBSERVATION_SCHEMA: Columns = OBSERVATIONS.frame_schema()
"""landing.observations without what the loader stamps (run_id, loaded_at), as the gate validates it."""


def observation_id(document_id: str, seq: int) -> str:
    """Stable across re-runs of the same file: the same bytes give the same ids."""
    return hashlib.sha256(f"{document_id}:{seq}".encode()).hexdigest()[:32]


def observations_frame(documents: Iterable[ProcessedDocument]) -> pl.DataFrame:
    """One row per observation, in the landing contract's schema."""
    return pl.DataFrame([row for doc in documents for row in observation_rows(doc)], schema=OBSERVATION_SCHEMA)


def observation_rows(doc: ProcessedDocument) -> list[dict[str, Any]]:
    """A document's observations as landing rows; each measure and breakdown read from the printed label (chiso.indicators)."""
    document_id = doc.source.sha256
    source = source_key(doc.source.name, doc.meta.title, doc.meta.issuer)
    title = clean(doc.meta.title)
    rows = []
    for seq, obs in enumerate(doc.observations):
        label = clean(obs.indicator_label)
        table_title = clean(obs.table_title) or None
        meaning = interpret(label, source, table_title or "", title)
        rows.append(
            {
                "observation_id": observation_id(document_id, seq),
                "document_id": document_id,
                "seq": seq,
                "indicator_code": meaning.code,
                "breakdown": meaning.breakdown,
                "indicator_label": label,
                "value": obs.value,
                "unit": obs.unit,
                "entity_name": clean(obs.entity_name) or None,
                "entity_level": obs.entity_level,
                "province": obs.province,
                "period_start": obs.period_start,
                "period_end": obs.period_end,
                "page": obs.page,
                "table_ref": obs.table_ref,
                "table_title": table_title,
                "row_label": obs.row_label,
                "column_label": obs.column_label,
                "column_code": obs.column_code,
                "source_text": obs.source_text,
                "extraction_method": obs.extraction_method,
                "is_total": obs.is_total,
                "quality_flag": obs.quality_flag,
                "status": obs.status,
            }
        )
    return rows


def document_row(doc: ProcessedDocument, status: str, run_id: str, now: datetime) -> dict[str, Any]:
    """A landing.documents row (DOCUMENTS' columns, every one named; tests/test_landing_contract.py checks)."""
    meta = doc.meta
    return {
        "document_id": doc.source.sha256,
        "source_file": doc.source.name,
        "source_path": doc.source.relative_path,
        "format": doc.format,
        "doc_number": meta.doc_number,
        "issuer": meta.issuer,
        "issue_date": meta.issue_date,
        "province": meta.province,
        "title": meta.title,
        "pages": doc.pages,
        "data_date": meta.data_date,
        "status": status,
        "first_seen_at": now,
        "run_id": run_id,
    }
