"""Documents issued together: an undated appendix takes its report's data date.

A province's report and its appendix tables ("Biểu số 1…7") are issued on the
same day, often as separate files; an appendix that prints no as-of date of its
own refers to the report's figures ("số liệu tính đến 30/6/2022"), not to the
day it was signed. Within one run, files of the same province and issue date
form a dossier, and the data date of its one narrative report (a document with
running text that states a data date) dates the appendices' undated figures.
Reports loaded by earlier runs count too (`earlier`, from chiso.load.warehouse.report_dates),
so an appendix that arrives a night after its report is dated the same way; an
appendix loaded before its report is not re-dated when the report arrives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from chiso.interpret.narrative.periods import fallback_date
from chiso.process import ProcessedDocument
from chiso.read.registry import PROSE_METHODS  # a document with figures read from prose is a narrative report

__all__ = ["PROSE_METHODS", "inherit_report_dates"]


def _dossier_key(doc: ProcessedDocument) -> tuple[str, date] | None:
    meta = doc.meta
    if not meta.province or not meta.issue_date or meta.issue_month_only:
        return None
    return meta.province, meta.issue_date


def awaits_report_date(doc: ProcessedDocument) -> bool:
    """An undated document of a dossier: its date may come from a report read later in the same run."""
    return not doc.meta.data_date and _dossier_key(doc) is not None


def report_dates_of(documents: Iterable[ProcessedDocument]) -> dict[tuple[str, date], set[date]]:
    """(province, issue date) → data dates of the narrative reports among `documents`."""
    found: dict[tuple[str, date], set[date]] = defaultdict(set)
    for doc in documents:
        key = _dossier_key(doc)
        has_prose = any(o.extraction_method in PROSE_METHODS for o in doc.observations)
        if key and doc.meta.data_date and has_prose:
            found[key].add(doc.meta.data_date)
    return dict(found)


def inherit_report_dates(
    documents: list[ProcessedDocument], earlier: Mapping[tuple[str, date], set[date]] | None = None
) -> None:
    """Re-date, in place, figures of undated appendices that only had their issue date."""
    report_dates: dict[tuple[str, date], set[date]] = defaultdict(set)
    for known, known_dates in (earlier or {}).items():
        report_dates[known] |= known_dates
    for report, found in report_dates_of(documents).items():
        report_dates[report] |= found
    for doc in documents:
        key = _dossier_key(doc)
        dates = report_dates.get(key) if key else None
        if doc.meta.data_date or not dates or len(dates) != 1:
            continue
        data_date = next(iter(dates))
        signed = fallback_date(doc.meta)
        doc.observations = [
            replace(o, period_end=data_date) if o.period_end == signed and o.period_start is None else o
            for o in doc.observations
        ]
        doc.meta.data_date = data_date
