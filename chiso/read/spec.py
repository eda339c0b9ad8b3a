"""What a reader declares about itself: its row of the registry (chiso.read.registry).

A reader is known to the rest of chiso only through this declaration: the file
names and first bytes it takes, the extraction methods it stamps on what it
reads (and what each method means to the later stages), and where its functions
live. The functions are named as "module:function" and imported on first use,
so that declaring every reader costs nothing: discovery and the command line
read the registry without importing pdfplumber, Tesseract or xlrd, and no
stage that asks what a method means depends on the readers' code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from chiso.model import ExtractedDocument

ZIP_MAGIC = b"PK\x03\x04"
"""The first bytes of a zip package: xlsx and docx (and any zip)."""
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of an OLE2 compound file: a BIFF8 .xls, an old .doc, an encrypted Office file."""

Grid = list[list[str | None]]
"""A sheet's cell text, row by row (chiso.interpret.tables.layout.Grid)."""


@dataclass(frozen=True)
class Method:
    """One value of `extraction_method`: how a table or a text block was read, and what follows from it."""

    name: str
    prose: bool = False
    """Its text blocks are report prose, read by the narrative reader (a sheet's notes and signature
    lines are not: their numbers are footnote markers, units and phone numbers)."""
    paged: bool = False
    """It reads printed pages: a table may continue on the next page (two sheets are two tables)."""
    typed_cells: bool = False
    """Its cells store values with more digits than they display (xlsx, xls): decimal marks are not
    evidence, and amounts count as printed in whole units."""
    ocr: bool = False
    """Its digits may be misread: a total's arithmetic is reported, not enforced."""
    unaccented: bool = False
    """Its text may have lost Vietnamese diacritics (OCR made without Vietnamese): an ASCII caption is
    then mangled Vietnamese ('Hodn thanh'), not the English line of a bilingual header."""


def _resolve(reference: str) -> Callable[..., object]:
    module, _, name = reference.partition(":")
    function = getattr(import_module(module), name)
    if not callable(function):
        raise TypeError(f"{reference} is not a function")
    return cast("Callable[..., object]", function)


@dataclass(frozen=True)
class Reader:
    """A file format chiso reads: one subpackage of chiso.read, one entry of the registry."""

    name: str
    suffixes: tuple[str, ...]
    """Lower-case file name suffixes it reads ('.docx'); discovery accepts exactly the registry's."""
    read: str
    """"module:function" taking the file's Path and returning its ExtractedDocument, or raising
    BadInputError with a reason in plain words."""
    methods: tuple[Method, ...]
    """The extraction methods on the tables, text blocks and observations it returns."""
    formats: tuple[str, ...]
    """The `ExtractedDocument.format` values it returns (dim_document.format)."""
    magic: tuple[bytes, ...] = ()
    """First bytes of the files it reads."""
    any_name: bool = False
    """A file starting with its `magic` is its own whatever the file is named (a PDF saved as .xls)."""
    accepts: str | None = None
    """"module:function" taking a Path: for a reader that takes only some files of a suffix (the
    GSO's PX-Web exports among .csv files), asked before the readers that take them all."""
    grid: str | None = None
    """"module:function" taking (Path, 1-based sheet) and returning (sheet name, cell text grid) or None:
    the quality report shows a printed cell among its neighbours (workbooks, which have no page image)."""

    def read_file(self, path: Path) -> ExtractedDocument:
        return cast("ExtractedDocument", _resolve(self.read)(path))

    def accepts_file(self, path: Path) -> bool:
        return self.accepts is None or bool(_resolve(self.accepts)(path))

    def sheet_grid(self, path: Path, sheet: int) -> tuple[str, Grid] | None:
        if self.grid is None:
            return None
        return cast("tuple[str, Grid] | None", _resolve(self.grid)(path, sheet))
