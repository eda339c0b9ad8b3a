"""Appendix tables in plain OCR text (.txt) → RawTables.

A .txt made by OCR keeps no ruling and no column positions: a table row is a
line "TT | label  v1 v2 v3 …" where the cell borders survive, if at all, as
stray `|`, `[`, `{` or `(` glued to the words. What does survive is the order
of the cells, so a row is read as: an optional serial number, the label (the
words up to the first figure), then the run of figures. Consecutive such rows
form a table; blank lines (page breaks) may interrupt it.

The header captions cannot be aligned with the columns (they are wrapped over
several OCR lines without positions), so the grid gets one generic header row
named after the printed column-number row ("A B 1 2 … 9=7/1" → "Cột 1" …
"Cột 9=7/1") when there is one, else "Cột 1", "Cột 2"… by position.

Two kinds of caption line can be placed all the same, because they hold one
word per column or one year per group of columns: a line naming Y years, each
once and in order ("Năm 2017 Năm 2018 … Năm 2021"), over a table whose width is
a multiple k·Y, dates the columns year by year, k to a year (the years are
the top level of the header; "Năm {year}" is written out, as OCR mangles the
word); and under it, a line that prints exactly one word per column (give or
take the few words of the label column's caption) is a row of the captions,
stacked as printed ("Hoàn / thành / XS / nhiệm vụ"). Without a year line,
no caption line is trusted to be aligned: a title line may have as many words.

Order is all that places a cell, so only a row that prints as many figures as
the table's rows mostly do (its width) is placed. A row with fewer (a blank or
lost cell, and nothing says which) or more (two figures split, noise read as a
digit) keeps every number, flagged `UNPLACED_CELL`: the gate holds that row,
never a guess of its columns, and the table's other rows publish. A name
that ends in a kind of place named by its number ('Quận 12', 'Phường 1')
takes that number back when its row prints one figure too many, and counts
without it when the width is decided. The
caption lines go to `context` together with the title lines above them, so
that the table stage still finds the table's name and its as-of date there.
OCR without Vietnamese mangles "Biểu số 1" into "Biéu s6 1" or "Bidusé 6":
such a line is restored to "Biểu số N", the only rewriting done here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from chiso.model import UNPLACED_CELL, RawTable
from chiso.normalize.labels import is_totals_label
from chiso.normalize.numbers import parse_number
from chiso.normalize.ocr_spelling import respelled_key
from chiso.normalize.text import clean, fold, nfc

_SPLIT = re.compile(r"[\s|]+")
_EDGES = "[]{}()|!"
_NUMBER = re.compile(r"^\d[\d.,]*%?$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_DASHES = {"-", "–", "—"}
_BARE_INTEGER = re.compile(r"^\d{1,3}$")
_SERIAL = re.compile(r"^(?:\d{1,3}|[IVX]{1,5})[.)]?$")
_CODE = re.compile(r"^(?:[A-Za-z]|\d{1,2}|\d{0,2}=[\d+\-*/x:().,%]+)$")
_TABLE_NAME = re.compile(r"^bi[a-z]{1,3}\s*s[a-z0-9]?\s*(\d{1,2}[a-z]?)$")
"""'bieu so 1' folded, as OCR without Vietnamese prints it: 'biéu s6 1', 'bidusé 6', 'biéuso 2'."""

MIN_VALUES = 2
"""Figures a line needs to count as a row (and a table needs two rows)."""
MAX_LABEL_WORDS = 10
"""Longer 'labels' are sentences of running text that happen to end in figures."""
_MAX_BLANKS = 6
"""Blank lines a table may span (an OCR page break inside a table)."""
_MAX_STRAYS = 2
"""Non-row lines between two rows that do not end the table (a wrapped label)."""
_CONTEXT_LINES = 25


@dataclass
class _Row:
    serial: str
    label: str
    values: list[str]
    line: int


def _tokens(line: str) -> list[str]:
    """Words of a line, without the rule marks OCR glues to them ('[112.1%', '143.2%]')."""
    out = []
    for token in _SPLIT.split(line):
        token = token.strip(_EDGES)
        if _NUMBER.match(token.rstrip(",;:.")):
            token = token.rstrip(",;:.")
        if token:
            out.append(token)
    return out


def _is_number(token: str) -> bool:
    return bool(_NUMBER.match(token)) and parse_number(token) is not None


def _parse_row(line: str, index: int, min_values: int = MIN_VALUES) -> _Row | None:
    """serial?, label words, then a run of at least `min_values` figures (dashes are empty cells); else None."""
    if _code_row(line) is not None:
        return None
    tokens = _tokens(line)
    serial = ""
    if len(tokens) > 1 and _SERIAL.match(tokens[0]) and not _is_number(tokens[1]) and tokens[1] not in _DASHES:
        serial, tokens = tokens[0].rstrip(".)"), tokens[1:]
    label: list[str] = []
    values: list[str] = []
    trailing = False
    for token in tokens:
        if _is_number(token) or (token in _DASHES and label):
            values.append(token)
        elif values and any(ch.isalnum() for ch in token):
            if sum(value not in _DASHES for value in values) < MIN_VALUES:
                label += values  # 'phường 1 Bảo Lộc', 'Lang Biang - Đà Lạt': a number or dash inside the name
                values = []
                label.append(token)
                continue
            trailing = True  # text after the figures: a notes column, not read as cells
            break
        elif not values and any(ch.isalnum() for ch in token):
            label.append(token)
    text = clean(" ".join(label))
    figures = sum(1 for value in values if value not in _DASHES)
    if trailing and figures < 3:
        return None  # '… (thông qua tài liệu) 13 6,5 điểm.': a sentence, not a row
    if figures <= 2 and all(_YEAR.match(value) for value in values if value not in _DASHES):
        return None  # 'Năm 2016 - 2021': a period line of the title
    if figures < min_values or len(label) > MAX_LABEL_WORDS:
        return None
    if sum(ch.isalpha() for ch in text) < 2 and not serial:
        return None
    return _Row(serial, text, values, index)


_NUMBERED_PLACES = frozenset({"quan", "phuong", "thon", "xom", "khom", "ap", "khu", "pho", "buon"})
"""Folded words of a kind of place named by its number ('Quận 12', 'Phường 1', 'Khu phố 3', 'Ấp 2')."""
_PLURAL = frozenset({"cac", "khoi", "va", "nhung", "moi"})
"""Words before a kind of place that make it many places ('các phường', 'khối phường'): then no number follows."""


def _names_a_number(label: str) -> bool:
    """A label ending in a kind of place that is named by its number, so the number after it is the name's.

    'Quận ủy Quận 12 92 97 …' prints nothing between the name's number and the
    first cell; the words say which it is: a label cannot end in 'Quận' or
    'Phường' alone. Read after respelling, as OCR prints 'Quén', 'Phudng'.
    """
    words = respelled_key(label, _NUMBERED_PLACES).split()
    return bool(words) and words[-1] in _NUMBERED_PLACES and (len(words) < 2 or words[-2] not in _PLURAL)


def _code_row(line: str) -> list[str] | None:
    """The column-number row ('A B 1 2 3 =3/2 5 …'), its lost digits restored ('4=3/2')."""
    tokens = _tokens(line)
    if len(tokens) < 3 or not all(_CODE.match(t) for t in tokens) or not any(t[0].isdigit() for t in tokens):
        return None
    codes: list[str] = []
    for token in tokens:
        if token.startswith("=") and codes and codes[-1].isdigit():
            token = f"{int(codes[-1]) + 1}{token}"
        codes.append(token)
    return codes


def _context_line(line: str) -> str:
    text = clean(line)
    match = _TABLE_NAME.match(fold(text))
    return f"Biểu số {match.group(1)}" if match else text


def _groups(lines: list[str]) -> list[list[_Row]]:
    """Runs of row lines, allowing page-break blanks and a few stray lines between rows."""
    rows = [_parse_row(line, i) for i, line in enumerate(lines)]
    groups: list[list[_Row]] = []
    current: list[_Row] = []
    blanks = strays = 0
    for i, row in enumerate(rows):
        if row is None and current and current[-1].line == i - 1:
            row = _parse_row(lines[i], i, min_values=1)  # 'Chỉ số cao nhất 100,00' under the rows: held, not lost
        if row is not None:
            current.append(row)
            blanks = strays = 0
            continue
        if not current:
            continue
        if lines[i].strip():
            strays += 1
        else:
            blanks += 1
        if strays > _MAX_STRAYS or blanks > _MAX_BLANKS:
            groups.append(current)
            current, blanks, strays = [], 0, 0
    if current:
        groups.append(current)
    trimmed = [_trim(group) for group in _continued(groups)]
    return [group for group in trimmed if len(group) >= 2]


_CONTINUATION_GAP = 12
"""Lines between two runs of rows that may still be one table (a notes cell wrapped over many lines)."""


def _continued(groups: list[list[_Row]]) -> list[list[_Row]]:
    """Runs of rows that are one table cut by the lines of a wrapped notes cell, joined.

    A table whose last column holds long notes ('Ghi chú': the communes' names) prints
    them over several lines between its rows, and a row OCR could not read adds one
    more: the run of rows breaks, and the rows after the break lost the table's name.
    The serial numbers say it goes on: the next run opens with the number after the
    last (or the one after that, a row lost), or with the totals row, and its rows
    print as many figures.
    """
    joined: list[list[_Row]] = []
    for group in groups:
        previous = joined[-1] if joined else None
        if previous is not None and _continues(previous, group):
            previous.extend(group)
        else:
            joined.append(list(group))
    return joined


def _continues(previous: list[_Row], group: list[_Row]) -> bool:
    last = next((row.serial for row in reversed(previous) if row.serial), "")
    first = group[0].serial
    numbered = last.isdigit() and first.isdigit() and int(first) - int(last) in (1, 2)
    return ((numbered or (not first and is_totals_label(group[0].label)))
            and group[0].line - previous[-1].line <= _CONTINUATION_GAP
            and Counter(_figures(row) for row in previous).most_common(1)[0][0]
            == Counter(_figures(row) for row in group).most_common(1)[0][0])


def _figures(row: _Row) -> int:
    return sum(value not in _DASHES for value in row.values)


def _trim(group: list[_Row]) -> list[_Row]:
    """Drop leading unnumbered rows with fewer figures than the table has columns.

    Those are header lines that happen to hold figures ('Năm 2016 - 2021', a
    caption ending in '(10%)'), not data. A totals row is data wherever it
    stands ('Cộng' printed first, a cell of it lost): it stays, to be held if it
    cannot be placed, never dropped.
    """
    width = Counter(_figures(row) for row in group).most_common(1)[0][0]
    start = 0
    while (start < len(group) and not group[start].serial and _figures(group[start]) < width
           and not is_totals_label(group[start].label)):
        start += 1
    return group[start:]


def _above(lines: list[str], first: int, floor: int) -> list[int]:
    """Indices of the lines above a table's first row that belong to it (title, captions).

    Going up, two blank lines in a row (an OCR page break) or the previous table end it.
    """
    kept: list[int] = []
    blanks = 0
    i = first - 1
    while i >= floor and len(kept) < _CONTEXT_LINES:
        if lines[i].strip():
            kept.append(i)
            blanks = 0
        else:
            blanks += 1
            if blanks >= 2:
                break
        i -= 1
    return kept[::-1]


def _fit(values: list[str], width: int) -> list[str]:
    """A row's cells, without the stray dashes OCR prints before the figures when the row is too long."""
    values = list(values)
    while len(values) > width and values and values[0] in _DASHES:
        values.pop(0)
    return values


def _numbered(row: _Row) -> bool:
    """The row's first figure may be its name's number ('Quận 12', 'Phường 1' before the cells)."""
    return bool(row.values) and bool(_BARE_INTEGER.match(row.values[0])) and _names_a_number(row.label)


def _width(group: list[_Row]) -> int:
    """The number of cells most rows print (the longer on a tie): the table's columns, as far as order tells.

    A row whose first figure may be its name's number counts without it: 'Quận 12' rows would
    otherwise outvote the rows of named places and the totals row."""
    counts = Counter(len(row.values) - _numbered(row) for row in group)
    return max(counts, key=lambda n: (counts[n], n))


def _with_place_numbers(group: list[_Row], width: int) -> None:
    """Give a place's number back to its name when the row prints one figure more than the table's
    width, and its label ends in a kind of place named by number: only then ('nông thôn' ends a label
    too, and a row of the table's width keeps its figures)."""
    for row in group:
        if len(row.values) == width + 1 and _numbered(row):
            row.label = f"{row.label} {row.values.pop(0)}"


def _unplaced(row: _Row, cells: list[str], width: int, misfit: bool) -> str:
    if misfit:
        return (f"{UNPLACED_CELL}: row {row.label!r} prints figures in shapes its columns do not print"
                f" ({' '.join(cells)}); which column each belongs to is unknown")
    return (f"{UNPLACED_CELL}: row {row.label!r} prints {len(cells)} figures where the table's rows print {width};"
            " which column each belongs to is unknown")


def _years(line: str, width: int) -> list[int] | None:
    """The years a caption line names, one per group of columns ('Năm 2017 … Năm 2021' over 20 columns),
    or None: a line whose only figures are two or more distinct years, in order, dividing the width."""
    figures = [token for token in _tokens(line) if token[0].isdigit()]
    if len(figures) < 2 or not all(_YEAR.match(token) for token in figures):
        return None
    years = [int(token) for token in figures]
    if years != sorted(set(years)) or width % len(years):
        return None
    return years


_LABEL_CAPTION_WORDS = 3
"""Words a caption line may print before its columns' words: the label column's caption ('Đơn vị')."""


def _aligned_words(line: str, width: int) -> list[str] | None:
    """One word per column of a caption line under the years, or None."""
    words = _tokens(line)
    if not width <= len(words) <= width + _LABEL_CAPTION_WORDS or any(_is_number(word) for word in words):
        return None
    return words[-width:]


@dataclass
class _Header:
    """What the lines above a table say about its columns."""

    context: list[str]
    codes: list[str] | None = None
    years: list[int] | None = None
    captions: list[list[str]] = field(default_factory=list)
    """Caption rows, one word per column, top to bottom (only under a year line)."""

    def rows(self, lead: list[str | None], value_codes: list[str], surplus: int) -> list[list[str | None]]:
        """The grid's header rows: years over their groups (merged across), captions, else 'Cột N'."""
        width = len(value_codes)
        extra: list[str | None] = [f"Cột thừa {n}" for n in range(1, surplus + 1)]
        if not self.years:
            return [lead + [f"Cột {code}" for code in value_codes] + extra]
        span = width // len(self.years)
        blank: list[str | None] = [""] * len(lead)
        years: list[str | None] = [f"Năm {self.years[c // span]}" if c % span == 0 else None for c in range(width)]
        below = [_shared(words, span) for words in self.captions] or [[f"Cột {c % span + 1}" for c in range(width)]]
        return [blank + years + extra] + [blank + list(words) + [""] * len(extra) for words in below]


def _shared(words: list[str], span: int) -> list[str | None]:
    """A caption row with one reading of each sub-column, repeated under every year.

    A header with the years on top prints the same captions under each year,
    and OCR mangles each copy its own way ('tốt' as 'tét', 'tit', 't5t'). The
    copy read most often (then the one with the most letters, then the first)
    names them all, so that a sub-column forms one series over the years.
    """
    chosen: list[str | None] = []
    for position in range(span):
        copies = words[position::span]
        seen = Counter(fold(word) for word in copies)
        chosen.append(max(copies, key=lambda w: (seen[fold(w)], sum(ch.isalpha() for ch in w), -copies.index(w))))
    return chosen * (len(words) // span)


def _header(lines: list[str], first: int, floor: int, width: int) -> _Header:
    header = _Header(context=[])
    for i in _above(lines, first, floor):
        found = _code_row(lines[i])
        years = _years(lines[i], width) if header.years is None else None
        words = _aligned_words(lines[i], width) if header.years else None
        if found is not None and len(found) >= width:
            header.codes = found
        elif years:
            header.years = years
        elif words:
            header.captions.append(words)
        else:
            header.context.append(_context_line(lines[i]))
    return header


_DECIMAL = re.compile(r"[.,]\d{1,2}%?$")


def _shape(token: str) -> tuple[bool, bool]:
    """What a figure's print says of its column: a percentage, a decimal ('17,00', '9,5%')."""
    return token.endswith("%"), bool(_DECIMAL.search(token))


_SETTLED_SHARE = 0.9
"""A column whose placed figures print in one shape this often (and in four rows at least) has that shape."""


def _settled_shapes(fitted: list[list[str]], width: int) -> list[tuple[bool, bool] | None]:
    """Per column, the shape its placed figures print in, where they (nearly) all agree; else None."""
    placed = [cells for cells in fitted if len(cells) == width]
    settled: list[tuple[bool, bool] | None] = []
    for c in range(width):
        seen = Counter(_shape(cells[c]) for cells in placed if cells[c] not in _DASHES)
        shape, n = seen.most_common(1)[0] if seen else ((False, False), 0)
        settled.append(shape if n >= 4 and n >= _SETTLED_SHARE * sum(seen.values()) else None)
    return settled


def _with_label_numbers(group: list[_Row], fitted: list[list[str]], width: int) -> None:
    """Give back to the label the number that ends a name ('UBND xã Bảo Lâm 1', 'Phường 2'), read as a
    first figure because nothing but a space divides them, when its column says it cannot be a cell.

    Such a row prints one figure more than the table's width. Its first is taken for the label's only when
    it is a bare integer where the first column prints in another settled shape (a decimal, a percentage),
    and its other figures have the shapes of their columns: the column's context decides, never the figure
    alone; anything else stays unplaced and is held.
    """
    settled = _settled_shapes(fitted, width)
    if settled[0] is None or settled[0] == (False, False):
        return
    for row, cells in zip(group, fitted, strict=True):
        if len(cells) != width + 1 or not _BARE_INTEGER.match(cells[0]):
            continue
        if all(cell in _DASHES or shape is None or _shape(cell) == shape
               for cell, shape in zip(cells[1:], settled, strict=True)):
            row.label = f"{row.label} {cells.pop(0)}"


def _misfits(fitted: list[list[str]], width: int) -> set[int]:
    """Rows of the table's width that open with a bare integer where the first column prints another shape.

    'UBND xã Đạ Tẻh 2 17,00 9,50 …' with a cell lost prints as many figures as
    its table has columns, but its first, '2', is the name's, where the column
    prints '17,00': every figure after it sits one column off, so the row
    cannot be placed. Only the first figure is judged, where a name's number
    lands: elsewhere a source may well print '81' among '137,6'."""
    first = _settled_shapes(fitted, width)[0]
    if first is None or first == (False, False):
        return set()
    return {r for r, cells in enumerate(fitted) if len(cells) == width and _BARE_INTEGER.match(cells[0])}


def _table(lines: list[str], group: list[_Row], floor: int) -> RawTable:
    width = _width(group)
    _with_place_numbers(group, width)
    fitted = [_fit(row.values, width) for row in group]
    _with_label_numbers(group, fitted, width)
    misfits = _misfits(fitted, width)
    header = _header(lines, group[0].line, floor, width)
    context, codes = header.context, header.codes
    serial_column = any(row.serial for row in group) or (codes is not None and len(codes) >= width + 2)
    lead: list[str | None] = ["TT", ""] if serial_column else [""]
    value_codes = codes[-width:] if codes else [str(c) for c in range(1, width + 1)]
    surplus = max(len(cells) for cells in fitted) - width  # cells of over-long rows: kept, under no printed code
    grid = header.rows(lead, value_codes, max(surplus, 0))
    if codes:
        left: list[str | None] = list(codes[: len(codes) - width][-len(lead):])
        grid.append([""] * (len(lead) - len(left)) + left + list(value_codes) + [""] * max(surplus, 0))
    flags: dict[tuple[int, int], str] = {}
    for index, (row, cells) in enumerate(zip(group, fitted, strict=True)):
        head: list[str | None] = [row.serial, row.label] if serial_column else [row.label]
        if len(cells) != width or index in misfits:
            why = _unplaced(row, cells, width, index in misfits)
            flags.update({(len(grid), len(head) + c): why for c, cell in enumerate(cells) if cell not in _DASHES})
        grid.append([*head, *cells, *[""] * (width + max(surplus, 0) - len(cells))])
    return RawTable(rows=grid, page=None, method="txt_ocr", context=context, cell_flags=flags)


def find_text_tables(text: str) -> list[RawTable]:
    """Every table printed in an OCR text file, top to bottom."""
    lines = nfc(text).splitlines()
    tables: list[RawTable] = []
    floor = 0
    for group in _groups(lines):
        tables.append(_table(lines, group, floor))
        floor = group[-1].line + 1
    return tables


__all__ = ["find_text_tables", "MIN_VALUES", "MAX_LABEL_WORDS"]
