"""HTML tables saved with an .xls name → grids.

Many portals' "Xuất Excel" buttons write an HTML page (often with Excel's
`x:` XML island) and name it .xls; Excel opens it, xlrd does not. Each
`<table>` becomes one grid; `colspan`/`rowspan` are laid out like merged
ranges (anchor text, covered cells None).
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html

Grid = list[list[str | None]]

_SHEET_NAME = re.compile(rb"<x:Name>([^<]{1,100})</x:Name>", re.IGNORECASE)
_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([\w-]+)", re.IGNORECASE)


def decode_html(data: bytes) -> str:
    """The page's text: BOM, then the declared charset, then UTF-8, then Windows-1258."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    declared = _CHARSET.search(data[:4096])
    for encoding in ([declared.group(1).decode("ascii")] if declared else []) + ["utf-8", "cp1258"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def _span(cell: Any, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1")), 1000))
    except ValueError:
        return 1


def _table_grid(table: Any) -> Grid:
    grid: dict[tuple[int, int], str | None] = {}
    rows = [tr for tr in table.iter("tr") if tr.getparent() is not None]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            text = " ".join(part.strip() for part in cell.itertext() if part.strip())
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = None
            grid[(r, c)] = text
            c += colspan
    if not grid:
        return []
    height = len(rows)
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]


def read_html_grids(data: bytes) -> list[tuple[str, Grid]]:
    """(sheet name, grid) for every top-level table of the page."""
    document = lxml.html.document_fromstring(decode_html(data))
    tables = [t for t in document.iter("table") if not any(a.tag == "table" for a in t.iterancestors())]
    names = [m.group(1).decode("utf-8", errors="replace") for m in _SHEET_NAME.finditer(data)]
    sheets = []
    for index, table in enumerate(tables):
        name = names[index] if index < len(names) else f"Table {index + 1}"
        sheets.append((name, _table_grid(table)))
    return sheets
