"""Tables a born-digital PDF prints without a full grid of rules → RawTable grids, from positions.

Many reports draw only some of a table's rules — a line under the header, lines
between rows, none at all — and pdfplumber's lines strategy then finds no
table: the page's figures were read as lines of prose, and nothing of it was
published. Its text strategy is no way out either (it cuts merged captions and
labels into pieces). What still says where a cell belongs is position, the way
a reader sees it:

* a **body row** is a line that prints figures in cells apart from each other
  (a column gap, not a space, between them); consecutive body rows are a table;
* the figures of the body rows stack into **column bands** (right-aligned
  figures share a right edge, centred ones a centre, and columns never
  overlap); left of the first band sit the row label and, left of it, the
  serial number; every cell of a row is laid into the band under it;
* the **header** is the lines above the body up to the table's top rule or
  its title; the fragments of one caption (wrapped over lines set closer than
  two rows ever are) form one caption block, and a block covers the columns
  whose figures lie under it. A group caption printed narrower than its
  columns ('Kết quả' over three) also takes the columns beside it that have no
  caption at its height but captions below it: those are its sub-columns.

The grid is written the way the ruled reader writes one — a merged caption is
its text in its first cell and `None` in the cells it covers — so the table
stage reads it as any other. A line of text in the label column between two
body rows is the wrapped part of the label nearest to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from statistics import median

from chiso.read.pdf.characters import Box, PdfChar, Word, group_lines, line_words, merged_spans
from chiso.read.pdf.ruled import FoundTable

_VALUE = re.compile(r"^(?:[-–—]|\(?[-+]?\d[\d.,]*%?\)?|[-+]?\d{1,3}(?: \d{3})+(?:[.,]\d+)?)$")
"""A figure as tables print it: '1.234', '47,7', '95%', '6 316', '(12)', or a dash for none."""
_SECTION = re.compile(r"^(?:[IVX]{1,4}|[A-Z]|\d{1,2})[.)]?\s+(?P<title>\w.*)$")
"""A numbered section heading ('I. ĐỐI VỚI CẤP SỞ'), in capitals: it opens the part of the page a table is in."""
_LETTER_CODE = re.compile(r"^[A-ZĐ]$")
"""'A', 'B': the codes of the serial and label columns in a column-number row."""
_SERIAL_CHARS = 3
_OCR_CELL_GAP = 0.8
"""OCR word boxes: words of one cell are at most ~0.7 of the line's height apart, columns mostly 0.8 and more (narrow captions are a limit)."""
_OCR_LINE = 0.4
"""OCR words whose middles are closer than this share of their height sit on one line."""
_MIN_ROWS = 2
_MIN_BANDS = 2
_ROW_BREAK = 3.0
"""Body rows further apart than this many times their usual pitch belong to two tables."""
_WRAP_GAP = 0.5
"""Lines of one caption are set closer than this share of the type height; two header rows
are a cell's padding further apart (measured on 7.5–11 pt type: up to 0.35 vs 0.7 and more)."""
_HEADER_GAP = 1.5
"""A header line further than this many type heights above the line below is no longer the header."""
_MAX_HEADER_LINES = 40
"""Visual lines, which interleave where captions of different lengths are centred in one row."""
_CENTRED = 0.02
"""A lone line centred on the page within this share of its width is a title, not a caption."""
_MARK_CHARS = 2
"""A cell this short may stand among figures: a mark ('x'), or a figure OCR misread ('C' for 0)."""
_CLEAN_SHARE = 0.8
"""Share of body rows that must print nothing but figures right of their label."""
_ATTACH = 0.8
"""A label line nearer to a body row than this share of the row pitch is that row's wrapped label."""


@dataclass(frozen=True)
class LayoutSettings:
    """What differs between laying out a text layer's words and OCR's."""

    wrap_gap: float = _WRAP_GAP
    """See `_WRAP_GAP`. OCR's word boxes are cut to the ink, not to the font's ascent and descent,
    so the lines of one caption lie further apart for their height (0.8; measured at 300 dpi:
    0.55 within a caption, 1.1 between header rows)."""
    misread_share: float = 0.0
    """Share of a body row's value cells that may hold text: none in a text layer, where a word
    among the figures means running text set in a grid; OCR garbles a blurred figure into letters
    ('7,75' read 'ý đy 4s)') in a row or two of most scanned tables."""


PRINTED = LayoutSettings()
OCR_LAYOUT = LayoutSettings(wrap_gap=0.8, misread_share=0.25)


@dataclass
class Line:
    """One visual line of a page, split into cells (`Word`s)."""

    words: list[Word]
    top: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class _Block:
    """One header caption: fragments of consecutive lines that belong to one cell."""

    texts: list[str]
    x0: float
    x1: float
    top: float
    bottom: float
    slots: set[int] = field(default_factory=set)

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


def is_value(text: str) -> bool:
    return bool(_VALUE.match(text))


def _lines(chars: list[PdfChar]) -> list[Line]:
    lines = []
    for group in group_lines([c for c in chars if c.text]):
        words = line_words(group)
        if words:
            lines.append(Line(words, min(w.top for w in words), max(w.bottom for w in words)))
    return lines


def _split(line: Line) -> tuple[list[Word], list[Word], list[Word]]:
    """(serial, label, values) of a line: the cells before the first text cell, the text cells
    up to the next figure, and everything after.

    A text cell has two letters or more: '9:25' is a figure OCR garbled, '©' a speck. Text
    after two figures is no label either: the label wrapped around the figures' line, which
    prints none, and OCR garbled a figure into letters ('VẬY +')."""
    words = line.words
    first_text = next((i for i, w in enumerate(words) if not is_value(w.text) and _letters(w.text) >= 2), None)
    if first_text is None or sum(is_value(w.text) for w in words[:first_text]) > 1:
        return [], [], words
    # OCR reads small serial numbers as letters ('SP', 'B0', 'Đ'): a short cell before the label is one.
    while (first_text + 1 < len(words) and len(words[first_text].text) <= _SERIAL_CHARS
           and not is_value(words[first_text + 1].text)):
        first_text += 1
    after = next((i for i in range(first_text, len(words)) if is_value(words[i].text)), len(words))
    return words[:first_text], words[first_text:after], words[after:]


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _is_body(line: Line) -> bool:
    """Two figures or more after the label, in cells of their own."""
    _, label, values = _split(line)
    return sum(1 for w in values if is_value(w.text)) >= _MIN_BANDS and not _is_code_row(label, values)


def _is_code_row(label: list[Word], values: list[Word]) -> bool:
    """The column-number row (A | B | 1 | 2 …): its codes are centred, the figures are not.

    Known by its letters, or, where OCR lost or misread them, by its numbers counting up
    from one column to the next."""
    if label and all(_LETTER_CODE.match(w.text) for w in label):
        return True
    numbers = [w.text for w in values]
    wordless = not any(_letters(w.text) >= 2 for w in label)
    return (len(numbers) >= 2 and wordless and all(n.isdigit() for n in numbers)
            and all(int(b) == int(a) + 1 for a, b in zip(numbers, numbers[1:])))


def _runs(lines: list[Line]) -> list[tuple[int, int]]:
    """(first, last) line index of each run of body rows that lie close together."""
    body = [i for i, line in enumerate(lines) if _is_body(line)]
    if len(body) < _MIN_ROWS:
        return []
    pitch = median(lines[b].middle - lines[a].middle for a, b in zip(body, body[1:]))
    runs: list[list[int]] = [[body[0], body[0]]]
    for index in body[1:]:
        if lines[index].middle - lines[runs[-1][1]].middle > _ROW_BREAK * pitch:
            runs.append([index, index])
        else:
            runs[-1][1] = index
    return [(a, b) for a, b in runs if sum(1 for i in range(a, b + 1) if _is_body(lines[i])) >= _MIN_ROWS]


def _bands(lines: list[Line]) -> list[tuple[float, float]]:
    """X-bands of the value columns: the body rows' cells after the label, merged where they overlap.

    Rows without a label are left out: a label wrapped around its row's figures prints none on
    their line, whose first figure is then the serial number, not a value."""
    return merged_spans((w.x0, w.x1) for line in lines if _is_body(line) and _split(line)[1] for w in _split(line)[2])


@dataclass
class _Slots:
    """The table's columns: serial (if printed), label, then the value bands; each a core extent."""

    cores: list[tuple[float, float]]
    label: int
    """Index of the label column."""

    @cached_property
    def limits(self) -> list[tuple[float, float]]:
        """Each column's share of the width: up to the midpoints between neighbouring cores
        (computed once: every cell of the page is laid into them)."""
        edges = [(a[1] + b[0]) / 2 for a, b in zip(self.cores, self.cores[1:])]
        lefts = [float("-inf"), *edges]
        rights = [*edges, float("inf")]
        return list(zip(lefts, rights))

    def of(self, word: Word) -> int:
        return next(i for i, (a, b) in enumerate(self.limits) if a <= word.centre < b)


def _slots(lines: list[Line], bands: list[tuple[float, float]]) -> _Slots | None:
    splits = [_split(line) for line in lines if _is_body(line)]
    found = [w for _, label, _ in splits for w in label]
    labels = [w for w in found if w.x0 < bands[0][0]]
    if len(labels) <= len(found) / 2:
        return None  # labels printed right of the figures: not a table this reader knows
    # The others are garbled figures OCR read as text, in rows whose label wrapped off their line.
    label = (min(w.x0 for w in labels), min(max(w.x1 for w in labels), bands[0][0] - 0.1))
    serials = [w for serial, _, _ in splits for w in serial if w.x1 < label[0]]
    if serials:
        serial = (min(w.x0 for w in serials), max(w.x1 for w in serials))
        return _Slots([serial, label, *bands], 1)
    return _Slots([label, *bands], 0)


def _cells(line: Line, slots: _Slots) -> list[list[tuple[float, str]]]:
    cells: list[list[tuple[float, str]]] = [[] for _ in slots.cores]
    for word in line.words:
        cells[slots.of(word)].append((line.top, word.text))
    return cells


def _body_rows(lines: list[Line], slots: _Slots) -> list[tuple[Line, list[str]]]:
    """The cells of each body row, a wrapped label line joined to the nearest row, top to bottom.

    A line with no cell under a value column is a label's wrapped part when it lies
    nearer to a row than rows lie to each other (above the row's figures when they are
    centred in the cell, below when they are set at its top), else a row of its own (a
    section heading such as 'I. Khối sở, ban, ngành').
    """
    rows: list[tuple[Line, list[list[tuple[float, str]]]]] = []
    loose: list[Line] = []
    for line in lines:
        cells = _cells(line, slots)
        if any(cells[slots.label + 1:]):
            rows.append((line, cells))
        else:
            loose.append(line)
    pitches = [b.middle - a.middle for (a, _), (b, _) in zip(rows, rows[1:])]
    pitch = median(pitches) if pitches else max(line.height for line in lines)
    for line in loose:
        nearest = min(rows, key=lambda row: abs(row[0].middle - line.middle), default=None)
        if nearest is not None and abs(nearest[0].middle - line.middle) < _ATTACH * pitch:
            for own, wrapped in zip(nearest[1], _cells(line, slots)):
                own.extend(wrapped)
        else:
            rows.append((line, _cells(line, slots)))
    rows.sort(key=lambda row: row[0].top)
    return [(line, [" ".join(text for _, text in sorted(cell, key=lambda part: part[0])) for cell in cells])
            for line, cells in rows]


def _clean_rows(lines: list[Line], slots: _Slots, misread_share: float) -> bool:
    """Whether the body rows print figures only, right of their label (a notes column aside).

    Running text set in a grid — justified lines of a two-column layout, whose wide word
    gaps split a sentence into cells, with '70%' or '-' among its words — makes bands too;
    its rows carry words between their figures, a table's rows do not."""
    body = [line for line in lines if _is_body(line)]
    notes = len(slots.cores) - 1

    def clean(line: Line) -> bool:
        cells = [w for w in line.words if slots.of(w) not in (notes, *range(slots.label + 1))]
        words = sum(1 for w in cells if not is_value(w.text) and len(w.text) > _MARK_CHARS)
        return words <= misread_share * len(cells)

    return sum(map(clean, body)) >= _CLEAN_SHARE * len(body)


def _extended(lines: list[Line], first: int, last: int, slots: _Slots) -> int:
    """The run's last line, taking in the lines right under it that still belong to the table:
    rows of one figure (a summary 'Chỉ số cao nhất … 93,10') and the wrapped end of the last
    row's label. A signature block prints no figure and lies further off."""
    body = [line for line in lines[first:last + 1] if _is_body(line)]
    pitch = median(b.middle - a.middle for a, b in zip(body, body[1:]))
    while last + 1 < len(lines):
        line, previous = lines[last + 1], lines[last]
        if line.middle - previous.middle > _ROW_BREAK * pitch:
            break
        cells = [slots.of(word) for word in line.words]
        figure = any(i > slots.label and is_value(w.text) for i, w in zip(cells, line.words))
        wrapped = all(i <= slots.label for i in cells) and line.middle - previous.middle < _ATTACH * pitch
        if not (figure or wrapped):
            break
        last += 1
    return last


def _started(lines: list[Line], first: int, floor: int, slots: _Slots) -> int:
    """The run's first line, taking in the start of the first row's label wrapped above its
    figures: a label-only line that overlaps the row's line (a label centred in its cell over
    two lines). No header caption overlaps the body's first row; on a page the table continues
    on without its header, the line above is often that wrapped label."""
    while first - 1 >= floor:
        line = lines[first - 1]
        if line.bottom <= lines[first].top or any(slots.of(word) > slots.label for word in line.words):
            break
        first -= 1
    return first


# --- the header ------------------------------------------------------------------------------


def _header_lines(lines: list[Line], first: int, floor: int, slots: _Slots,
                  page_width: float) -> tuple[list[Line], list[Line]]:
    """(header lines, column-number rows) above body line `first`, not above line `floor`.

    Upwards from the body, while the lines stay close together, stay within the table's
    width, and are not a title: one line centred on the page, or text that runs over the
    label column and another.
    """
    header: list[Line] = []
    codes: list[Line] = []
    top = lines[first].top
    for index in range(first - 1, floor - 1, -1):
        line = lines[index]
        if top - line.bottom > _HEADER_GAP * line.height or len(header) >= _MAX_HEADER_LINES:
            break
        if len(line.words) == 1 and abs(line.words[0].centre - page_width / 2) < _CENTRED * page_width:
            break
        if any(_spans_label(w, slots) for w in line.words) or _is_section(line.words[0].text):
            break
        if any(w.x1 < slots.cores[0][0] for w in line.words):
            break  # printed left of the table's first column
        serial, label, values = _split(line)
        (codes if values and _is_code_row(label, values) else header).append(line)
        top = min(top, line.top)
    return header[::-1], codes[::-1]


def _is_section(text: str) -> bool:
    match = _SECTION.match(text)
    return match is not None and match["title"] == match["title"].upper() and _letters(text) >= 4


def _spans_label(word: Word, slots: _Slots) -> bool:
    """Whether a line's text runs over the label column and another one: a title or a section
    heading ('I. ĐỐI VỚI CẤP SỞ'), which no column caption does."""
    covered = [i for i, (a, b) in enumerate(slots.cores) if word.x0 < b and a < word.x1]
    return slots.label in covered and len(covered) > 1


def _blocks(lines: list[Line], wrap_gap: float) -> list[_Block]:
    """Caption blocks: a fragment just under a block's last line, within its width, continues it."""
    blocks: list[_Block] = []
    fragments = sorted((w for line in lines for w in line.words), key=lambda w: (w.top, w.x0))
    for word in fragments:
        height = word.bottom - word.top
        above = [b for b in blocks
                 if -wrap_gap * height < word.top - b.bottom <= wrap_gap * height
                 and (b.x0 <= word.centre <= b.x1 or word.x0 <= b.centre <= word.x1)]
        if above:
            block = max(above, key=lambda b: b.bottom)
            block.texts.append(word.text)
            block.x0, block.x1 = min(block.x0, word.x0), max(block.x1, word.x1)
            block.bottom = max(block.bottom, word.bottom)
        else:
            blocks.append(_Block([word.text], word.x0, word.x1, word.top, word.bottom))
    return blocks


def _covers(blocks: list[_Block], slots: _Slots) -> None:
    """Each block's columns: those whose figures lie under it, and for a group caption the run
    of columns it is centred over.

    Figures are often set flush right and captions centred, so a group caption's text
    can end before its first or last sub-column's figures begin. Its columns are then
    the run, among the columns captioned only below it, whose middle is nearest to the caption's centre — how a reader pairs a centred
    caption with its columns.
    """
    for block in blocks:
        block.slots = {i for i, (a, b) in enumerate(slots.cores) if block.x0 < b and a < block.x1}
        if not block.slots:
            block.slots = {next(i for i, (a, b) in enumerate(slots.limits) if a <= block.centre < b)}
    extents = [(min([a, *(b.x0 for b in blocks if b.slots == {s})]), max([z, *(b.x1 for b in blocks if b.slots == {s})]))
               for s, (a, z) in enumerate(slots.cores)]
    values = range(slots.label + 1, len(slots.cores))
    highest = {s: min((b for b in blocks if s in b.slots), key=lambda b: b.top, default=None) for s in values}
    for parent in sorted(blocks, key=lambda b: b.top):
        children = [c for c in blocks if c is not parent and c.top >= parent.bottom - 1 and c.slots & parent.slots]
        if not children or not parent.slots <= set(values):
            continue
        height = parent.bottom - parent.top
        level = median((c.top + c.bottom) / 2 for c in children) - _WRAP_GAP * height

        def free(s: int, parent: _Block = parent, level: float = level) -> bool:
            """Captioned below the parent, in the row of its sub-captions: a caption centred over
            more rows (printed beside the group) sits higher than they do."""
            top = highest.get(s)
            return top is not None and top.top > parent.bottom - 1 and (top.top + top.bottom) / 2 >= level

        left, right = min(parent.slots), max(parent.slots)
        lows = [left, *(a for a in range(left - 1, slots.label, -1) if all(free(x) for x in range(a, left)))]
        highs = [right, *(b for b in range(right + 1, len(slots.cores)) if all(free(x) for x in range(right + 1, b + 1)))]
        # Nearest middle first (to the type height: two runs centred alike are a tie), then the wider run.
        a, b = min(((a, b) for a in lows for b in highs),
                   key=lambda r: (round(abs((extents[r[0]][0] + extents[r[1]][1]) / 2 - parent.centre) / height),
                                  r[0] - r[1]))
        parent.slots |= set(range(a, b + 1))


def _header_grid(blocks: list[_Block], width: int) -> list[list[str | None]]:
    """Header rows as a ruled reader gives them: a caption in its first column and top row,
    `None` in the columns and rows it spans; an uncaptioned column is blank."""
    paths = [sorted((b for b in blocks if s in b.slots), key=lambda b: b.top) for s in range(width)]
    depth = max((len(path) for path in paths), default=0)
    grid: list[list[str | None]] = [[""] * width for _ in range(depth)]
    for s, path in enumerate(paths):
        for level in range(depth):
            if level >= len(path):
                grid[level][s] = None if path else ""
            elif s and level < len(paths[s - 1]) and paths[s - 1][level] is path[level]:
                grid[level][s] = None
            else:
                grid[level][s] = " ".join(path[level].texts)
    return grid


# --- the page ------------------------------------------------------------------------------


def ocr_lines(words: list[Word]) -> list[Line]:
    """OCR's words (one per printed word, boxes in pixels) → visual lines of cells, top to bottom.

    Lines are rebuilt from the boxes, not taken from Tesseract's layout analysis, which
    reads the columns of an unruled table as separate blocks; the words of a line are one
    cell while they are closer than a column gap."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        middle = (word.top + word.bottom) / 2
        if lines:
            last = lines[-1]
            line_middle = median((w.top + w.bottom) / 2 for w in last)
            if abs(middle - line_middle) < _OCR_LINE * max(word.bottom - word.top, 1.0):
                last.append(word)
                continue
        lines.append([word])
    out = []
    for members in lines:
        members.sort(key=lambda w: w.x0)
        height = median(w.bottom - w.top for w in members)
        cells = [[members[0]]]
        for previous, word in zip(members, members[1:]):
            if word.x0 - previous.x1 > _OCR_CELL_GAP * height:
                cells.append([word])
            else:
                cells[-1].append(word)
        # Specks and rules read as '--.', '|' or '©' before a label are no part of it.
        cells = [cell[next((i for i, w in enumerate(cell) if any(ch.isalnum() for ch in w.text)), 0):] for cell in cells]
        joined = [Word(" ".join(w.text for w in cell), cell[0].x0, max(w.x1 for w in cell),
                       min(w.top for w in cell), max(w.bottom for w in cell)) for cell in cells]
        out.append(Line(joined, min(w.top for w in joined), max(w.bottom for w in joined)))
    return out


def positioned_tables(chars: list[PdfChar], page_width: float) -> list[PositionedTable]:
    """The tables of a page laid out by position alone, top to bottom (see the module docstring)."""
    return tables_of_lines(_lines(chars), page_width)


@dataclass
class PositionedTable(FoundTable):
    value_cells: list[tuple[int, int, Box]] = field(default_factory=list)
    """(row, column, box) of each value cell of the body: an OCR reader reads those boxes again,
    one cell at a time, where sparse reading garbled a blurred figure or missed a small one ('0')."""


def tables_of_lines(lines: list[Line], page_width: float, settings: LayoutSettings = PRINTED) -> list[PositionedTable]:
    """The tables among a page's lines of cells (from a text layer, or from OCR with
    `OCR_LAYOUT`), top to bottom."""
    found: list[PositionedTable] = []
    floor = 0
    for first, last in _runs(lines):
        body = lines[first:last + 1]
        bands = _bands(body)
        slots = _slots(body, bands) if len(bands) >= _MIN_BANDS else None
        if slots is None or not _clean_rows(body, slots, settings.misread_share):
            continue
        last = _extended(lines, first, last, slots)
        first = _started(lines, first, floor, slots)
        body = lines[first:last + 1]
        header, codes = _header_lines(lines, first, floor, slots, page_width)
        blocks = _blocks(header, settings.wrap_gap)
        slots = _with_captioned_columns(blocks, slots)
        _covers(blocks, slots)
        head = _header_grid(blocks, len(slots.cores))
        body_rows = _body_rows(codes + body, slots)
        code_rows = {id(line) for line in codes}
        value_cells = [(len(head) + r, s, _cell_box(slots, s, line))
                       for r, (line, cells) in enumerate(body_rows) if id(line) not in code_rows
                       for s in range(slots.label + 1, len(cells))]
        words = [w for line in header + codes + body for w in line.words]
        bbox: Box = (min(w.x0 for w in words), min(w.top for w in words),
                     max(w.x1 for w in words), max(w.bottom for w in words))
        grid: list[list[str | None]] = [*head, *(list[str | None](cells) for _, cells in body_rows)]
        found.append(PositionedTable(bbox=bbox, rows=grid, value_cells=value_cells))
        floor = last + 1
    return found


def _cell_box(slots: _Slots, column: int, line: Line) -> Box:
    """Where a value cell's figure lies: its column's band on the row's line, widened by a type
    height on each side (a figure's first or last digit that OCR missed) but not past the
    neighbouring columns' share."""
    (a, b), (low, high) = slots.cores[column], slots.limits[column]
    return (max(low, a - line.height), line.top, min(high, b + line.height), line.bottom)


def _with_captioned_columns(blocks: list[_Block], slots: _Slots) -> _Slots:
    """The columns, each lowest caption that stands over no figure given one.

    Figures set flush right under a centred caption can lie wholly beside it (ranks '1'–'8'
    under 'Xếp hạng'): a caption next to a band that no caption stands over is that band's
    caption, and the band is widened under it. Otherwise the column was left blank by the
    body — or OCR did not see its zeros — and has no band: it gets one of its own, or its
    caption would be laid over a neighbour's and the two captions merged."""
    cores = list(slots.cores)
    lowest = [block for block in blocks
              if not any(other.top >= block.bottom - 1 and other.x0 < block.x1 and block.x0 < other.x1
                         for other in blocks if other is not block)]
    over = [block for block in lowest if block.x0 > cores[slots.label][1]]
    orphans = [block for block in over if not any(block.x0 < b and a < block.x1 for a, b in cores)]
    uncaptioned = {i for i, (a, b) in enumerate(cores)
                   if i > slots.label and not any(block.x0 < b and a < block.x1 for block in over)}
    extra = []
    for block in orphans:
        left = max((i for i, (_, b) in enumerate(cores) if b <= block.x0), default=None)
        right = min((i for i, (a, _) in enumerate(cores) if a >= block.x1), default=None)
        beside = [(block.x0 - cores[i][1] if i == left else cores[i][0] - block.x1, i)
                  for i in (left, right) if i is not None and i in uncaptioned]
        if beside:
            i = min(beside)[1]
            uncaptioned.discard(i)
            cores[i] = (min(cores[i][0], block.x0), max(cores[i][1], block.x1))
        else:
            extra.append((block.x0, block.x1))
    if cores == slots.cores and not extra:
        return slots
    return _Slots(sorted([*cores, *extra]), slots.label)
