"""Ranking layouts: every indicator sorted on its own, its label column repeated.

League tables (the PCI summaries of 2008–2012) print, for each sub-index, a
province column followed by the score column, each pair sorted by its own
score: 'Quảng Trị | 8.11 | Trà Vinh | 8.65 | …'. The row's first label names
only the first value; every other value belongs to the label printed just to
its left. A later text column is such a repeated label column when it holds
the same labels as the table's label column (a permutation of the same
provinces, compared folded: PAPI's 'Hà Nội' column beside its 'Ha Noi'
column counts too, harmlessly); a column of other text ('Vùng': '1. Thành
phố lớn') is not.
"""

from __future__ import annotations

from chiso.interpret.tables.cells import cell_text, is_label
from chiso.interpret.tables.layout import Grid
from chiso.normalize.text import fold

_SAME_LABELS = 0.8
"""Share of a column's labels that must also be labels of the table's label column."""


def _labels(body: Grid, column: int) -> list[str]:
    return [fold(cell_text(row[column])) for row in body if column < len(row) and cell_text(row[column])]


def repeated_label_columns(body: Grid, label_column: int) -> list[int]:
    """Columns right of the label column that repeat its labels in another order."""
    main = set(_labels(body, label_column))
    width = max((len(row) for row in body), default=0)
    repeats: list[int] = []
    for column in range(label_column + 1, width):
        labels = _labels(body, column)
        if len(labels) * 2 < len(body) or not all(is_label(label) for label in labels):
            continue
        if sum(label in main for label in labels) >= _SAME_LABELS * len(labels):
            repeats.append(column)
    return repeats


def own_label_columns(value_columns: list[int], label_columns: list[int]) -> dict[int, int]:
    """Value column → the label column nearest on its left."""
    return {
        value: max(column for column in label_columns if column < value)
        for value in value_columns
        if any(column < value for column in label_columns)
    }


def is_ranking_row(row: list[str | None], repeats: list[int]) -> bool:
    """A row of the league itself: its repeated label cells are filled.

    A single province's row printed below the league (its own scores, then
    its ranks) fills only the first label cell.
    """
    filled = sum(bool(cell_text(row[column])) for column in repeats if column < len(row))
    return filled * 2 >= len(repeats)
