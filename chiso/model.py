"""The object model shared by every stage of the pipeline.

One small vocabulary, like pdfplumber's: a *document* yields *raw tables* (grids of
cell text as the source printed them) and *text blocks* (pages of running text);
the table and narrative stages turn those into *observations*, the long rows that
are validated, loaded and modelled by dbt. Every observation carries its
provenance (document, page, table, row and column label or sentence) so that an
analyst can always go back to the printed number.

Nothing here imports Prefect, GX or dbt: these are plain, typed values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Unit = Literal["count", "percent", "score", "ratio", "amount"]
"""`amount` is a money or quantity value with its own measure (e.g. million VND)."""

EntityLevel = Literal[
    "country", "region", "province", "district", "commune", "party_org", "agency", "station", "foreign_country"
]
"""`country` and `region` are the national and regional rows of statistical tables; `station`
(a weather or hydrological station) and `foreign_country` (GSO's international tables) are
named as printed and have no GSO code."""

ExtractionMethod = str
"""How a table or text was read: one of the methods the readers declare (chiso.read.registry.METHOD_NAMES)."""


class BadInputError(Exception):
    """A file that cannot be read at all (truncated, encrypted, empty, mislabelled).

    The message is shown to people monitoring quality reports, so it names the
    reason in plain words; the pipeline adds the file name.
    """


UNPLACED_CELL = "unplaced cell"
"""How a reader's cell flag begins when it cannot say which column a number is in: a row of an OCR text
table that prints fewer or more figures than the table's other rows (a lost cell, a blank one, two fused
or split). The number is kept, but under a guessed column it is not a fact, so the gate holds its row
(chiso.quality.gate) and the people monitoring quality see it, with the row it came from."""

MISREAD_CAPTION = "column caption misread by OCR"
"""How the flag begins on a number whose column caption OCR turned into no words (stray symbols, a
stamp): the number is read, but what it measures is not, and published under the mangled caption it
would be a measure nobody could name or compare. The gate holds it like an unplaced cell."""

HELD_FLAGS = (UNPLACED_CELL, MISREAD_CAPTION)
"""Reader and interpreter flags that say a number's meaning is unknown: the gate holds their rows."""


@dataclass
class RawTable:
    """A table as printed: rows of cell text, before any interpretation.

    `rows[i][j]` is the text of the cell, `None` where the cell is covered by a
    merged cell (pdfplumber returns merged header cells as None; spreadsheets
    have merged ranges). `context` holds the text lines printed just above the
    table (title, "Biểu số 2", "(Tính đến 31/7/2022)"), top to bottom, so the
    table stage can find the table's name and as-of date.
    """

    rows: list[list[str | None]]
    page: int | None
    """1-based page of a PDF, or 1-based sheet index of a workbook."""
    method: ExtractionMethod
    context: list[str] = field(default_factory=list)
    sheet_name: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    cell_flags: dict[tuple[int, int], str] = field(default_factory=dict)
    """(row, column) of `rows` → why the reader doubts that cell (e.g. "low OCR confidence 41");
    the table stage copies it to the cell's observation as its `quality_flag`, the value is kept."""


@dataclass
class TextBlock:
    """Running text of one page (or a whole text file), NFC-normalised."""

    text: str
    page: int | None
    method: ExtractionMethod


@dataclass
class DocumentMeta:
    """What the document says about itself (header block, title)."""

    doc_number: str | None = None
    issuer: str | None = None
    issue_date: date | None = None
    issue_month_only: bool = False
    """True when the document prints only month and year ("ngày   tháng 10 năm 2021")."""
    province: str | None = None
    title: str | None = None
    data_date: date | None = None
    """The as-of date the report's figures refer to ("số liệu tính đến 30/6/2022")."""


@dataclass
class ExtractedDocument:
    """Everything an extractor read from one file."""

    format: str
    """The reader's name for what it read (chiso.read.registry.FORMATS): pdf_text, pdf_scanned, xlsx, …"""
    pages: int
    tables: list[RawTable] = field(default_factory=list)
    texts: list[TextBlock] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    """Facts a reader produced directly, for layouts it understands completely (statistical exports)."""
    warnings: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    """Pages read by OCR because they had no usable text layer (the others never are)."""


@dataclass
class Observation:
    """One number with what it measures, for whom, when, and where it was printed."""

    indicator_label: str
    value: float
    unit: Unit
    entity_name: str
    entity_level: str
    """An EntityLevel once resolved; `unresolved` while it still holds a printed row label."""
    province: str | None
    period_end: date | None
    period_start: date | None = None
    page: int | None = None
    table_ref: str | None = None
    table_title: str | None = None
    """What the table is about as printed above it (its caption), else its sheet's name: the
    subject a column made only of breakdown words, or an item of a composite index, belongs to."""
    row_label: str | None = None
    column_label: str | None = None
    column_code: str | None = None
    """The column's printed number from the column-number row ("1", "9=7/1"), if any."""
    source_text: str = ""
    extraction_method: str = ""
    is_total: bool = False
    status: str | None = None
    """The source's own qualifier of the value, e.g. `preliminary` (GSO "Prel. 2017")."""
    quality_flag: str | None = None
    """Why a value looks wrong (e.g. an arithmetic self-check); the value is kept as printed."""
