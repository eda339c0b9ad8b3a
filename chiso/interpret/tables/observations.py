"""A structured table → one `Observation` per printed number.

Every numeric body cell is a fact (a printed 0 too; a blank or a dash is
not). The indicator is named by the column's header path; the row label is
kept as printed and the entity is left `unresolved` for the entity stage,
which knows districts, agencies and provinces and turns category rows
("Bí thư cấp ủy") into indicator suffixes.

Dating follows the corpus conventions: a year in the column header ("Năm
2019", "Chỉ số CCHC năm 2022") dates that column; otherwise the table's
as-of date ("Tính đến 31/7/2022"), else the end of its closed period
("nhiệm kỳ 2015 - 2020" → 2020-12-31), else the report's data date, else
the year the pipeline knows from the file's name. A long-format table
(one row per province and year) dates each row by its Year/Năm column.
"""

from __future__ import annotations

import re
from datetime import date

from chiso.interpret.sentences import key
from chiso.interpret.tables.cells import cell_number
from chiso.interpret.tables.decimals import SPREADSHEET_METHODS, evidence, is_ambiguous, read_value
from chiso.interpret.tables.periods import Period, is_base_year_header, row_period, year_column
from chiso.interpret.tables.structure import StructuredTable, caption
from chiso.model import MISREAD_CAPTION, Observation, Unit
from chiso.normalize.dates import find_period
from chiso.normalize.text import clean, fold
from chiso.read.registry import OCR_METHODS

_PERCENT_HEADER = re.compile(r"\bty le\b|(?<![\d\s])\s*%|^%|\bphan tram\b|\bpercent")
"""'Tỷ lệ (%)', 'Đạt %' — but not 'Số phải giảm (10%)', a count with its target rate."""
_RANK_HEADER = re.compile(r"\b(xep hang|thu hang|rank|ranking)\b")
_POINTS = r"(?<!trong )(?<!dac )(?<!thoi )(?<!dia )(?<!quan )\bdiem\b"
"""'Điểm' as points, not in 'trọng điểm' (a hotspot), 'đặc điểm', 'thời điểm', 'địa điểm', 'quan điểm'."""
_SCORE_WORDS = re.compile(_POINTS + r"|\bchi so\b|\bscore\b|\bindex\b")
_NAMED_INDEX = re.compile(r"\b(pci|papi|sub-?index|chi so thanh phan)\b")
"""Composite governance indices (VCCI's PCI, UNDP's PAPI): their tables print scores, not counts."""
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


_BARE_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_BARE_RATIO = re.compile(r"^(ty le|ti le)( ?\(?%\)?)?$|^\(?%\)?$")
"""A header that says only 'a share' ('Tỷ lệ (%)', '%'): of what, the column-number row says."""
_RATIO_CODE = re.compile(r"^\s*\d+\s*=\s*(?P<numerator>\d+)\s*/\s*\d+\s*$")
"""'9=7/1': column 9 is column 7 over column 1."""
_COUNT_LEAD = re.compile(r"^(tong so|so)\s+")


_YEAR_LEVEL = re.compile(r"^(nam )?(?:19|20)\d{2}$")
"""A header level that only names a year: '2014', 'Năm 2017' (folded)."""


def _without_year_level(header: str) -> str:
    """'Male / 2014' and 'Năm 2017 / Hoàn thành' measure 'Male' and 'Hoàn thành' in that year: the year
    is the period, not part of the indicator."""
    levels = header.split(" / ")
    kept = [level for level in levels if not _YEAR_LEVEL.match(fold(level).strip())]
    return " / ".join(kept) if kept and len(kept) < len(levels) else header


def _column_period(header: str) -> Period | None:
    """A year in the column's own caption, unless it is a base year ('so với năm 2000').

    A caption level that is nothing but a year ('Male / 2014' in statistical
    yearbooks) dates its column too.
    """
    if not header or is_base_year_header(header):
        return None
    last = header.rsplit(" / ", 1)[-1].strip()
    if _BARE_YEAR.match(last):
        year = int(last)
        return date(year, 1, 1), date(year, 12, 31)
    return find_period(header)


def _is_score_table(table: StructuredTable, context_key: str, headers_key: str) -> bool:
    """Points tables ('Điểm', 'Chỉ số') and the named composite indices, whose every column is a score."""
    if _SCORE_WORDS.search(headers_key) and re.search(_POINTS, f"{headers_key} {context_key}"):
        return True
    return bool(_NAMED_INDEX.search(f"{headers_key} {context_key} {fold(table.sheet_name or '')}"))


_MAXIMUM = re.compile(r"\b(toi da|thang diem|diem chuan|max(imum)? (score|point)s?)\b")
"""'Điểm tối đa', 'Điểm chuẩn tối đa', 'Thang điểm': the scale a unit is scored against."""


def is_blank_form(table: StructuredTable) -> bool:
    """A scoring form with only its maxima filled in (a ministry's criteria table).

    The maxima are the scale, not facts about anyone (corpus conventions: a row
    of maximum scores is not a fact); they are facts only beside the scores
    they bound, as in an appraisal table where each unit has its own maximum.
    """
    filled = [
        column
        for column in table.value_columns
        if any(column < len(row.cells) and cell_number(row.cells[column]) is not None for row in table.body)
    ]
    if not filled:
        return False
    headers = [fold(table.header_paths[c]) if c < len(table.header_paths) else "" for c in filled]
    return all(_MAXIMUM.search(header) for header in headers)


_CAPTION_PUNCTUATION = set("()%,./-–:;=+&'’*")


def garbled_caption(header: str) -> bool:
    """An OCR caption that is no words ('@ ` >” r8 HH! g 1. 8 5 «@©'): its column's meaning is unknown.

    Printed captions are words with ordinary punctuation; a level with stray
    symbols (@, «, ©, quotes), or whose tokens are mostly not words, was
    misread (vertical or tall text, a stamp), and the values under it must say so.
    """
    level = header.rsplit(" / ", 1)[-1]
    visible = [ch for ch in level if not ch.isspace()]
    junk = sum(not ch.isalnum() and ch not in _CAPTION_PUNCTUATION for ch in visible)
    if len(visible) >= 4 and junk >= 3:
        return True
    tokens = level.split()
    words = sum(len(token) >= 2 and token.isalpha() for token in tokens)
    return len(tokens) >= 4 and words < 0.5 * len(tokens)


def ratio_reading(header: str, code: str | None, table: StructuredTable) -> str:
    """What a bare share column is a share of, read from its printed formula: 'Tỷ lệ (%)' coded '9=7/1'
    under 'Tổng số Bí thư chi bộ đồng thời là trưởng thôn' (column 7) reads 'Tỷ lệ Bí thư chi bộ …'.

    The printed header stays the column label; this is the indicator's label,
    the way a reader names it. Without a formula, or when the numerator's
    column is not found, the header is kept as printed.
    """
    found = _RATIO_CODE.match(code or "")
    if not found or not _BARE_RATIO.match(fold(header)):
        return header
    numerator = found.group("numerator")
    columns = [c for c, other in enumerate(table.column_codes) if other and other.strip() == numerator]
    if len(columns) != 1 or columns[0] >= len(table.header_paths):
        return header
    name = _without_year_level(table.header_paths[columns[0]]).rsplit(" / ", 1)[-1]
    lead = _COUNT_LEAD.match(key(name))  # key() keeps every position, so the match cuts the printed name
    name = name[lead.end():] if lead else name
    words = header.split()
    ratio = " ".join(w for w in words if "%" not in w) or "Tỷ lệ"
    if name[1:2].islower():
        name = name[:1].lower() + name[1:]  # 'Bí thư' inside a phrase; 'KDC' stays
    return f"{ratio} {name}" if name else header


def _column_texts(table: StructuredTable, column: int) -> list[str]:
    return [clean(row.cells[column]) for row in table.body if column < len(row.cells) and row.cells[column]]


def table_observations(
    table: StructuredTable,
    data_date: date | None,
    default_period: Period | None = None,
    mixed_decimals: bool = False,
) -> list[Observation]:
    """One observation per numeric value cell of the table's body.

    `default_period` is what the pipeline knows of the file when neither the
    table nor the report names a date (the year in 'PCI_2014.xlsx'): the
    weakest evidence, after the report's data date. `mixed_decimals` says the
    document prints decimals both ways, so an ambiguous '12.345' is flagged
    (chiso.interpret.tables.decimals decides each column's decimal mark).
    """
    context_key = fold(" ".join(table.context))
    headers_key = fold(" ".join(table.header_paths))
    table_scores = _is_score_table(table, context_key, headers_key)
    table_money = bool(_MONEY.search(context_key + " " + headers_key))
    years = year_column(table.header_paths, table.value_columns, [row.cells for row in table.body])
    trusted = table.method not in SPREADSHEET_METHODS
    texts = {column: _column_texts(table, column) for column in table.value_columns}
    table_mark = evidence(t for column_texts in texts.values() for t in column_texts) if trusted else None
    observations: list[Observation] = []
    for column in table.value_columns:
        if column == years:
            continue
        header = table.header_paths[column] if column < len(table.header_paths) else ""
        code = table.column_codes[column] if column < len(table.column_codes) else None
        column_unit = _column_unit(header, table_scores, table_money)
        column_period = _column_period(header)
        indicator = ratio_reading(_without_year_level(header), code, table)
        start: date | None
        end: date | None
        if column_period:
            start, end = column_period
        elif table.as_of:
            start, end = None, table.as_of
        elif table.period:
            start, end = table.period
        elif data_date is None and default_period:
            start, end = default_period
        else:
            start, end = None, data_date
        label_column = table.value_labels.get(column)
        column_mark = (evidence(texts[column]) or table_mark) if trusted else None
        caption_flag = (
            f"{MISREAD_CAPTION}: {header.rsplit(' / ', 1)[-1]!r}; what its numbers measure is unknown"
            if table.method in OCR_METHODS and garbled_caption(header)
            else None
        )
        plain = [parsed.value for t in texts[column] if (parsed := cell_number(t)) and not is_ambiguous(t)]
        column_max = max(plain) if plain else None
        for row in table.body:
            text = clean(row.cells[column]) if column < len(row.cells) and row.cells[column] else ""
            parsed = cell_number(text)
            if parsed is None:
                continue
            label = row.label if label_column is None else caption(row.cells[label_column])
            if not label:
                continue
            dated = row_period(row.cells, years) if years is not None else None
            row_start, row_end = dated or (start, end)
            unit: Unit = "percent" if "%" in text else column_unit
            reading = read_value(text, parsed.value, column_mark, unit, column_max, mixed_decimals)
            flags = [flag for flag in (row.flags.get(column), reading.flag, caption_flag) if flag]
            observations.append(
                Observation(
                    indicator_label=indicator,
                    value=reading.value,
                    unit=unit,
                    entity_name=label,
                    entity_level="unresolved",
                    province=None,
                    period_end=row_end,
                    period_start=row_start,
                    page=row.page if row.page is not None else table.page,
                    table_ref=table.table_ref,
                    table_title=table.title or table.sheet_name or None,
                    row_label=label,
                    column_label=header,
                    column_code=code,
                    source_text=text,
                    extraction_method=table.method,
                    is_total=row.is_total,
                    quality_flag="; ".join(flags) or None,
                )
            )
    return observations
