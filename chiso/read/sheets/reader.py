"""Spreadsheets (xlsx, xls, HTML named .xls, csv) → `ExtractedDocument`.

The real type is read from the file's first bytes, never from its name:
portals serve HTML under .xls names and error pages under .xlsx names. Each
sheet is turned into a grid of cell text, and every table found in the grid
(see `chiso.interpret.tables.layout`) becomes a `RawTable` whose `context` holds the
lines printed above it (title, "Biểu số 6", "(Tính đến 31/7/2022)"). The
remaining text of a sheet (notes sheets, footnotes, signature lines) is kept
as a `TextBlock` of the same page.
"""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import xlrd

from chiso import budgets
from chiso.interpret.tables.layout import Grid, anchors, find_tables
from chiso.model import BadInputError, ExtractedDocument, ExtractionMethod, RawTable, TextBlock
from chiso.normalize.text import clean
from chiso.read.sheets.csv_grid import read_csv_grid
from chiso.read.sheets.html_grid import read_html_grids
from chiso.read.sheets.tcvn3 import decode_tcvn3, looks_tcvn3
from chiso.read.sheets.xls import read_xls_grids
from chiso.read.sheets.xlsx import read_xlsx_grids
from chiso.read.spec import OLE2_MAGIC, ZIP_MAGIC

_HTML_MARKS = (b"<html", b"<table", b"<!doctype html", b"<?xml", b"<head", b"<body", b"<meta")
_ENCRYPTED_OLE = "EncryptionInfo".encode("utf-16-le")
_DELIMITED_SUFFIXES = {".csv", ".tsv", ".txt"}
_METHOD: dict[str, ExtractionMethod] = {"xlsx": "xlsx", "xls": "xls", "xls_html": "html", "csv": "csv"}


def sniff_format(path: Path, data: bytes) -> str:
    """xlsx | xls | xls_html | csv from the content; BadInputError for anything else."""
    suffix = path.suffix.lower() or "(no extension)"
    if not data:
        raise BadInputError("empty file (0 bytes)")
    if data.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as error:
            raise BadInputError(f"corrupt spreadsheet ({error})") from error
        if "xl/workbook.xml" not in names:
            raise BadInputError(f"not a spreadsheet (zip archive without an Excel workbook named {suffix})")
        return "xlsx"
    if data.startswith(OLE2_MAGIC):
        if _ENCRYPTED_OLE in data:
            raise BadInputError("encrypted spreadsheet, password required")
        return "xls"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and any(mark in data[:4096].lower() for mark in _HTML_MARKS):
        return "xls_html"
    if data.startswith(b"%PDF"):
        raise BadInputError(f"not a spreadsheet (PDF file named {suffix})")
    if b"\x00" in data[:4096]:
        raise BadInputError(f"not a spreadsheet (unknown binary file named {suffix})")
    if suffix in _DELIMITED_SUFFIXES:
        return "csv"
    raise BadInputError(f"not a spreadsheet (text file named {suffix})")


def _grids(path: Path, data: bytes, kind: str, notes: list[str]) -> list[tuple[str, Grid]]:
    try:
        if kind == "xlsx":
            return read_xlsx_grids(path, notes)
        if kind == "xls":
            return read_xls_grids(path)
        if kind == "xls_html":
            return read_html_grids(data)
        return [(path.stem, read_csv_grid(data))]
    except BadInputError:
        raise
    except (xlrd.biffh.XLRDError, zipfile.BadZipFile, KeyError, ValueError, EOFError, AssertionError) as error:
        message = str(error) or type(error).__name__
        if "encrypt" in message.lower():
            raise BadInputError("encrypted spreadsheet, password required") from error
        raise BadInputError(f"corrupt spreadsheet ({message})") from error


def _normalise(grid: Grid) -> Grid:
    """NFC text, rows padded to one width, empty trailing rows and columns dropped.

    Non-breaking spaces and numbers typed as text stay as they are: the table
    stage reads them, and `source_text` keeps what was printed. A sheet typed
    in the legacy TCVN3 font encoding is converted to Unicode first.
    """
    if looks_tcvn3([c for row in grid for c in row if c]):
        grid = [[decode_tcvn3(c) if c else c for c in row] for row in grid]
    rows = [[unicodedata.normalize("NFC", c) if c else c for c in row] for row in grid]
    while rows and not anchors(rows[-1]):
        rows.pop()
    width = max((max(anchors(row), default=-1) + 1 for row in rows), default=0)
    return [(row + [""] * width)[:width] for row in rows]


def _line(row: list[str | None]) -> str:
    return " ".join(clean(row[j]) for j in anchors(row))


def _sheet_parts(grid: Grid, page: int, name: str, method: ExtractionMethod) -> tuple[list[RawTable], TextBlock | None]:
    tables: list[RawTable] = []
    used: set[int] = set()
    previous_end = 0
    for span in find_tables(grid):
        context = [_line(row) for row in grid[previous_end:span.header] if anchors(row)]
        tables.append(
            RawTable(
                rows=grid[span.header:span.end],
                page=page,
                method=method,
                context=context,
                sheet_name=name,
            )
        )
        used.update(range(span.header, span.end))
        previous_end = span.end
    lines = [_line(row) for i, row in enumerate(grid) if i not in used and anchors(row)]
    text = "\n".join(line for line in lines if line)
    return tables, (TextBlock(text=text, page=page, method=method) if text else None)


def read_spreadsheet(path: Path) -> ExtractedDocument:
    """Read every sheet of a workbook (or the one table of a csv/HTML export)."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        budgets.check_delimited(path)  # before the whole file is held in memory
    data = path.read_bytes()
    kind = sniff_format(path, data)
    method = _METHOD[kind]
    document = ExtractedDocument(format=kind, pages=0)
    sheets = _grids(path, data, kind, document.warnings)
    document.pages = len(sheets)
    for index, (name, raw_grid) in enumerate(sheets, start=1):
        grid = _normalise(raw_grid)
        tables, text = _sheet_parts(grid, index, name, method)
        document.tables.extend(tables)
        if text:
            document.texts.append(text)
    if not document.tables:
        document.warnings.append("no table with numbers found in any sheet")
    return document


def sheet_grid(path: Path, sheet: int) -> tuple[str, Grid] | None:
    """Sheet `sheet` (1-based, as `RawTable.page`) as the readers see it: its name and cell text grid.

    For showing a printed cell in its neighbourhood (chiso.report); None when there is no such sheet.
    """
    data = Path(path).read_bytes()
    sheets = _grids(Path(path), data, sniff_format(Path(path), data), notes=[])  # notes are the reader's business
    if not 1 <= sheet <= len(sheets):
        return None
    name, grid = sheets[sheet - 1]
    return name, _normalise(grid)


__all__ = ["read_spreadsheet", "sheet_grid", "sniff_format"]
