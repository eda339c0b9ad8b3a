"""Variant kinds: the ways real documents of one genre differ, applied to a base table.

Each transform returns a new table *and therefore a new truth*: the comparer checks chiso
against the transformed table, never against the base. A transform returns None when it does
not apply to a table (no multi-level header to remove, category rows have no units to replace).
Rendering choices (fonts, decimal convention, numbers typed as text) are in `Style`, chosen by
the same seeded generator.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from chiso.normalize.text import fold
from tests.variants.base import BaseTable, Cell, Column, Row
from tests.variants.units import agency_units, commune_units, district_units

RULES = ("HORIZONTAL_LINES", "NO_HORIZONTAL_LINES", "MINIMAL", "SINGLE_TOP_LINE", "NONE")
"""Tables drawn with only some of their rules, or none (fpdf2's names): what Word and report
generators print when borders are turned off in part."""
FONTS = ("DejaVuSerif", "DejaVuSans", "DejaVuSerifCondensed", "DejaVuSansCondensed")
_GROUP_CAPTIONS = ("Chia ra", "Trong đó", "Kết quả thực hiện", "Số lượng", "Kết quả")


@dataclass(frozen=True)
class Style:
    """How a document prints its table; the defaults are the genre's most common form."""

    decimal: str = "vi"
    """`vi` ('9,50', '1.234', '95,27%') or `en` ('9.50', '1,234', '95.27%'), for the whole document."""
    font: str = "DejaVuSerif"
    font_size: float = 9.0
    column_numbers: bool = True
    """A column-number row (A | B | 1 | 2 …) under the header."""
    percent_sign: bool = False
    """Percent cells printed '92%' rather than '92'."""
    numbers_as_text: bool = False
    """xlsx: numbers typed as text ('1.333', '13,25'), as many exported sheets do."""
    serial_caption: str = "STT"
    rules: str = "ALL"
    """PDF: which table rules are drawn (fpdf2's `TableBordersLayout`: ALL, HORIZONTAL_LINES,
    NO_HORIZONTAL_LINES, MINIMAL, SINGLE_TOP_LINE, NONE): many born-digital reports draw only some."""
    report_paragraphs: int = 0
    """PDF: 0 prints the table on an appendix page of its own; n sets it inside a report, the way
    reports print their tables: under the national letterhead (issuer, number, place and date),
    after n paragraphs of prose that cite documents and dates but state no figure, its header not
    repeated when it runs onto the next page, then notes and the distribution list."""


def rows_reordered(table: BaseTable, rng: random.Random) -> BaseTable | None:
    """Entity rows shuffled (another sort key); a totals row moves to the top in a third of the cases."""
    body = [r for r in table.rows if r.kind in ("entity", "category")]
    tail = [r for r in table.rows if r.kind not in ("entity", "category")]
    if len(body) < 2:
        return None
    shuffled = body[:]
    while [r.label for r in shuffled] == [r.label for r in body]:
        rng.shuffle(shuffled)
    totals = [r for r in tail if r.kind == "total"]
    others = [r for r in tail if r.kind != "total"]
    if totals and rng.random() < 1 / 3:
        return table.with_rows(totals + shuffled + others)
    return table.with_rows(shuffled + tail)


TOTAL_LABELS = ("Cộng", "Tổng cộng", "TỔNG CỘNG", "Tổng số", "Toàn tỉnh")


def totals_renamed(table: BaseTable, rng: random.Random) -> BaseTable:
    """The totals row under another of the genre's names ('Tổng cộng', 'Toàn tỉnh')."""
    rows = [replace(r, label=rng.choice(TOTAL_LABELS)) if r.kind == "total" else r for r in table.rows]
    return table.with_rows(rows)


def _groups(columns: tuple[Column, ...]) -> list[list[int]]:
    """Runs of columns that share a top caption (a merged header cell), in order."""
    groups: list[list[int]] = []
    for j, column in enumerate(columns):
        if groups and len(column.path) > 1 and columns[groups[-1][0]].path[0] == column.path[0] \
                and len(columns[groups[-1][0]].path) > 1:
            groups[-1].append(j)
        else:
            groups.append([j])
    return groups


def _permute(table: BaseTable, order: list[int]) -> BaseTable:
    columns = tuple(table.columns[j] for j in order)
    rows = tuple(replace(r, cells=tuple(r.cells[j] for j in order)) for r in table.rows)
    return replace(table, columns=columns, rows=rows)


def columns_reordered(table: BaseTable, rng: random.Random) -> BaseTable | None:
    """Column groups reordered, and the columns inside a group (a merged caption stays one block)."""
    groups = _groups(table.columns)
    if len(table.columns) < 2:
        return None
    original = [j for g in groups for j in g]
    order = original
    for _ in range(20):
        shuffled = [g[:] for g in groups]
        rng.shuffle(shuffled)
        for g in shuffled:
            rng.shuffle(g)
        order = [j for g in shuffled for j in g]
        if order != original:
            break
    return _permute(table, order)


def header_level_added(table: BaseTable, rng: random.Random) -> BaseTable | None:
    """A caption over a run of single-level columns ('Chia ra'), or over the whole table."""
    caption = rng.choice(_GROUP_CAPTIONS)
    singles = [j for j, c in enumerate(table.columns) if len(c.path) == 1]
    runs: list[list[int]] = []
    for j in singles:
        if runs and runs[-1][-1] == j - 1:
            runs[-1].append(j)
        else:
            runs.append([j])
    runs = [r for r in runs if len(r) >= 2]
    if runs and rng.random() < 0.6:
        run = rng.choice(runs)
        start = rng.randrange(0, len(run) - 1)
        chosen = set(run[start:])
    else:
        chosen = set(range(len(table.columns)))
    if any(fold(table.columns[j].path[0]) == fold(caption) for j in chosen):
        return None
    columns = tuple(
        replace(c, path=(caption, *c.path)) if j in chosen else c for j, c in enumerate(table.columns)
    )
    return replace(table, columns=columns)


def header_level_removed(table: BaseTable, rng: random.Random) -> BaseTable | None:
    """The top caption of the grouped columns dropped, or fused into the column's own caption
    ('Đào tạo chuyên môn - Đại học') where dropping it would leave two columns of one name."""
    if all(len(c.path) == 1 for c in table.columns):
        return None
    dropped = [c.path[1:] if len(c.path) > 1 else c.path for c in table.columns]
    unique = len({fold(" / ".join(p)) for p in dropped}) == len(dropped)
    if unique and rng.random() < 0.7:
        paths = dropped
    else:
        paths = [(f"{c.path[0]} - {c.path[1]}", *c.path[2:]) if len(c.path) > 1 else c.path for c in table.columns]
    columns = tuple(replace(c, path=tuple(p)) for c, p in zip(table.columns, paths))
    return replace(table, columns=columns)


def units_replaced(table: BaseTable, rng: random.Random, agencies: list[str]) -> BaseTable | None:
    """Entity rows renamed after real units of the same level, of one other province."""
    entities = [r for r in table.rows if r.kind == "entity"]
    if not entities:
        return None
    if table.entity_level == "district":
        party = sum(" ủy " in f" {r.label} " for r in entities) * 2 > len(entities)
        units = district_units(rng, len(entities), party, table.province.split(" ", 1)[-1])
    elif table.entity_level == "commune":
        units = commune_units(rng, len(entities), table.province.split(" ", 1)[-1])
    elif table.entity_level == "agency":
        units = agency_units(rng, len(entities), agencies)
    else:
        return None
    if units is None:
        return None
    names = iter(units)
    rows = [replace(r, label=next(names).printed) if r.kind == "entity" else r for r in table.rows]
    province = units[0].province or table.province
    return replace(table.with_rows(rows), province=province)


def excerpt(table: BaseTable, rng: random.Random, size: int) -> BaseTable:
    """At most `size` entity rows (a one-page scan of a long list); totals and max/mean/min
    rows recomputed from the rows kept so the excerpt stays a consistent document."""
    entities = [r for r in table.rows if r.kind in ("entity", "category")]
    if len(entities) <= size:
        return table
    keep = sorted(rng.sample(range(len(entities)), size))
    kept = [entities[i] for i in keep]
    rows: list[Row] = []
    for row in table.rows:
        if row.kind in ("entity", "category"):
            continue
        rows.append(_recompute(row, kept))
    first = next(i for i, r in enumerate(table.rows) if r.kind in ("entity", "category"))
    head = [r for r in rows if table.rows.index(next(x for x in table.rows if x.label == r.label)) < first]
    tail = [r for r in rows if r not in head]
    return table.with_rows(head + kept + tail)


def _recompute(row: Row, kept: list[Row]) -> Row:
    cells: list[Cell | None] = []
    for j, cell in enumerate(row.cells):
        values = [r.cells[j].value for r in kept if r.cells[j] is not None]
        if cell is None or not values:
            cells.append(None)
            continue
        label = fold(row.label)
        if "cao nhat" in label:
            value = max(values)
        elif "thap nhat" in label:
            value = min(values)
        elif "trung binh" in label:
            value = _round_half_up(sum(values) / len(values), cell.decimals)
        else:  # a totals row
            value = _round_half_up(sum(values), cell.decimals)
        cells.append(Cell(value, cell.decimals))
    return replace(row, cells=tuple(cells))


def _round_half_up(value: float, decimals: int) -> float:
    from decimal import ROUND_HALF_UP, Decimal

    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def total_consistent(table: BaseTable) -> bool:
    """Whether each count column's totals row equals the sum of its rows (additive tables)."""
    totals = [r for r in table.rows if r.kind == "total"]
    body = [r for r in table.rows if r.kind in ("entity", "category")]
    for total in totals:
        for j, column in enumerate(table.columns):
            if column.unit != "count" or total.cells[j] is None:
                continue
            if abs(sum(r.cells[j].value for r in body if r.cells[j] is not None) - total.cells[j].value) > 1e-6:
                return False
    return True


Transform = Callable[[BaseTable, random.Random], "BaseTable | None"]
