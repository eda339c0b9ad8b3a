"""Ruled tables of a born-digital PDF page, from pdfium's vector paths and characters.

pdfplumber finds ruled tables well, but its page parse (pdfminer interpreting
the content stream in Python) cost 0.4-0.6 s a page: ~80% of reading a
report. pdfium has parsed the page already: its path objects hold the
segments pdfminer builds its lines, rectangles and curves from, and its
characters are the ones read for the page text. So the segments become
pdfplumber's edges here, pdfplumber's own table finder (snap, join,
intersections, cells, tables) runs on them unchanged, and the cells are
filled with the page's characters: the same grids at a few milliseconds a
page. Pages whose graphics cannot form a grid are not even asked.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import TableFinder

from chiso.normalize.text import clean
from chiso.read.pdf.characters import Box, PdfChar, group_lines, line_text

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


Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]
Transform = Callable[[float, float, float, float], Box]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_FORM_DEPTH = 8
"""Forms nested deeper than this are not descended (a malformed file can nest them without end)."""


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """`inner` then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(obj: ctypes.c_void_p) -> Matrix:
    raw = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, raw):
        return _IDENTITY
    return (raw.a, raw.b, raw.c, raw.d, raw.e, raw.f)


def _paths(page: pdfium.PdfPage) -> Iterator[tuple[ctypes.c_void_p, Matrix]]:
    """Every path object of the page, with the matrix from its space to page space (forms descended)."""
    raw = page.raw
    objects = [pdfium_c.FPDFPage_GetObject(raw, i) for i in range(pdfium_c.FPDFPage_CountObjects(raw))]
    yield from _walk(objects, _IDENTITY, 0)


def _walk(objects: list[ctypes.c_void_p], outer: Matrix, depth: int) -> Iterator[tuple[ctypes.c_void_p, Matrix]]:
    for obj in objects:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            yield obj, _compose(_matrix(obj), outer)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH:
            inner = [pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(pdfium_c.FPDFFormObj_CountObjects(obj))]
            yield from _walk(inner, _compose(_matrix(obj), outer), depth + 1)


def _subpaths(path: ctypes.c_void_p, matrix: Matrix) -> Iterator[list[Point]]:
    """Each subpath's points in page space, as pdfminer lists them: segment end points (a Bézier's
    control points left out), and the start point again where the subpath is closed."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[Point] = []
    bezier = 0
    for index in range(pdfium_c.FPDFPath_CountSegments(path)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, index)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier = (bezier + 1) % 3  # pdfium lists a Bézier as its two control points, then its end
            if bezier:
                continue
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            if len(points) > 1:
                yield points
            points = [point]
            continue
        points.append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            if points[-1] != points[0]:
                points.append(points[0])
            yield points
            points = []
    if len(points) > 1:
        yield points


def page_edges(page: pdfium.PdfPage, transform: Transform) -> list[dict[str, object]]:
    """The page's path segments as pdfplumber's edges, on the displayed page.

    As pdfminer classifies them: a subpath of one segment is a line (vertical
    unless exactly horizontal, a quirk kept so the tables stay pdfplumber's);
    any other subpath (rectangles included) gives an edge per horizontal or
    vertical segment.
    """
    edges: list[dict[str, object]] = []
    for path, matrix in _paths(page):
        for points in _subpaths(path, matrix):
            shown = [transform(x, y, x, y)[:2] for x, y in points]
            if len(shown) == 2 or (len(shown) == 3 and shown[2] == shown[0]):
                pairs, line = [(shown[0], shown[1])], True
            else:
                pairs, line = list(zip(shown, shown[1:])), False
            for (x0, top0), (x1, top1) in pairs:
                if x0 == x1:
                    orientation = "v"
                elif top0 == top1:
                    orientation = "h"
                elif line:
                    orientation = "v"
                else:
                    continue
                left, right, top, bottom = min(x0, x1), max(x0, x1), min(top0, top1), max(top0, top1)
                edges.append({"object_type": "line" if line else "curve_edge", "x0": left, "x1": right,
                              "top": top, "bottom": bottom, "doctop": top, "width": right - left,
                              "height": bottom - top, "orientation": orientation})
    return edges


class _Page:
    """What pdfplumber's TableFinder reads of a page: its edges and box."""

    def __init__(self, edges: list[dict[str, object]], bbox: Box) -> None:
        self.edges, self.bbox = edges, bbox


def _middle_in(char: PdfChar, box: Box) -> bool:
    """pdfplumber's rule: a character belongs to the cell that holds the middle of its box."""
    x, y = (char.x0 + char.x1) / 2, char.middle
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def _cell_text(chars: list[PdfChar]) -> str:
    """The cell's lines joined by spaces, each line's words split as the page text splits them."""
    return " ".join(text for line in group_lines(chars) if (text := line_text(line)))


def ruled_tables(page: pdfium.PdfPage, chars: list[PdfChar], transform: Transform,
                 settings: dict[str, object]) -> list[tuple[Box, list[list[str | None]]]]:
    """(bbox, rows) of every table pdfplumber's finder makes of the page's rules.

    Cells are filled with the page's own characters (`None` for a cell that a
    merged cell covers, as pdfplumber reports it); words are split as in the
    page text, where the source prints a space or leaves a word gap.
    """
    width, height = page.get_size()
    finder = TableFinder(_Page(page_edges(page, transform), (0.0, 0.0, width, height)), settings)  # type: ignore[arg-type]
    by_middle = sorted(chars, key=lambda c: c.middle)
    middles = [c.middle for c in by_middle]
    found = []
    for table in finder.tables:
        rows: list[list[str | None]] = []
        for row in table.rows:
            band = by_middle[bisect_left(middles, row.bbox[1]):bisect_left(middles, row.bbox[3])]
            in_row = [char for char in band if _middle_in(char, row.bbox)]
            rows.append([None if cell is None else _cell_text([c for c in in_row if _middle_in(c, cell)])
                         for cell in row.cells])
        x0, top, x1, bottom = table.bbox
        found.append(((float(x0), float(top), float(x1), float(bottom)), rows))
    return found


def find_ruled_tables(page: pdfium.PdfPage, chars: list[PdfChar], transform: Transform) -> list[FoundTable]:
    """The page's ruled tables, top to bottom, with cell text as printed.

    `None` cells are the ones pdfplumber reports as covered by a merged cell;
    they are kept so the table stage can rebuild header paths. A "table" of a
    single row or column is a framed box or a rule, not a table.
    """
    found = []
    for bbox, rows in ruled_tables(page, chars, transform, TABLE_SETTINGS):
        rows = [[None if cell is None else clean(cell) for cell in row] for row in rows]
        if len(rows) < 2 or max(len(row) for row in rows) < 2:
            continue
        found.append(FoundTable(bbox=bbox, rows=rows))
    return sorted(found, key=lambda t: (t.bbox[1], t.bbox[0]))
