"""Score the borderless-table reader on GSO's population projection PDF (126 pages).

Runs `find_borderless_tables` → `structure_table` → `join_continuations` →
`table_observations` over the whole file and prints:

* tables found (per page and section, then joined across pages), values found;
* identification: share of joined tables whose province (from the OCR'd title),
  sex and complete list of age groups (0-4 … 80+) are known;
* arithmetic: share of joined tables whose age groups sum to the `Total` row in
  every year column (the source's own control sum);
* values present: on a sample of pages, each row the reader produced must have
  its label's figures, digit for digit, on a line of `pdftotext -layout` of the
  same page (an independent extractor: poppler, not pdfium); and the digits
  the reader kept are compared with all the digits of pdftotext's data lines,
  so dropped rows show as well as misread ones;
* speed: pages/s of the reader (OCR of titles included) vs bare pdfplumber
  `extract_text` over the same file (`--no-baseline` skips that ~30 s run).

    .venv/bin/python scripts/score_gso_pdf.py [--no-baseline] [PDF]
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

from rapidfuzz import process

from chiso.bench import bare_pdfplumber_seconds
from chiso.interpret.tables.cells import cell_number
from chiso.interpret.tables.observations import table_observations
from chiso.interpret.tables.structure import StructuredTable, join_continuations, structure_table
from chiso.normalize.text import fold
from chiso.read.pdf.borderless import find_borderless_tables
from chiso.resolve.entities import province_unit
from chiso.resolve.units import provinces

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "real" / "gso" / \
    "population-projection-2014-2034_by-province.pdf"
AGE_GROUPS = [f"{a}-{a + 4}" for a in range(0, 80, 5)] + ["80+"]
SEXES = {"Both sexes", "Male", "Female"}
_PROVINCE = re.compile(r"B\.\s?2\.\s?\d+\.?\s*(.+?),\s*PROJECTED", re.I)
_PDFTOTEXT_ROW = re.compile(r"^\s*(\d{1,2}-\d{1,2}|\d{2}\+?|Total)\s+(\d[\d ]*\d)\s*$")
SAMPLE_EVERY = 5


def province_of(context: list[str]) -> str | None:
    """The province named in the title, as a known province (exact key, else closest name)."""
    match = next((m for m in map(_PROVINCE.search, context) if m), None)
    if not match:
        return None
    unit = province_unit(match.group(1))
    if unit:
        return unit.entity_name
    names = {fold(u.short_name): u.entity_name for u in provinces()}
    best = process.extractOne(fold(match.group(1)), list(names), score_cutoff=80)
    return names[best[0]] if best else None


def sex_of(table: StructuredTable) -> str | None:
    return next((line for line in reversed(table.context) if line in SEXES), None)


def total_differences(table: StructuredTable) -> list[float] | None:
    """Per year column: sum of the age groups minus the printed Total; None without one Total row."""
    totals = [row for row in table.body if row.is_total]
    parts = [row for row in table.body if not row.is_total]
    if len(totals) != 1 or not parts:
        return None
    differences = []
    for column in table.value_columns:
        total = cell_number(totals[0].cells[column])
        values = [cell_number(row.cells[column]) for row in parts]
        if total is None or any(v is None for v in values):
            return None
        differences.append(sum(v.value for v in values) - total.value)
    return differences


def rounding_tolerance(table: StructuredTable) -> float:
    """Each printed part is rounded to a whole person: their sum may be off by half a person each."""
    return 0.5 * sum(1 for row in table.body if not row.is_total)


def pdftotext_rows(path: Path, page: int) -> list[str]:
    """Digits of each data line of poppler's layout text of one page."""
    text = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    return [m.group(2).replace(" ", "") for m in map(_PDFTOTEXT_ROW.match, text.splitlines()) if m]


def values_present(path: Path, raw_tables: list, pages: list[int]) -> tuple[int, int, int, int]:
    """(values in rows matched, values, digits kept, digits in pdftotext data lines) on `pages`."""
    matched = values = kept = reference = 0
    for page in pages:
        lines = pdftotext_rows(path, page)
        reference += sum(len(line) for line in lines)
        available = list(lines)
        for table in (t for t in raw_tables if t.page == page):
            for row in table.rows[2:]:
                cells = [c for c in row[1:] if c]
                digits = "".join(c.replace(" ", "") for c in cells)
                values += len(cells)
                kept += len(digits)
                if digits in available:
                    available.remove(digits)
                    matched += len(cells)
    return matched, values, kept, reference


def main(argv: list[str]) -> int:
    baseline = "--no-baseline" not in argv
    args = [a for a in argv if not a.startswith("--")]
    path = Path(args[0]) if args else DEFAULT
    import pypdfium2 as pdfium

    pages = len(pdfium.PdfDocument(path))
    start = time.perf_counter()
    raw_tables, warnings = find_borderless_tables(path)
    seconds = time.perf_counter() - start

    structured = [structure_table(raw) for raw in raw_tables]
    failed = sum(1 for table in structured if table is None)
    joined = join_continuations([table for table in structured if table is not None])
    observations = [obs for table in joined for obs in table_observations(table, None)]

    identified = sum(1 for t in joined if province_of(t.context) and sex_of(t)
                     and [row.label for row in t.body if not row.is_total] == AGE_GROUPS)
    differences = {id(table): total_differences(table) for table in joined}
    exact = sum(1 for d in differences.values() if d is not None and not any(d))
    rounded = sum(1 for t in joined if differences[id(t)] is not None
                  and all(abs(x) <= rounding_tolerance(t) for x in differences[id(t)]))
    columns = [x for d in differences.values() if d is not None for x in d]
    off_columns = {t.header_paths[c].rsplit(" / ", 1)[-1] for t in joined if differences[id(t)]
                   for c, x in zip(t.value_columns, differences[id(t)]) if x}
    provinces_found = {province_of(t.context) for t in joined} - {None}
    periods = {obs.period_end for obs in observations}

    sample = list(range(1, pages + 1, SAMPLE_EVERY))
    matched, values, kept, reference = values_present(path, raw_tables, sample)

    print(f"file: {path.name}, {pages} pages")
    print(f"raw tables (section x page): {len(raw_tables)}; structure_table failed on {failed}")
    print(f"joined tables: {len(joined)} (expected 3 sexes x provinces), provinces: {len(provinces_found)}")
    print(f"values (observations): {len(observations)}; distinct period_end: {len(periods)}")
    share = identified / len(joined) if joined else 0.0
    print(f"province + sex + all 17 age groups identified: {identified}/{len(joined)} = {share:.1%}")
    print(f"age groups sum to Total exactly in every year: {exact}/{len(joined)} = {exact / len(joined):.1%}; "
          f"within rounding (0.5 per group): {rounded}/{len(joined)} = {rounded / len(joined):.1%}")
    print(f"  year columns summing exactly: {sum(1 for x in columns if not x)}/{len(columns)}; "
          f"years with differences: {sorted(off_columns)}, largest {max(map(abs, columns), default=0):.0f}")
    print(f"values present (pdftotext, {len(sample)} sample pages): rows matched {matched}/{values} values "
          f"= {matched / max(values, 1):.1%}; digits kept {kept}/{reference} = {kept / max(reference, 1):.1%}")
    print(f"reader: {seconds:.1f} s = {pages / seconds:.1f} pages/s (OCR of titles included)")
    if baseline:
        plain = bare_pdfplumber_seconds(path)
        print(f"bare pdfplumber extract_text: {plain:.1f} s = {pages / plain:.1f} pages/s")
    print(f"warnings: {len(warnings)}")
    for warning in warnings[:10]:
        print("  ", warning)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
