"""Which year a table (or one of its rows) reports on, when its title does not say.

Index workbooks (PCI, PAPI) print no dated title: the year is in the sheet's
name ('2011_PAPI'), in one summary column ('PCI 2013', 'Chỉ số CCHC năm 2022'),
in a Year/Năm column of long-format sheets (one row per province and year),
or only in the file's name ('PCI_2014.xlsx'). Their column captions also
carry years that do *not* date the table: a base year ('so với năm 2000',
'từ năm 2010'), a rank ('PCI 2013 ranking'), a source note ('Bộ KHĐT (tháng
8 năm 2007)', 'Điều tra doanh nghiệp 2000-2006', 'năm 2007 Bộ Bưu chính').
So a caption dates the whole table only when it *ends* with a single year
(a span in one caption, 'Số hội chợ 2004-2005 (Viettrade)', is that column's
data window; a table's span comes from its title).
"""

from __future__ import annotations

import re
from datetime import date

from chiso.interpret.tables.cells import cell_number, cell_text
from chiso.normalize.text import fold

Period = tuple[date, date]

_YEAR = r"(?:19|20)\d{2}"
_BASE_YEAR = re.compile(
    r"\b(so voi|tu nam|ke tu|since|compared|base year|nam goc|chi tieu moi|moi tu)\b"
)
"""A year named as a starting point or as the year an indicator was introduced."""
_RANK = re.compile(r"\b(xep hang|thu hang|thu tu|rank|ranking)\b")
_TRAILING_NOTE = re.compile(r"\s*(\([^()]*\)|[%*.,;:])\s*$")
_ENDING_YEAR = re.compile(rf"(?:^|[\s(])(?<![\d_/.-])({_YEAR})$")
_SPAN_END = re.compile(rf"{_YEAR}\s*(?:[-–—&,]|va|and)\s*{_YEAR}$")
_MONTH_DATE = re.compile(rf"\b(thang|month)\s*\d{{1,2}}\W+(nam\s+)?{_YEAR}")
_NAMED_YEAR = re.compile(rf"(?<!\d)({_YEAR})(?!\d)")
_DATE_IN_NAME = re.compile(rf"\d[-./]{_YEAR}(?!\d)")
_YEAR_HEADER = re.compile(r"^(nam|year|nam bao cao|ky bao cao|nam danh gia|reporting year)$")


def year_period(year: int) -> Period:
    return date(year, 1, 1), date(year, 12, 31)


def is_base_year_header(header: str) -> bool:
    """'% thay đổi … so với năm 2000', '… từ năm 2010': the year is a baseline, not the data's year."""
    return bool(_BASE_YEAR.search(fold(header)))


def _dating_year(level: str) -> int | None:
    """The year a caption level ends with ('PCI 2013', 'Chỉ số CCHC năm 2022 (điểm)')."""
    key = fold(level).strip()
    if _BASE_YEAR.search(key) or _RANK.search(key) or _MONTH_DATE.search(key):
        return None
    previous = None
    while key != previous:  # trailing '(điểm)', '(%)', '*'
        previous, key = key, _TRAILING_NOTE.sub("", key)
    match = _ENDING_YEAR.search(key)
    return int(match.group(1)) if match and not _SPAN_END.search(key) else None


def header_period(paths: list[str]) -> Period | None:
    """The one year the column captions name for the whole table, if exactly one."""
    years = {
        year
        for path in paths
        if path
        for year in (_dating_year(level) for level in path.split(" / "))
        if year
    }
    return year_period(years.pop()) if len(years) == 1 else None


def sheet_period(sheet_name: str | None) -> Period | None:
    """A year in the sheet's name ('2011_PAPI', 'PAPI 2012', '2013')."""
    years = {int(y) for y in _NAMED_YEAR.findall(sheet_name or "")}
    return year_period(years.pop()) if len(years) == 1 else None


def file_period(file_name: str) -> Period | None:
    """A single year in a file's name ('PCI_2014.xlsx'): the pipeline's last resort.

    Names with a date or a span ('bieu01_31-7-2022', 'dao-tao_2015-2020') are
    left alone: the document's own text dates those.
    """
    years = _NAMED_YEAR.findall(file_name)
    if len(years) != 1 or _DATE_IN_NAME.search(file_name):
        return None
    return year_period(int(years[0]))


def year_column(header_paths: list[str], value_columns: list[int], body: list[list[str | None]]) -> int | None:
    """The Year/Năm column of a long-format table: a 'Năm' header over years in every row."""
    for column in value_columns:
        header = header_paths[column] if column < len(header_paths) else ""
        if not _YEAR_HEADER.match(fold(header).strip()):
            continue
        cells = [cell_text(row[column]) if column < len(row) else "" for row in body]
        if cells and all(re.fullmatch(_YEAR, cell) for cell in cells):
            return column
    return None


def row_period(cells: list[str | None], column: int) -> Period | None:
    parsed = cell_number(cells[column]) if column < len(cells) else None
    return year_period(int(parsed.value)) if parsed is not None else None
