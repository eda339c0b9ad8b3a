"""The layout of a GSO PX-Web CSV export: title, header, stub columns, data rows.

An export is one quoted title line ("<what> by <variable>, <variable> and
<variable>"), a blank line, a header row, then data rows. The leading header
cells that repeat a variable named in the title are the *stub* (row-label)
columns — one or two of them (`Cities, provincies`; `Year` + `Station`;
`Items` + `Year`); the remaining columns fuse the other variables (`Total
1995`). That rule comes from how PX-Web writes tables, not from one file.
The delimiter is sniffed by counting, since PX-Web can be set to `;`, `,` or tab.
Exports re-saved from R (no title, header written twice) are read too; the
file name stands in for the title (see `gso_resaved`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from chiso.model import BadInputError
from chiso.normalize.text import clean, fold
from chiso.read.gso.labels import split_title
from chiso.read.gso.resaved import REBUILT_WARNING, unmangle_cell, unmangle_header

_DELIMITERS = (";", ",", "\t")
_MISSING = frozenset({"", "..", "...", "…", "-", "x", "na", "n/a"})
_YEAR_STUB = re.compile(r"^(?:school )?years?$")
_MONTH_STUB = re.compile(r"^months?$")
_PLACE_STUB = re.compile(r"citi|provin|\bcity\b|region")
_STATION_STUB = re.compile(r"\bstations?\b")
_ABROAD_STUB = re.compile(r"countr|territor")
_MEASURE_STUB = re.compile(r"^(?:items?|iterms|indicators?|number)$")
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)*$")


@dataclass
class Stub:
    """One row-label column and what its cells name."""

    index: int
    header: str
    role: str
    """year, month, place (provinces, regions), station (weather and hydrological stations),
    abroad (countries and territories of the international tables), measure (a stub of
    measures: `Items`) or other (crops, sectors)."""


@dataclass
class PxTable:
    """An export split into its parts; rows are padded or cut to the header's width."""

    title: str
    header: list[str]
    stubs: list[Stub]
    rows: list[list[str]]
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes) -> tuple[str, str | None]:
    """Text and a warning: PX-Web writes UTF-8 with a BOM, but a few exports are Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "not UTF-8: decoded as Windows-1252"


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the header and first rows into the same, widest shape."""

    def score(delimiter: str) -> tuple[int, int]:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        widest = max(widths, default=1)
        return sum(1 for n in widths if n == widest and n > 1), widest

    return max(_DELIMITERS, key=score)


def _title_and_header(lines: list[str]) -> tuple[str, list[str], str] | str:
    """(title, header, delimiter) when the first lines have the PX-Web shape, else why not."""
    if not any(line.strip() for line in lines):
        return "empty file"
    if len(lines) < 3:
        return "fewer than three lines (title, blank line, header)"
    delimiter = sniff_delimiter([line for line in lines[2:12] if line.strip()])
    title = [cell for cell in next(csv.reader([lines[0]], delimiter=delimiter)) if cell.strip()]
    if len(title) != 1:
        return f"the first line is a row of {len(title)} cells, not a one-cell title"
    if lines[1].strip():
        return "no blank line between the title and the header"
    header = next(csv.reader([lines[2]], delimiter=delimiter))
    if len(header) < 2:
        return "the header has fewer than two columns"
    return clean(title[0]), header, delimiter


def looks_like_pxweb(head: str) -> bool:
    """True when text starts with a title line naming the header's first variable, a blank line, a header."""
    found = _title_and_header(head.splitlines()[:12])
    if isinstance(found, str):
        return False
    title, header, _ = found
    variables = split_title(title)[1]
    return bool(variables) and fold(header[0]) in fold(variables)


def is_missing(cell: str) -> bool:
    """GSO's missing-value marks ('..', blank) and the usual others; all ASCII, so no folding needed."""
    return cell.strip().lower() in _MISSING


def _stub_count(header: list[str], variables: str) -> int:
    """How many leading header cells repeat a variable named in the title (PX-Web's stub columns)."""
    key = fold(variables)
    count = 0
    while count < len(header) - 1 and header[count].strip() and fold(header[count]) in key:
        count += 1
    return count


def _role(header: str) -> str:
    key = fold(header)
    if _YEAR_STUB.match(key):
        return "year"
    if _MONTH_STUB.match(key):
        return "month"
    if _STATION_STUB.search(key):
        return "station"
    if _ABROAD_STUB.search(key):
        return "abroad"
    if _PLACE_STUB.search(key):
        return "place"
    if _MEASURE_STUB.match(key):
        return "measure"
    return "other"


def _resaved_header(lines: list[str]) -> tuple[list[str], str] | None:
    """(header, delimiter) of an export re-saved from R: one header of several cells written twice on top."""
    if len(lines) < 3 or not lines[0].strip() or lines[0] != lines[1]:
        return None
    delimiter = sniff_delimiter([line for line in lines[:12] if line.strip()])
    header = next(csv.reader([lines[0]], delimiter=delimiter))
    return (header, delimiter) if len(header) >= 2 else None


def is_resaved(head: str) -> bool:
    """True when text starts the way GSO exports re-saved from R do (see `gso_resaved`)."""
    return _resaved_header(head.splitlines()[:12]) is not None


def _data_rows(lines: list[str], delimiter: str, width: int) -> tuple[list[list[str]], int]:
    """Non-blank rows padded or cut to `width` cells, and how many did not have that width."""
    rows = [
        row for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter) if any(cell.strip() for cell in row)
    ]
    if not rows:
        raise BadInputError("no data rows below the header")
    ragged = sum(1 for row in rows if len(row) != width)
    return [(row + [""] * width)[:width] for row in rows], ragged


def _label_columns(header: list[str], rows: list[list[str]]) -> int:
    """How many leading columns label rows when no title says so: period columns and mostly non-numeric ones."""
    count = 0
    while count < len(header) - 1:
        cells = [row[count].strip() for row in rows if not is_missing(row[count])]
        numeric = sum(1 for cell in cells if _NUMBER.match(cell))
        if _role(header[count]) not in ("year", "month") and cells and numeric * 2 >= len(cells):
            break
        count += 1
    return count


def parse_pxweb(data: bytes, file_title: str = "") -> PxTable:
    """Split an export into title, header, stub columns and rows, or say why it is not one.

    `file_title` (the file name without suffix) stands in for the title of an
    export re-saved from R, which lost its title line.
    """
    text, warning = decode(data)
    lines = text.splitlines()
    warnings = [w for w in (warning,) if w]
    resaved = _resaved_header(lines) if file_title else None
    if resaved is not None:
        return _parse_resaved(lines, *resaved, clean(file_title), warnings)
    found = _title_and_header(lines)
    if isinstance(found, str):
        raise BadInputError(f"not a PX-Web table: {found}")
    title, header, delimiter = found
    variables = split_title(title)[1]
    if not variables:
        raise BadInputError(f"not a PX-Web table: the title names no variables ('… by …'): {title!r}")
    rows, ragged = _data_rows(lines[3:], delimiter, len(header))
    stubs = [Stub(i, clean(header[i]), _role(header[i])) for i in range(_stub_count(header, variables))]
    if not stubs:
        raise BadInputError(f"no row-label column: the header's first cell {header[0]!r} is not a variable of the title")
    if ragged:
        warnings.append(f"{ragged} rows do not have the header's {len(header)} cells")
    return PxTable(title=title, header=header, stubs=stubs, rows=rows, warnings=warnings)


def _parse_resaved(
    lines: list[str], raw_header: list[str], delimiter: str, title: str, warnings: list[str]
) -> PxTable:
    """An R re-save: names rebuilt (`gso_resaved`), stubs found from the cells since no title names them."""
    header = [unmangle_header(cell) for cell in raw_header]
    rows, ragged = _data_rows(lines[2:], delimiter, len(header))
    rows = [[unmangle_cell(cell) for cell in row] for row in rows]
    count = _label_columns(header, rows)
    if count == 0:
        raise BadInputError(f"no row-label column: the first column {header[0]!r} holds numbers")
    warnings.append(REBUILT_WARNING)
    if ragged:
        warnings.append(f"{ragged} rows do not have the header's {len(header)} cells")
    stubs = [Stub(i, header[i], _role(header[i])) for i in range(count)]
    return PxTable(title=title, header=header, stubs=stubs, rows=rows, warnings=warnings)
