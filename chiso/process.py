"""One document from bytes to resolved observations: the per-file unit of work.

This is the function the flow maps over new files. The reader registry
(chiso.read.registry) picks the reader from the file's content and name; this
module turns tables and sentences into observations and resolves their entities. It never
touches the warehouse, so it is safe to run concurrently and easy to test.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from chiso import budgets
from chiso.discover import SourceFile
from chiso.interpret.metadata.document import extract_metadata
from chiso.interpret.narrative.observations import extract_narrative
from chiso.interpret.narrative.periods import fallback_date
from chiso.interpret.tables.cells import cell_number, cell_text
from chiso.interpret.tables.decimals import SPREADSHEET_METHODS, uses_both
from chiso.interpret.tables.observations import is_blank_form, table_observations
from chiso.interpret.tables.periods import file_period
from chiso.interpret.tables.structure import StructuredTable, is_serial_caption, join_continuations, structure_table
from chiso.interpret.tables.subject import table_province
from chiso.model import BadInputError, DocumentMeta, ExtractedDocument, Observation, RawTable, TextBlock
from chiso.read.registry import PROSE_METHODS, reader_for
from chiso.resolve.entities import resolve_observations

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class HeldTable:
    """A table whose structure cannot be trusted: its numbers are held, the document's others publish."""

    page: int | None
    reason: str
    cells: int
    """Printed numbers in the held grid."""


_MIN_HELD_NUMBERS = 6
"""A grid with fewer numbers is a letterhead or signature fragment, not a table that was lost."""


@dataclass
class ProcessedDocument:
    source: SourceFile
    format: str
    pages: int
    meta: DocumentMeta
    observations: list[Observation]
    warnings: list[str] = field(default_factory=list)
    unresolved_labels: list[str] = field(default_factory=list)
    held_tables: list[HeldTable] = field(default_factory=list)


def read_document(path: Path) -> ExtractedDocument:
    """Read the file with the reader the registry picks from its content and name; BadInputError if unreadable."""
    size = path.stat().st_size
    if size == 0:
        raise BadInputError("empty file (0 bytes)")
    budgets.check_bytes(size)
    with path.open("rb") as handle:
        head = handle.read(1024)
    return reader_for(path, head).read_file(path)


def _metadata_texts(extracted: ExtractedDocument) -> list[TextBlock]:
    """Running text plus the lines printed above tables (spreadsheets keep their header block there)."""
    blocks = list(extracted.texts)
    for table in extracted.tables:
        if table.context:
            blocks.append(TextBlock("\n".join(table.context), table.page, table.method))
    return blocks


def process_document(source: SourceFile) -> ProcessedDocument:
    """Extract, structure, normalise and resolve one file. Raises BadInputError when unreadable."""
    extracted = read_document(source.path)
    meta = extract_metadata(_metadata_texts(extracted))
    data_date = fallback_date(meta)

    tables, held_tables = structure_tables(extracted.tables)
    observations: list[Observation] = list(extracted.observations)
    unresolved: list[str] = []
    warnings = list(extracted.warnings)
    mixed = uses_both(
        cell for raw in extracted.tables if raw.method not in SPREADSHEET_METHODS for row in raw.rows for cell in row if cell
    )
    for table in join_continuations(tables):
        if is_blank_form(table):
            warnings.append(f"{_where(table.table_ref, table.page)}: a blank scoring form (only maximum scores,"
                            " no scores): its numbers are not facts and were not read")
            continue
        warnings.extend(_doubted_non_numbers(table))
        rows = table_observations(table, data_date, file_period(source.path.name), mixed)
        subject = None if meta.province else table_province(table.context)
        if subject:  # a national document whose table is about one province
            rows, missing = resolve_observations(rows, subject)
            unresolved.extend(missing)
        observations.extend(rows)
    prose = [block for block in extracted.texts if block.method in PROSE_METHODS]
    if prose:
        observations.extend(extract_narrative(prose, meta))

    observations, missing = resolve_observations(observations, meta.province, meta.issuer)
    unresolved.extend(missing)
    log.info("%s: %d observations (%s)", source.relative_path, len(observations), extracted.format)
    return ProcessedDocument(
        source=source,
        format=extracted.format,
        pages=extracted.pages,
        meta=meta,
        observations=observations,
        warnings=warnings,
        unresolved_labels=sorted(set(unresolved)),
        held_tables=held_tables,
    )


def _where(table_ref: str | None, page: int | None) -> str:
    return ", ".join(part for part in (table_ref, f"page {page}" if page else None) if part) or "a table"


def _doubted_non_numbers(table: StructuredTable) -> list[str]:
    """Value cells the reader doubted and that read as no number: said, since they cannot be published."""
    notes = []
    for row in table.body:
        for column, flag in row.flags.items():
            text = cell_text(row.cells[column]) if column < len(row.cells) else ""
            if column in table.value_columns and text and cell_number(text) is None:
                header = table.header_paths[column] if column < len(table.header_paths) else ""
                notes.append(
                    f"{_where(table.table_ref, row.page)}, row {row.label!r}, column {header!r}: {flag};"
                    " it reads as no number, so nothing was published for that cell"
                )
    return notes


def _serial_columns(rows: list[list[str | None]]) -> set[int]:
    """Columns that number the rows (STT), not figures: headed 'STT', or counting 1, 2, 3…

    OCR misreads some serials ('1.' for 7), so most steps being +1 is enough.
    """
    width = max((len(row) for row in rows), default=0)
    serials: set[int] = set()
    for c in range(width):
        cells = [row[c] if c < len(row) else None for row in rows]
        if any(is_serial_caption(cell_text(cell).strip(" .")) for cell in cells[:3]):
            serials.add(c)
            continue
        values = [parsed.value for cell in cells if (parsed := cell_number(cell)) is not None]
        steps = [b - a == 1 for a, b in zip(values, values[1:])]
        if steps and sum(steps) >= 0.7 * len(steps):
            serials.add(c)
    return serials


def structure_tables(raws: list[RawTable]) -> tuple[list[StructuredTable], list[HeldTable]]:
    """Structured tables, and the grids full of numbers that no header or row label explains.

    Such a grid is held as a table, with its count of numbers, instead of
    vanishing: the people monitoring quality see what was not read.
    """
    tables: list[StructuredTable] = []
    held: list[HeldTable] = []
    for raw in raws:
        table = structure_table(raw)
        if table is not None:
            tables.append(table)
            continue
        serials = _serial_columns(raw.rows)
        numbered = [[cell_number(cell) is not None and c not in serials for c, cell in enumerate(row)] for row in raw.rows]
        numbers = sum(sum(row) for row in numbered)
        rows_with_numbers = sum(any(row) for row in numbered)
        if numbers >= _MIN_HELD_NUMBERS and rows_with_numbers >= 2:
            reason = f"{_where(None, raw.page)}: no column captions or row labels found for {numbers} printed numbers"
            held.append(HeldTable(raw.page, reason, numbers))
    return tables, held
