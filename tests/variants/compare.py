"""Truth cells of a transformed table against what chiso published for the generated file.

A cell is exact when an observation has its row label and column header path (both folded:
accent-, case- and whitespace-insensitive) and its value (|Δ| < 1e-9). Each observation can
match one cell only. Observations left over are extra published numbers (a precision figure).
Row labels are compared as printed, never through entity resolution, which is another module's
job; the entity levels chiso assigned are counted on the side.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Protocol

from chiso.normalize.text import fold

_TOLERANCE = 1e-9
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


def _key(text: str | None) -> str:
    """Folded label with spacing normalised: the path separator spaced one way ('A/B' = 'A / B'),
    no space inside brackets ('(SIPAS )', a caption wrapped before its bracket, = '(SIPAS)'), one
    apostrophe ('D’Ran' as the appendix types it = "D'Ran" as the reference list spells it)."""
    folded = fold(text).translate(_QUOTES)
    folded = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", folded))
    return " / ".join(part.strip() for part in folded.split("/"))


class Published(Protocol):
    """What a published number is compared by: a landing row of `chiso.extract`, or an Observation."""

    @property
    def row_label(self) -> str | None: ...
    @property
    def column_label(self) -> str | None: ...
    @property
    def value(self) -> float: ...
    @property
    def entity_level(self) -> str: ...


@dataclass
class Comparison:
    cells: int = 0
    exact: int = 0
    extra: int = 0
    missing: list[tuple[str, str, float]] = field(default_factory=list)
    """Truth cells without a matching observation."""
    wrong: list[tuple[str, str, float, list[float]]] = field(default_factory=list)
    """Missing cells whose row and column were published, with other values (a misread number)."""
    extras: list[tuple[str | None, str | None, float]] = field(default_factory=list)
    levels: Counter[str] = field(default_factory=Counter)
    causes: Counter[str] = field(default_factory=Counter)
    """Why cells were missed: `row` (no observation has the row label: the row was dropped or its
    label misread), `column` (the row is there but not under that header path), `value` (row and
    column found, another number published)."""
    examples: dict[str, list[str]] = field(default_factory=dict)
    """Per cause, a few missed cells with the nearest published label, for the failure log."""


def compare(truth: list[tuple[str, str, float]], observations: list[Published]) -> Comparison:
    pool: dict[tuple[str, str], list[Published]] = defaultdict(list)
    for obs in observations:
        pool[(_key(obs.row_label), _key(obs.column_label))].append(obs)
    result = Comparison(cells=len(truth))
    used: set[int] = set()
    rows_seen = {_key(o.row_label): o.row_label or "" for o in observations}
    columns_seen = {_key(o.column_label): o.column_label or "" for o in observations}
    for row, column, value in truth:
        candidates = pool.get((_key(row), _key(column)), [])
        match = next((o for o in candidates if id(o) not in used and abs(o.value - value) < _TOLERANCE), None)
        if match is None:
            result.missing.append((row, column, value))
            if candidates:
                result.wrong.append((row, column, value, [o.value for o in candidates]))
                cause, example = "value", f"{row!r} × {column!r} = {value:g}, published {[o.value for o in candidates]}"
            elif _key(row) not in rows_seen:
                cause, example = "row", f"row {row!r}, nearest published {_nearest(row, rows_seen)!r}"
            else:
                cause, example = "column", f"column {column!r}, nearest published {_nearest(column, columns_seen)!r}"
            result.causes[cause] += 1
            shown = result.examples.setdefault(cause, [])
            if len(shown) < 3 and example not in shown:
                shown.append(example)
            continue
        used.add(id(match))
        result.exact += 1
    for obs in observations:
        result.levels[obs.entity_level] += 1
        if id(obs) not in used:
            result.extra += 1
            result.extras.append((obs.row_label, obs.column_label, obs.value))
    return result


def _nearest(label: str, seen: dict[str, str]) -> str | None:
    """The published label closest to a missed one (an OCR misreading, a dropped header level)."""
    from rapidfuzz import process

    found = process.extractOne(_key(label), list(seen))
    return seen[found[0]] if found else None
