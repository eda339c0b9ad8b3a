"""A structured table → one `Observation` per printed number.

Every numeric body cell is a fact (a printed 0 too; a blank or a dash is
not). The indicator is named by the column's header path; the row label is
kept as printed and the entity is left `unresolved` for the entity stage,
which knows districts, agencies and provinces and turns category rows
("Bí thư cấp ủy") into indicator suffixes.

Dating follows the corpus conventions: a year in the column header ("Năm
2019", "Chỉ số CCHC năm 2022") dates that column; otherwise the table's
as-of date ("Tính đến 31/7/2022"), else the end of its closed period
("nhiệm kỳ 2015 - 2020" → 2020-12-31), else the report's data date.
"""

from __future__ import annotations

import re
from datetime import date

from chiso.model import Observation, Unit
from chiso.normalize.dates import find_period
from chiso.normalize.text import clean, fold
from chiso.tables.cells import cell_number
from chiso.tables.structure import StructuredTable

_PERCENT_HEADER = re.compile(r"\bty le\b|(?<![\d\s])\s*%|^%|\bphan tram\b|\bpercent")
"""'Tỷ lệ (%)', 'Đạt %' — but not 'Số phải giảm (10%)', a count with its target rate."""
_RANK_HEADER = re.compile(r"\b(xep hang|thu hang|rank|ranking)\b")
_SCORE_WORDS = re.compile(r"\bdiem\b|\bchi so\b|\bscore\b|\bindex\b")
_MONEY = re.compile(r"\b(trieu dong|ty dong|nghin dong|ngan dong|millions? (of )?dong|billions? (of )?dong|usd|vnd)\b")


def _column_unit(header: str, table_scores: bool, table_money: bool) -> Unit:
    """percent, score, amount or count, from the column's header and the table.

    A cell printed with a % sign is a percentage whatever its column says.
    """
    key = fold(header)
    if _PERCENT_HEADER.search(key):
        return "percent"
    if _RANK_HEADER.search(key):
        return "count"
    if table_scores or _SCORE_WORDS.search(key):
        return "score"
    if table_money:
        return "amount"
    return "count"


def _column_period(header: str) -> tuple[date, date] | None:
    return find_period(header) if header else None


def table_observations(table: StructuredTable, data_date: date | None) -> list[Observation]:
    """One observation per numeric value cell of the table's body."""
    context_key = fold(" ".join(table.context))
    headers_key = fold(" ".join(table.header_paths))
    table_scores = bool(_SCORE_WORDS.search(headers_key) and "diem" in headers_key + context_key)
    table_money = bool(_MONEY.search(context_key + " " + headers_key))
    observations: list[Observation] = []
    for column in table.value_columns:
        header = table.header_paths[column] if column < len(table.header_paths) else ""
        code = table.column_codes[column] if column < len(table.column_codes) else None
        column_unit = _column_unit(header, table_scores, table_money)
        column_period = _column_period(header)
        if column_period:
            start, end = column_period
        elif table.as_of:
            start, end = None, table.as_of
        elif table.period:
            start, end = table.period
        else:
            start, end = None, data_date
        for row in table.body:
            text = clean(row.cells[column]) if column < len(row.cells) and row.cells[column] else ""
            parsed = cell_number(text)
            if parsed is None:
                continue
            unit: Unit = "percent" if "%" in text else column_unit
            observations.append(
                Observation(
                    indicator_label=header,
                    value=parsed.value,
                    unit=unit,
                    entity_name=row.label,
                    entity_level="unresolved",
                    province=None,
                    period_end=end,
                    period_start=start,
                    page=row.page if row.page is not None else table.page,
                    table_ref=table.table_ref,
                    row_label=row.label,
                    column_label=header,
                    column_code=code,
                    source_text=text,
                    extraction_method=table.method,
                    is_total=row.is_total,
                )
            )
    return observations
