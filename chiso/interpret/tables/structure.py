"""A raw grid → a table with named columns and labelled rows.

Works the same for spreadsheet sheets, HTML exports and pdfplumber grids:
all three give rows of cell text with `None` where a merged cell covers the
position. The header is the block of rows above the first data row; its
merged cells are filled across (horizontal merges) and down (vertical
merges) and each column's captions are joined top to bottom with " / ",
which is how the ground truth names a column ("Trong đó / Thôn, KDC có 1
chi bộ"). The column-number row ("A | B | 1 | 2 | 4=3/2") gives column codes
and is not data. Totals ("Cộng", "TỔNG SỐ") and regional subtotals (rows
numbered I, II… in the MoF budget tables) are kept and flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from chiso.interpret.tables.cells import cell_number, cell_text, is_label, is_roman
from chiso.interpret.tables.layout import Grid, anchors, header_block, is_column_number_row, is_data_row
from chiso.interpret.tables.periods import header_period, sheet_period
from chiso.interpret.tables.rankings import is_ranking_row, own_label_columns, repeated_label_columns
from chiso.model import RawTable
from chiso.normalize.dates import find_as_of_date, find_period, parse_issue_date
from chiso.normalize.labels import is_totals_label
from chiso.normalize.text import clean, fold
from chiso.read.registry import PAGED_METHODS, UNACCENTED_METHODS  # only printed pages continue a table

_SERIAL = re.compile(r"^(s ?tt|tt|so tt|so thu tu|stt no|no\.?)$")


def is_serial_caption(text: str) -> bool:
    """'STT', 'TT', 'Số thứ tự': the caption of a column that numbers the rows."""
    return bool(_SERIAL.match(fold(text)))
_REGIONS = re.compile(
    r"^(mien nui phia bac|trung du va mien nui phia bac|dong bac|tay bac|dong bang song hong|"
    r"db song hong|bac trung bo|duyen hai mien trung|bac trung bo va duyen hai mien trung|"
    r"nam trung bo|tay nguyen|dong nam bo|dong bang song cuu long|db s\.? ?cuu long)\b"
)
_NOT_DATA = re.compile(
    r"^(diem toi da|diem chuan|thang diem|muc toi da|max|min|median|highest|lowest|"
    r"diem (cao|thap) nhat|gia tri (lon|nho) nhat|trung vi)\b"
)
"""Rows of the scale or of sample statistics (PCI's 'Median', 'Min'; PAPI's 'Highest'), not of an entity."""
_RANK_ROW = re.compile(r"^(xep hang|thu hang|thu tu|ranking|rank)$")
"""A row of ranks under one entity's row ('Hà Nội' then 'Xếp hạng'): it names no entity."""
_NOTES = re.compile(r"^(ghi chu|chu thich|luu y|nguon:|remarks|notes?:)")
_TABLE_REF = re.compile(r"\b(Biểu|Bảng|Phụ lục|Mẫu|Phụ biểu)\s+(số\s+)?([0-9]+[a-zA-Z]?(?:[./-][\w-]+)?)", re.I)
_LETTERHEAD = re.compile(r"cong hoa xa hoi chu nghia|dang cong san viet nam|doc lap - tu do")
_VIETNAMESE = re.compile(r"[^\x00-\x7f]")


@dataclass
class BodyRow:
    label: str
    is_total: bool
    cells: list[str | None]
    """One cell per column, as printed (label and serial columns included)."""
    row_index: int
    page: int | None = None
    """Page of this row: a table joined across pages keeps each row's own page."""
    flags: dict[int, str] = field(default_factory=dict)
    """Column → the reader's doubt about that cell (`RawTable.cell_flags`)."""


@dataclass
class StructuredTable:
    table_ref: str | None
    title: str
    page: int | None
    method: str
    sheet_name: str | None
    header_paths: list[str]
    column_codes: list[str | None]
    label_column: int
    value_columns: list[int]
    body: list[BodyRow]
    as_of: date | None = None
    period: tuple[date, date] | None = None
    context: list[str] = field(default_factory=list)
    value_labels: dict[int, int] = field(default_factory=dict)
    """Value column → its own label column, in ranking layouts (see `chiso.interpret.tables.rankings`)."""


def caption(cell: str | None) -> str:
    """A cell's caption, without the English translation line of bilingual MoF tables.

    'Tổng thu NSNN trên địa bàn\\nTotal revenues in the locality' → the Vietnamese
    line; 'STT\\nNo' stays whole (nothing Vietnamese to keep).
    """
    if not cell:
        return ""
    lines = [line for line in (clean(part) for part in str(cell).splitlines()) if line]
    while len(lines) > 1 and not _VIETNAMESE.search(lines[-1]) and _VIETNAMESE.search(" ".join(lines[:-1])):
        lines.pop()
    return clean(" ".join(lines))


_ENGLISH_WORDS = {"total", "no", "no.", "name", "items", "unit"}


def is_english(text: str) -> bool:
    """The English line of a bilingual caption: ASCII words, some in lower case
    ('Total revenues') or in title case ('Vertical Accountability', PAPI's style).

    Vietnamese captions carry diacritics; ASCII-only ones are abbreviations
    ('NSTW', 'STT') or codes, which stay, and Vietnamese typed without
    diacritics ('Chia ra', 'Tong so'), whose every word is a Vietnamese syllable.
    """
    if not text or _VIETNAMESE.search(text):
        return False
    if text.strip().lower() in _ENGLISH_WORDS:
        return True
    words = re.findall(r"[A-Za-z]+", text)
    if words and all(_SYLLABLE.match(word.lower()) for word in words):
        return False
    return any(w[1:].islower() and len(w) >= 3 for w in words)


_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:uye|uya|oai|oay|uoi|uou|ieu|yeu|oa|oe|uy|ua|uo|ie|ye|ai|ao|au|ay|eo|eu|ia|iu|oi|ui|uu|ưa|[aeiouy])"
    r"(?:ng|nh|ch|[cmnptiouy])?$"
)
"""An unaccented Vietnamese syllable: onset, vowel nucleus, coda. 'Total', 'revenues', 'Index' are none."""


def _pad(rows: Grid) -> Grid:
    width = max((len(row) for row in rows), default=0)
    return [list(row) + [""] * (width - len(row)) for row in rows]


def _fill_header(rows: Grid) -> list[list[tuple[str, str]]]:
    """(text, kind) per header cell; kind: 'text', 'empty', 'down' (vertical merge), 'across'."""
    filled: list[list[tuple[str, str]]] = []
    for r, row in enumerate(rows):
        out: list[tuple[str, str]] = []
        for c, cell in enumerate(row):
            if cell is not None:
                text = caption(cell)
                out.append((text, "text" if text else "empty"))
                continue
            above = filled[r - 1][c] if r else ("", "empty")
            left = out[c - 1] if c else ("", "empty")
            if above[1] in ("text", "down"):
                out.append((above[0], "down"))
            elif c and (above[1] == "across" or left[0]):
                out.append((left[0], "across"))
            else:
                out.append((above[0], "down" if above[0] else "empty"))
        filled.append(out)
    return filled


def header_paths(rows: Grid, bilingual: bool = True) -> list[str]:
    """One caption path per column: levels joined with ' / ', repeats removed.

    An English caption line under a Vietnamese one is dropped, unless the
    reader may have lost the diacritics (`bilingual` False): then an ASCII
    caption is mangled Vietnamese and kept.

    Two captions stacked in one column without a merge between them, where
    the upper one does not span other columns, are one caption broken over
    lines (the MoF sheets type 'TỔNG THU' / 'NSNN TRÊN' / 'ĐỊA BÀN' in three
    rows): they are joined with a space.
    """
    if not rows:
        return []
    filled = _fill_header(rows)
    width = len(rows[0])
    paths: list[str] = []
    for c in range(width):
        levels: list[str] = []
        previous_fragment = False
        two_languages = bilingual and any(_VIETNAMESE.search(filled[r][c][0]) for r in range(len(rows)))
        for r in range(len(rows)):
            text, kind = filled[r][c]
            if two_languages and is_english(text):
                continue
            if not text:
                previous_fragment = False
                continue
            spans_right = c + 1 < width and rows[r][c + 1] is None and filled[r][c + 1][1] == "across"
            if kind == "text" and previous_fragment and levels:
                levels[-1] = f"{levels[-1]} {text}"
            elif kind == "text" or text not in levels:
                levels.append(text)  # a printed caption is a level even if its parent reads the same
            previous_fragment = kind == "text" and not spans_right
        paths.append(" / ".join(levels))
    return paths


def _label_column(header: list[str], body: Grid) -> int:
    width = len(body[0]) if body else 0
    for c in range(min(width, 4)):
        texts = [cell_text(row[c]) for row in body if cell_text(row[c])]
        if is_serial_caption(header[c] if c < len(header) else ""):
            continue
        labels = [t for t in texts if is_label(t)]
        if texts and len(labels) * 2 >= len(texts):
            return c
    return 1 if width > 1 else 0


def _row_label(row: list[str | None], label_column: int) -> str:
    label = caption(row[label_column])
    if label:
        return label
    for c in range(label_column):
        text = caption(row[c])
        if is_label(text):
            return text
    return ""


def _is_total(label: str, serial: str) -> bool:
    key = fold(label)
    return is_totals_label(label) or bool(_REGIONS.match(key)) or is_roman(serial)


def _context_lines(raw: RawTable, leading: Grid) -> list[str]:
    lines = list(raw.context)
    lines += [" ".join(caption(row[j]) for j in anchors(row)) for row in leading if anchors(row)]
    return [line for line in lines if line]


def _dating_lines(lines: list[str]) -> list[str]:
    """Context lines that may date the table: not the letterhead's place-and-date line."""
    return [line for line in lines if parse_issue_date(line)[0] is None]


def _table_ref(lines: list[str]) -> str | None:
    for line in lines:
        match = _TABLE_REF.search(line)
        if match:
            word = match.group(1)[0].upper() + match.group(1)[1:].lower()
            return f"{word} {'số ' if match.group(2) else ''}{match.group(3)}"
    return None


def _title(lines: list[str], table_ref: str | None) -> str:
    """The lines after the table's name, without the letterhead (motto, place and date)."""
    start = 0
    if table_ref:
        start = next((i + 1 for i, line in enumerate(lines) if _TABLE_REF.search(line)), 0)
    kept = [line for line in lines[start:] or lines if not _LETTERHEAD.search(fold(line))]
    return clean(" ".join(line for line in kept if parse_issue_date(line)[0] is None))


def _body_rows(
    rows: Grid,
    stop: int,
    label_column: int,
    value_columns: list[int],
    repeats: list[int],
    header: Grid,
    raw: RawTable,
) -> list[BodyRow]:
    """Labelled rows with figures, up to the notes or a repeat of the header (the next table).

    Below a blank line or the sample statistics ('Median | Min | Max'), PCI
    sheets print one province's row again for comparison, sometimes
    formatted differently: a label already in the body is not read twice there.
    """
    captions = [[caption(cell) for cell in row] for row in header if len(anchors(row)) >= 2]
    body: list[BodyRow] = []
    seen: set[str] = set()
    below = False
    above = ""
    for index in range(stop, len(rows)):
        row = rows[index]
        label = _row_label(row, label_column)
        if not label and row[label_column] is None:
            label = above  # the label cell is merged down over this row
        above = label
        key = fold(label)
        if _NOTES.match(key) or (body and [caption(cell) for cell in row] in captions):
            break
        if body and (not anchors(row) or _NOT_DATA.match(key)):
            below = True
        if is_column_number_row(row) or _NOT_DATA.match(key) or _RANK_ROW.match(key):
            continue
        if not label or not any(cell_number(row[c]) is not None for c in value_columns):
            continue
        if repeats and not is_ranking_row(row, repeats):
            continue
        if below and key in seen:
            continue
        seen.add(key)
        serial = cell_text(row[0]) if label_column else ""
        flags = {c: flag for (r, c), flag in raw.cell_flags.items() if r == index}
        body.append(BodyRow(label, _is_total(label, serial), row, index, raw.page, flags))
    return body


_FUSED_CODE = re.compile(r"\s+(?P<code>\(?(?P<number>\d{1,2})\)?(?:\s*=\s*[\d\s+\-*/x:().]+)?)$")
_FUSED_LETTER = re.compile(r"\s+(?P<code>[A-D])$")


def split_fused_codes(paths: list[str], codes: list[str | None]) -> tuple[list[str], list[str | None]]:
    """Captions that swallowed the column-number row: 'Điểm chuẩn tối đa 1', 'Đại học 2', 'Chỉ số 4=3/1'.

    A scan whose rule under the captions is lost reads the number row as the
    captions' last words. When the value captions end in 1, 2, 3… in order and
    stay distinct without them ('Quý 1', 'Quý 2' do not), those are codes.
    """
    found = [(_FUSED_CODE.search(path) if path else None) for path in paths]
    numbered = [(i, match) for i, match in enumerate(found) if match]
    numbers = [int(match.group("number")) for _, match in numbered]
    if len(numbers) < 3 or numbers != list(range(1, len(numbers) + 1)):
        return paths, codes
    stripped = [paths[i][: match.start()] for i, match in numbered]
    if len(set(stripped)) < len(stripped) or not all(stripped):
        return paths, codes
    new_paths, new_codes = list(paths), list(codes)
    for (i, match), caption_text in zip(numbered, stripped):
        new_paths[i], new_codes[i] = caption_text, match.group("code")
    for i in range(numbered[0][0]):  # the label columns' letters: 'STT A', 'Đơn vị B'
        letter = _FUSED_LETTER.search(new_paths[i])
        if letter:
            new_paths[i], new_codes[i] = new_paths[i][: letter.start()], letter.group("code")
    return new_paths, new_codes


def structure_table(raw: RawTable) -> StructuredTable | None:
    """Header paths, column codes, labelled body rows; None when the grid has no data row."""
    rows = _pad(raw.rows)
    first = next((i for i, row in enumerate(rows) if is_data_row(row)), None)
    if first is None:
        return None
    start, stop = header_block(rows, first)
    header = rows[start:stop]
    codes: list[str | None] = [None] * (len(rows[0]) if rows else 0)
    numbered = [i for i, row in enumerate(header) if is_column_number_row(row)]
    if numbered:
        code_row = header.pop(numbered[-1])
        codes = [cell_text(cell) or None for cell in code_row]
    paths = header_paths(header, bilingual=raw.method not in UNACCENTED_METHODS) if header else [""] * len(codes)
    if not numbered:
        paths, codes = split_fused_codes(paths, codes)
    if not any(paths) and raw.method not in PAGED_METHODS:
        return None  # a sheet's figures without captions (one province's row under the notes) name nothing
    label_column = _label_column(paths, rows[first:])
    repeats = repeated_label_columns(rows[first:], label_column)
    value_columns = [c for c in range(label_column + 1, len(codes)) if c not in repeats]
    body = _body_rows(rows, stop, label_column, value_columns, repeats, header, raw)
    if not body:
        return None

    lines = _context_lines(raw, rows[:start])
    dating = " \n ".join(_dating_lines(lines))
    table_ref = _table_ref(lines)
    as_of = find_as_of_date(dating)
    period = None
    if not as_of:
        period = _first_period(_dating_lines(lines)) or header_period(paths) or sheet_period(raw.sheet_name)
    return StructuredTable(
        table_ref=table_ref,
        title=_title(lines, table_ref),
        page=raw.page,
        method=raw.method,
        sheet_name=raw.sheet_name,
        header_paths=paths,
        column_codes=codes,
        label_column=label_column,
        value_columns=value_columns,
        body=body,
        value_labels=own_label_columns(value_columns, [label_column, *repeats]) if repeats else {},
        as_of=as_of,
        period=period,
        context=lines,
    )


def _first_period(lines: list[str]) -> tuple[date, date] | None:
    for line in lines:
        period = find_period(line)
        if period:
            return period
    return None


def _same_columns(first: StructuredTable, second: StructuredTable) -> bool:
    if len(first.header_paths) != len(second.header_paths):
        return False
    return second.header_paths == first.header_paths or not any(second.header_paths)


def join_continuations(tables: list[StructuredTable]) -> list[StructuredTable]:
    """Append a table continued on the next page (same columns, no name of its own).

    A continuation repeats the header (or has none) and either carries no
    "Biểu số" of its own or repeats the previous one ("Biểu số 2 (tiếp)").
    """
    joined: list[StructuredTable] = []
    for table in tables:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and table.method in PAGED_METHODS
            and table.method == previous.method
            and table.table_ref in (None, previous.table_ref)
            and previous.page is not None
            and table.page is not None
            and table.page - (previous.body[-1].page or previous.page) in (0, 1)
            and _same_columns(previous, table)
        ):
            previous.body.extend(table.body)
            continue
        joined.append(table)
    return joined


__all__ = [
    "BodyRow", "StructuredTable", "structure_table", "join_continuations", "header_paths", "caption",
    "is_serial_caption",
]  # fmt: skip
