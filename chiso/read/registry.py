"""Every reader chiso has, in one table: the only place that knows which formats exist.

Discovery accepts exactly the suffixes listed here, `chiso.process` picks the
reader here, the table and narrative stages and the quality gate ask here what
an extraction method means (prose or tables, printed pages, typed cells, OCR),
the GX suite and dbt accept exactly the methods listed here, and the quality
report finds here which files have sheets to show.

Adding a reader: write its subpackage `chiso/read/<name>/` with a `READER`
declaration (chiso.read.spec.Reader) in its `__init__.py`, and add it to
`READERS` below; add its methods to the committed GX suite, which
tests/read/test_registry.py checks against this table (docs/architecture.md).
"""

from __future__ import annotations

from pathlib import Path

from chiso.model import BadInputError
from chiso.read import docx, gso, pdf, sheets, text
from chiso.read.spec import Method, Reader

READERS: tuple[Reader, ...] = (
    pdf.READER,
    text.READER,
    sheets.READER,
    gso.READER,
    docx.READER,
)


def _methods() -> tuple[Method, ...]:
    """Each method once, in registry order; two readers stamping one method must mean the same by it."""
    seen: dict[str, Method] = {}
    for reader in READERS:
        for method in reader.methods:
            if seen.setdefault(method.name, method) != method:
                raise ValueError(f"extraction method {method.name!r} is declared twice with different traits")
    return tuple(seen.values())


METHODS: tuple[Method, ...] = _methods()
METHOD_NAMES: tuple[str, ...] = tuple(method.name for method in METHODS)
"""Every extraction method a reader stamps: what the gate accepts (GX `observations` suite) and dbt tests."""
PROSE_METHODS = frozenset(method.name for method in METHODS if method.prose)
PAGED_METHODS = frozenset(method.name for method in METHODS if method.paged)
TYPED_CELL_METHODS = frozenset(method.name for method in METHODS if method.typed_cells)
OCR_METHODS = frozenset(method.name for method in METHODS if method.ocr)
UNACCENTED_METHODS = frozenset(method.name for method in METHODS if method.unaccented)
SUFFIXES = frozenset(suffix for reader in READERS for suffix in reader.suffixes)
"""Every file name suffix a reader takes: discovery reads these files and reports every other as ignored."""
FORMATS: tuple[str, ...] = tuple(dict.fromkeys(fmt for reader in READERS for fmt in reader.formats))


def reader_for(path: Path, head: bytes) -> Reader:
    """The reader of the file at `path`, whose first bytes are `head`.

    A reader that recognises its files by content (`any_name`) takes them
    whatever their name; otherwise the suffix decides, a reader that takes only
    some files of the suffix (`accepts`) being asked first. The reader itself
    tells the finer types apart and refuses what it cannot read, with a reason.
    """
    for reader in READERS:
        if reader.any_name and any(head.startswith(magic) for magic in reader.magic):
            return reader
    suffix = path.suffix.lower()
    candidates = [reader for reader in READERS if suffix in reader.suffixes]
    for reader in sorted(candidates, key=lambda reader: reader.accepts is None):
        if reader.accepts_file(path):
            return reader
    raise BadInputError(f"unsupported file type '{suffix}'")


def grid_reader(path: Path) -> Reader | None:
    """The reader that can show a sheet of the file at `path` as a grid (workbooks), if any."""
    suffix = path.suffix.lower()
    return next((reader for reader in READERS if suffix in reader.suffixes and reader.grid), None)
