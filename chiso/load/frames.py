"""Processed documents → the long Polars frames that are validated and loaded.

One row per observation, with the landing table's columns, so the frame that
Great Expectations validates is exactly the frame that gets loaded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import polars as pl

from chiso.columns import Columns
from chiso.indicators.interpret import interpret, source_key
from chiso.normalize.text import clean
from chiso.process import ProcessedDocument

OBSERVATION_SCHEMA: Columns = {
    "observation_id": pl.String,
    "document_id": pl.String,
    "seq": pl.Int32,
    "indicator_code": pl.String,
    "breakdown": pl.String,
    "indicator_label": pl.String,
    "value": pl.Float64,
    "unit": pl.String,
    "entity_name": pl.String,
    "entity_level": pl.String,
    "province": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "page": pl.Int32,
    "table_ref": pl.String,
    "row_label": pl.String,
    "column_label": pl.String,
    "column_code": pl.String,
    "source_text": pl.String,
    "extraction_method": pl.String,
    "is_total": pl.Boolean,
    "quality_flag": pl.String,
    "status": pl.String,
}


def observation_id(document_id: str, seq: int) -> str:
    """Stable across re-runs of the same file: the same bytes give the same ids."""
    return hashlib.sha256(f"{document_id}:{seq}".encode()).hexdigest()[:32]


def observations_frame(documents: Iterable[ProcessedDocument]) -> pl.DataFrame:
    """One row per observation; its measure and breakdown read from the printed label (chiso.indicators)."""
    rows = []
    for doc in documents:
        document_id = doc.source.sha256
        source = source_key(doc.source.name, doc.meta.title, doc.meta.issuer)
        subject = clean(doc.meta.title)
        for seq, obs in enumerate(doc.observations):
            label = clean(obs.indicator_label)
            meaning = interpret(label, source, subject)
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
    return pl.DataFrame(rows, schema=OBSERVATION_SCHEMA)


def document_row(doc: ProcessedDocument, status: str, run_id: str, now: datetime) -> dict[str, Any]:
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
