"""`chiso.extract(path)`: one file's observations as a run publishes them, without a warehouse.

For notebooks and scripts, the way `pdfplumber.open` is pdfplumber's door: the
same reader, interpretation, entity resolution and Great Expectations gate as
the nightly run, on one file, returned as a Polars frame with the landing
table's columns (value, unit, entity with its GSO code, period, and provenance:
document, page, bbox, table, row and column labels). Rows the gate would hold
are left out, and arithmetic flags are set, exactly as the run does.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from chiso.discover import SourceFile, sha256_of
from chiso.interpret.dossier import inherit_report_dates
from chiso.load.frames import observations_frame
from chiso.process import process_document


def extract(path: str | Path, *, validate: bool = True) -> pl.DataFrame:
    """The observations a run would publish for the file at `path`.

    `validate=False` skips the gate (no Great Expectations import, ~5 s less):
    every observation read is returned, held rows included, without arithmetic
    flags. An unreadable file raises chiso.model.BadInputError with the reason
    a run would quarantine it for.
    """
    file = Path(path)
    document = process_document(SourceFile(file, file.name, sha256_of(file), file.stat().st_size))
    inherit_report_dates([document])
    frame = observations_frame([document])
    if not validate:
        return frame
    from chiso.quality import totals_checks, validate_batch
    from chiso.quality.severity import flag_discrepancies
    from chiso.run.batch import apply_gate

    totals = totals_checks(frame)
    gate = validate_batch(frame, totals)
    assert gate.arithmetic is not None, "validate_batch always judges the arithmetic suite"
    flagged = flag_discrepancies(frame, totals, gate.arithmetic)
    return apply_gate([document], flagged, gate).published
