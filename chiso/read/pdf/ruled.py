"""Ruled tables of a born-digital PDF page, found by pdfplumber from the drawn lines.

pdfplumber's page parse (pdfminer) costs a few tenths of a second per page, so
it is only run on pages whose vector graphics could form a grid: that check
reads the page's path objects through pdfium, which is two orders of magnitude
cheaper. Long statistical annexes with borderless tables (or only horizontal
rules) therefore never pay for pdfplumber.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.page import Page

from chiso.normalize.text import clean

TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    # Cell borders drawn as separate strokes meet only approximately.
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
"""Tuned on the corpus PDF: merged headers come out as one cell plus `None`s."""

_THIN = 2.0
"""A path thinner than this (points) in one direction is a rule, not an area."""
_MIN_RULE = 5.0


@dataclass
class FoundTable:
    bbox: tuple[float, float, float, float]
    """(x0, top, x1, bottom) in points, origin at the top left of the displayed page."""
    rows: list[list[str | None]]


def page_may_have_ruled_table(page: pdfium.PdfPage) -> bool:
    """True when the page draws rules in both directions, or boxes: a grid is possible.

    Orientation is judged in unrotated page space, which is enough to tell a grid
    (both directions) from underlines and separators (one direction).
    """
    horizontal = vertical = boxes = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        width, height = right - left, top - bottom
        if width <= _THIN and height >= _MIN_RULE:
            vertical += 1
        elif height <= _THIN and width >= _MIN_RULE:
            horizontal += 1
        elif width > _THIN and height > _THIN:
            boxes += 1
        if boxes >= 1 or (horizontal >= 2 and vertical >= 2):
            return True
    return False


def _cell_text(cell: str | None) -> str | None:
    """One line per cell: line breaks inside a cell are only wrapping."""
    return None if cell is None else clean(cell.replace("\n", " "))


def find_ruled_tables(page: Page) -> list[FoundTable]:
    """The page's ruled tables, top to bottom, with cell text as printed.

    `None` cells are the ones pdfplumber reports as covered by a merged cell;
    they are kept so the table stage can rebuild header paths. A "table" of a
    single row or column is a framed box or a rule, not a table.
    """
    found = []
    for table in page.find_tables(TABLE_SETTINGS):
        rows = [[_cell_text(cell) for cell in row] for row in table.extract()]
        if len(rows) < 2 or max(len(row) for row in rows) < 2:
            continue
        found.append(FoundTable(bbox=table.bbox, rows=rows))
    return sorted(found, key=lambda t: (t.bbox[1], t.bbox[0]))
