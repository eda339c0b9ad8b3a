"""Measure the warehouse against the Lâm Đồng 2025 references (../shared/real/lamdong-2025).

The references (`reference.csv`: source_file, page, table_ref, row_label,
column_label, value) were made independently of chiso, cell by cell, so they
test the table readers and the entity resolver at once. Rules:

* A reference cell is *in the warehouse* when `marts.fct_indicator_observation`
  holds a row of a document with the same `source_file` (via
  `marts.dim_document`) whose
  - row_label folds equal to the reference row_label (`chiso.normalize.text.fold`:
    case, accents and whitespace runs ignored). Only when the document has no
    row with an equal label, a row whose label contains the reference label or
    is contained in it is accepted; such matches are counted and printed
    ("by containment") so a lenient figure never hides;
  - column_label's last level (split on " / ") folds equal to, or ends with
    (on a word boundary), the reference column_label's last level — or the whole
    folded column_label ends with the whole folded reference label (the scan's
    reference names two levels, "Số liệu đánh giá của địa phương / tỷ lệ (%)");
  - value is within 0.006 of the reference (reference values are rounded to
    2 decimals) and unit is not null.
  One warehouse row serves one reference cell: among several candidates the
  one with the same table_ref, then the same page, is taken, so a value printed
  identically in two tables ("Chỉ số cao nhất" 100.00 for agencies and communes)
  needs two rows. Page agreement (the row's page = the reference page) is
  reported, not required.
* A found cell is *on a coded entity* when the row's entity (`marts.dim_entity`)
  is a 2025 commune, ward or special zone (level 'commune', a gso_code, province
  Lâm Đồng), or a provincial agency (level 'agency', province Lâm Đồng); the
  summary rows 'Chỉ số cao nhất / trung bình / thấp nhất' describe the whole
  province, so there the entity must be the province Lâm Đồng (level 'province').
  The commune's province and name are checked too (stricter than a bare
  gso_code): a namesake commune of another province, or a coded commune whose
  name does not end the printed label ('UBND xã Phú Sơn Lâm Hà' filed under
  'Phú Sơn'), is a wrong entity, not a coded one. Apostrophes are compared as
  one character (B’Lao = B'Lao). The scan's criteria table is about the
  province as a whole and names no unit, so its score counts cells found only.
* A miss has one reason, the first step that failed: the document has no
  published row at all (held whole, or not in the run), no row with that label,
  column not found, label found but value differs, value found but no unit.
  As a diagnostic, a miss also says whether its value was published from the
  reference page under other labels (a number read, but not its row or column).

Per-document outcomes (cells published / flagged / held) come from
`marts.dq_document_outcomes` when the warehouse has it; an older warehouse is
read from the fact table (published, flagged by quality_flag) and
`marts.dq_quarantine` (cells held per held unit when it has a `unit` column,
else a quarantined file is held whole). The top held reason is the *kind* of
reason that held the most cells, from dq_quarantine's held units (rows, tables,
documents; dq_held_observations lists held rows only): without its place
("(page 6, row …)"), quoted labels and numbers, so forty rows missing a date are
one reason, not forty.
"""

from __future__ import annotations

import csv
import fnmatch
import re
import shutil
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb

from chiso.normalize.text import fold

PROVINCE_2025 = "Lâm Đồng"
APPENDICES = "lamdong_phu-luc-I-VII_chi-so-cchc-2025"
SCAN = "lamdong_scan_ttr511-cat_ma-tuy_2025"
DISTRACTOR = "bnv_qd1187_bo-chi-so-cchc-cap-tinh"
NOT_DOCUMENTS = ("reference*.csv", "README*", "_method")
"""What the folder holds besides the documents: the answers and their notes never enter a run."""
VALUE_TOLERANCE = 0.006
_SUMMARY_ROW = re.compile(r"^chi so (cao nhat|trung binh|thap nhat)$")
_MIN_CONTAINED = 4
"""A label shorter than this (folded) never matches by containment: 'xa' is in every commune."""
_APOSTROPHE = re.compile("[\u2018\u2019\u02bc`]")

NO_DOCUMENT = "document has no published row"
NO_ROW = "no row with that label"
NO_COLUMN = "column not found"
VALUE_DIFFERS = "label found but value differs"
NO_UNIT = "value found but no unit"
MISS_REASONS = (NO_DOCUMENT, NO_ROW, NO_COLUMN, VALUE_DIFFERS, NO_UNIT)

_CELLS_SQL = """
select d.source_file, f.page, f.table_ref, f.row_label, f.column_label, f.value, f.unit,
       e.level, e.gso_code, e.province, e.name_vi
from marts.fct_indicator_observation f
join marts.dim_document d using (document_id)
left join marts.dim_entity e using (entity_id)
where d.source_file in (select unnest(?))
"""


@dataclass(frozen=True)
class ReferenceCell:
    """One printed cell of the independent reference."""

    source_file: str
    page: int
    table_ref: str
    row_label: str
    column_label: str
    value: float


@dataclass(frozen=True)
class WarehouseCell:
    """One published observation with the entity it was filed under."""

    source_file: str
    page: int | None
    table_ref: str | None
    row_label: str | None
    column_label: str | None
    value: float
    unit: str | None
    level: str | None
    gso_code: str | None
    province: str | None
    entity_name: str | None


@dataclass(frozen=True)
class CellMatch:
    """A reference cell and the warehouse row that holds it, or why none does."""

    cell: ReferenceCell
    row: WarehouseCell | None
    reason: str | None = None
    by_containment: bool = False
    nearest: WarehouseCell | None = None
    """For a value miss: the candidate of the right row and column, to show what was published."""
    value_on_page: bool = False
    """For a miss: the value was published from the reference page under other labels (a diagnostic
    only: the reader found the number but not its row or column)."""

    @property
    def found(self) -> bool:
        return self.row is not None

    @property
    def coded(self) -> bool:
        return self.row is not None and is_coded(self.cell, self.row)

    @property
    def found_by_containment(self) -> bool:
        return self.row is not None and self.by_containment

    @property
    def page_agrees(self) -> bool:
        return self.row is not None and self.row.page == self.cell.page


def read_reference(path: Path) -> list[ReferenceCell]:
    """The reference cells of one `reference.csv`."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            ReferenceCell(r["source_file"], int(r["page"]), r["table_ref"], r["row_label"], r["column_label"],
                          float(r["value"]))
            for r in csv.DictReader(handle)
        ]


def warehouse_cells(con: duckdb.DuckDBPyConnection, files: set[str]) -> list[WarehouseCell]:
    """Every published observation of the given source files."""
    return [WarehouseCell(*row) for row in con.execute(_CELLS_SQL, [sorted(files)]).fetchall()]


def _last_level(label: str | None) -> str:
    return fold((label or "").split(" / ")[-1])


def _ends_with_words(text: str, tail: str) -> bool:
    return bool(tail) and (text == tail or text.endswith(" " + tail))


def column_matches(reference_label: str, warehouse_label: str | None) -> bool:
    """The warehouse column is the reference column (last header level, or the whole path's end)."""
    if _ends_with_words(_last_level(warehouse_label), _last_level(reference_label)):
        return True
    return " / " in reference_label and _ends_with_words(fold(warehouse_label), fold(reference_label))


def _contains(a: str, b: str) -> bool:
    short = min(a, b, key=len)
    return len(short) >= _MIN_CONTAINED and (a in b or b in a)


def _apostrophes(text: str) -> str:
    return _APOSTROPHE.sub("'", text)


def _names(label: str, entity_name: str | None) -> bool:
    """The printed label ends with the entity's name as whole words, after its title
    ('UBND phường 1 Bảo Lộc' → '1 Bảo Lộc'; 'UBND xã Phú Sơn Lâm Hà' is not 'Phú Sơn')."""
    return _ends_with_words(_apostrophes(fold(label)), _apostrophes(fold(entity_name)))


def is_coded(cell: ReferenceCell, row: WarehouseCell) -> bool:
    """The row's entity is the coded 2025 unit the reference row names (see the module rules)."""
    in_province = fold(row.province) == fold(PROVINCE_2025)
    if _SUMMARY_ROW.match(fold(cell.row_label)):
        return row.level == "province" and in_province
    if row.level == "commune":
        return row.gso_code is not None and in_province and _names(cell.row_label, row.entity_name)
    return row.level == "agency" and in_province


class _Matcher:
    """Finds each reference cell's row among one document set's observations, each row used once."""

    def __init__(self, rows: list[WarehouseCell]) -> None:
        self.by_file: dict[str, list[int]] = defaultdict(list)
        self.by_label: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.rows = rows
        self.folded = [fold(r.row_label) for r in rows]
        self.used: set[int] = set()
        for i, row in enumerate(rows):
            self.by_file[row.source_file].append(i)
            self.by_label[(row.source_file, self.folded[i])].append(i)

    def _label_candidates(self, cell: ReferenceCell) -> tuple[list[int], bool]:
        label = fold(cell.row_label)
        exact = self.by_label.get((cell.source_file, label), [])
        if exact:
            return exact, False
        return [i for i in self.by_file.get(cell.source_file, []) if _contains(label, self.folded[i])], True

    def _rank(self, cell: ReferenceCell, i: int) -> tuple[bool, bool]:
        row = self.rows[i]
        return fold(row.table_ref) == fold(cell.table_ref), row.page == cell.page

    def _value_on_page(self, cell: ReferenceCell) -> bool:
        return any(self.rows[i].page == cell.page and abs(self.rows[i].value - cell.value) < VALUE_TOLERANCE
                   for i in self.by_file.get(cell.source_file, []))

    def match(self, cell: ReferenceCell) -> CellMatch:
        found = self._match(cell)
        return found if found.found else replace(found, value_on_page=self._value_on_page(cell))

    def _match(self, cell: ReferenceCell) -> CellMatch:
        if cell.source_file not in self.by_file:
            return CellMatch(cell, None, NO_DOCUMENT)
        labelled, by_containment = self._label_candidates(cell)
        if not labelled:
            return CellMatch(cell, None, NO_ROW)
        in_column = [i for i in labelled if column_matches(cell.column_label, self.rows[i].column_label)]
        if not in_column:
            return CellMatch(cell, None, NO_COLUMN, by_containment)
        close = [i for i in in_column if abs(self.rows[i].value - cell.value) < VALUE_TOLERANCE]
        free = [i for i in close if i not in self.used]
        if not free:
            nearest = min(in_column, key=lambda i: abs(self.rows[i].value - cell.value))
            return CellMatch(cell, None, VALUE_DIFFERS, by_containment, self.rows[nearest])
        with_unit = [i for i in free if self.rows[i].unit]
        if not with_unit:
            return CellMatch(cell, None, NO_UNIT, by_containment, self.rows[free[0]])
        best = max(with_unit, key=lambda i: self._rank(cell, i))
        self.used.add(best)
        return CellMatch(cell, self.rows[best], None, by_containment)


def match_cells(reference: list[ReferenceCell], rows: list[WarehouseCell]) -> list[CellMatch]:
    """Each reference cell with its warehouse row (rules in the module docstring)."""
    matcher = _Matcher(rows)
    return [matcher.match(cell) for cell in reference]


def _percent(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.1%}" if whole else f"{part}/0"


@dataclass
class ReferenceScore:
    """The matches of one reference file, with the figures the issues quote."""

    name: str
    matches: list[CellMatch] = field(default_factory=list)
    entities: bool = True
    """Whether coded entities are part of the score (the scan's criteria table names no unit)."""

    def count(self, attribute: str, source_file: str | None = None) -> tuple[int, int]:
        chosen = [m for m in self.matches if source_file is None or m.cell.source_file == source_file]
        return sum(getattr(m, attribute) for m in chosen), len(chosen)

    @property
    def found_rate(self) -> float:
        found, total = self.count("found")
        return found / total if total else 0.0

    @property
    def coded_rate(self) -> float:
        coded, total = self.count("coded")
        return coded / total if total else 0.0

    def _line(self, label: str, source_file: str | None) -> str:
        found, total = self.count("found", source_file)
        coded, _ = self.count("coded", source_file)
        pages, _ = self.count("page_agrees", source_file)
        entity = f" on a coded entity {_percent(coded, total)};" if self.entities else ""
        return f"  {label}: in warehouse {_percent(found, total)};{entity} page agrees on {pages}/{found}"

    def _misses(self, examples: int) -> list[str]:
        lines: list[str] = []
        by_reason: dict[str, list[CellMatch]] = defaultdict(list)
        for m in self.matches:
            if m.reason:
                by_reason[m.reason].append(m)
        for reason in MISS_REASONS:
            misses = by_reason.get(reason, [])
            if misses:
                lines.append(f"  missed, {reason}: {len(misses)}")
                lines.extend(f"    {_describe(m)}" for m in misses[:examples])
        return lines

    def _uncoded(self, examples: int) -> list[str]:
        uncoded = [m for m in self.matches if m.found and not m.coded]
        lines = [f"  found but not on a coded entity: {len(uncoded)}"] if uncoded else []
        entities = Counter((m.cell.row_label, m.row.entity_name, m.row.level, m.row.province) for m in uncoded if m.row)
        lines.extend(f"    {label!r} -> {name!r} ({level}, {province}) x{n}"
                     for (label, name, level, province), n in entities.most_common(examples))
        return lines

    def render(self, examples: int = 10) -> str:
        files = sorted({m.cell.source_file for m in self.matches})
        lines = [f"== {self.name}"]
        if len(files) > 1:
            lines.extend(self._line(f, f) for f in files)
        lines.append(self._line("overall", None))
        contained, _ = self.count("found_by_containment")
        if contained:
            lines.append(f"  matched by label containment, not equality: {contained}")
        on_page, _ = self.count("value_on_page")
        if on_page:
            lines.append(f"  of the misses, value published from the same page under other labels: {on_page}")
        uncoded = self._uncoded(examples) if self.entities else []
        return "\n".join(lines + self._misses(examples) + uncoded)


def _describe(m: CellMatch) -> str:
    c = m.cell
    text = f"{c.source_file} p.{c.page} {c.row_label!r} / {c.column_label!r} = {c.value:.10g}"
    if m.nearest is not None:
        text += f" (published: {m.nearest.value:.10g} {m.nearest.unit or 'no unit'}, p.{m.nearest.page})"
    return text


def score_reference(warehouse: Path, reference_csv: Path, entities: bool = True) -> ReferenceScore:
    """Match every cell of `reference_csv` against the warehouse."""
    reference = read_reference(reference_csv)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = warehouse_cells(con, {c.source_file for c in reference})
    return ReferenceScore(reference_csv.parent.name, match_cells(reference, rows), entities)


def _is_document(path: Path) -> bool:
    return not any(fnmatch.fnmatch(path.name, pattern) for pattern in NOT_DOCUMENTS)


def copy_documents(lamdong: Path, dest: Path) -> None:
    """Copy the documents of the lamdong-2025 folder to `dest` (a raw folder), without references or READMEs."""
    shutil.copytree(lamdong, dest, ignore=shutil.ignore_patterns(*NOT_DOCUMENTS))


def published_observations(warehouse: Path, folder: Path) -> dict[str, int]:
    """Observations published per document of `folder` (for the distractor: expected almost none)."""
    files = {p.name for p in folder.iterdir() if p.is_file() and _is_document(p)}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        counts = dict(con.execute(
            "select d.source_file, count(f.document_id) from marts.dim_document d"
            " left join marts.fct_indicator_observation f using (document_id)"
            " where d.source_file in (select unnest(?)) group by 1", [sorted(files)]
        ).fetchall())
    return {f: counts.get(f, 0) for f in sorted(files)}


@dataclass
class LamdongReport:
    """The three measures of the lamdong-2025 folder."""

    appendices: ReferenceScore
    scan: ReferenceScore
    distractor: dict[str, int]

    def render(self, examples: int = 10) -> str:
        lines = [self.appendices.render(examples), self.scan.render(examples),
                 f"== {DISTRACTOR} (expected: almost none)"]
        lines.extend(f"  {name}: {n} observations published" for name, n in self.distractor.items())
        return "\n".join(lines)


def score_lamdong(warehouse: Path, lamdong: Path) -> LamdongReport:
    """Score a warehouse built from the lamdong-2025 documents (alone or with other files)."""
    return LamdongReport(
        score_reference(warehouse, lamdong / APPENDICES / "reference.csv"),
        score_reference(warehouse, lamdong / SCAN / "reference.csv", entities=False),
        published_observations(warehouse, lamdong / DISTRACTOR),
    )


@dataclass(frozen=True)
class DocumentOutcome:
    """What became of one file: published, flagged and held cells, and the main reason for holding."""

    source_file: str
    status: str
    published: int
    flagged: int
    held: int | None
    """None when nobody counted: a file refused at reading holds no cells that were ever read."""
    top_reason: str | None

    @property
    def held_whole(self) -> bool:
        return self.status.startswith(HELD_WHOLE) or self.status in WHOLE_STATUSES


HELD_WHOLE = "held whole"
WHOLE_STATUSES = ("quarantined", "rejected")
"""dq_document_outcomes' statuses of a document held whole by the gate, or unreadable."""


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute(
        "select count(*) from information_schema.tables where table_schema = 'marts' and table_name = ?", [name]
    ).fetchall()[0][0])


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    return bool(con.execute(
        "select count(*) from information_schema.columns"
        " where table_schema = 'marts' and table_name = ? and column_name = ?", [table, column]
    ).fetchall()[0][0])


_WHERE = re.compile(r"\s*\((page|row|table|column) [^()]*(\([^()]*\)[^()]*)*\)")
_QUOTED = re.compile(r"'[^']*'")
_NUMBER = re.compile(r"\d+")
_PAGE_PREFIX = re.compile(r"^page \d+: ")
_LATEST_HELD_UNITS = """
select source_file, stage, unit, cells_held, reason from marts.dq_quarantine
qualify run_id = first_value(run_id) over (partition by source_file order by quarantined_at desc)
"""


def reason_kind(reason: str | None) -> str | None:
    """A held reason without where it happened ("(page 6, row '…')", "page 4: "), the labels it quotes and the
    "… and 37 more rows" tails: forty rows missing a date are one reason, not forty."""
    if not reason:
        return None
    parts = [_QUOTED.sub("'…'", _WHERE.sub("", _PAGE_PREFIX.sub("", part))).strip() for part in reason.split("; ")]
    return "; ".join(dict.fromkeys(part for part in parts if part and not part.startswith("…")))


def _first_reason(reasons: object) -> str | None:
    """`reasons` as the outcomes table stores it: a list, or text ('row: … | table: …')."""
    if isinstance(reasons, (list, tuple)):
        return reason_kind(str(reasons[0])) if reasons else None
    return reason_kind(str(reasons).split(" | ")[0]) if reasons else None


def _top_reasons(held_units: list[tuple[Any, ...]]) -> dict[str, str]:
    """Per file, the kind of reason that held the most cells (numbers aside: 'page 4: … 27 numbers'
    and 'page 5: … 14 numbers' are one kind), shown by its first instance with the units and cells."""
    weight: dict[str, Counter[str]] = defaultdict(Counter)
    units: dict[str, Counter[str]] = defaultdict(Counter)
    shown: dict[tuple[str, str], str] = {}
    for source_file, _stage, unit, cells, reason in held_units:
        kind = f"{unit}: {reason_kind(reason)}"
        key = _NUMBER.sub("#", kind)
        weight[source_file][key] += cells or 0
        units[source_file][key] += 1
        shown.setdefault((source_file, key), kind)
    top = {}
    for f, counter in weight.items():
        key = max(counter, key=lambda k: (counter[k], units[f][k]))
        counted = f" ({units[f][key]} unit(s), {counter[key]} cells)" if counter[key] else ""
        top[f] = shown[(f, key)] + counted
    return top


def _latest_held_units(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """dq_quarantine's held units of each file's latest run (source_file, stage, unit, cells_held, reason)."""
    if _has_column(con, "dq_quarantine", "unit"):
        return con.execute(_LATEST_HELD_UNITS).fetchall()
    return [(f, stage, "document", None, reason) for f, stage, reason in con.execute(
        "select source_file, stage, reason from marts.dq_quarantine"
        " qualify row_number() over (partition by source_file order by quarantined_at desc) = 1"
    ).fetchall()]


def _outcomes_from_marts(con: duckdb.DuckDBPyConnection) -> list[DocumentOutcome]:
    """The lead's per-document table; the top reason weighs dq_quarantine's held units by their cells."""
    top = _top_reasons(_latest_held_units(con))
    rows = con.execute(
        "select source_file, status, cells_published, cells_flagged, cells_held, reasons"
        " from marts.dq_document_outcomes order by source_file"
    ).fetchall()
    return [DocumentOutcome(f, s, p or 0, fl or 0, None if h is None else int(h), top.get(f) or _first_reason(r))
            for f, s, p, fl, h, r in rows]


def _outcomes_fallback(con: duckdb.DuckDBPyConnection) -> list[DocumentOutcome]:
    """Counted from the fact table and dq_quarantine (per held unit when it says so, else per file)."""
    loaded = con.execute(
        "select d.source_file, count(f.document_id), count(f.quality_flag) from marts.dim_document d"
        " left join marts.fct_indicator_observation f using (document_id) group by 1"
    ).fetchall()
    published = {f: (p, fl) for f, p, fl in loaded}
    outcomes = {f: DocumentOutcome(f, "loaded", p, fl, 0, None) for f, (p, fl) in published.items()}
    held_units = _latest_held_units(con)
    top = _top_reasons(held_units)
    by_file: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in held_units:
        by_file[row[0]].append(row)
    for f, rows in by_file.items():
        whole = [stage for _, stage, unit, _, _ in rows if unit == "document" or stage == "read"]
        counts = [cells for *_, cells, _ in rows if cells is not None]
        held = sum(counts) if counts else None
        if whole and f not in published:
            outcomes[f] = DocumentOutcome(f, f"{HELD_WHOLE} [{whole[0]}]", 0, 0, held, top.get(f))
        elif f in published:
            p, fl = published[f]
            outcomes[f] = DocumentOutcome(f, "loaded, part held", p, fl, held or 0, top.get(f))
    return [outcomes[f] for f in sorted(outcomes)]


def document_outcomes(warehouse: Path) -> list[DocumentOutcome]:
    """Per file: status, cells published / flagged / held, top held reason."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if _has_table(con, "dq_document_outcomes"):
            return _outcomes_from_marts(con)
        return _outcomes_fallback(con)


def _shorten(name: str, width: int) -> str:
    """A long GSO file name cut in the middle, so its start and its '… by province.csv' both show."""
    if len(name) <= width:
        return name
    head = (width - 1) // 2
    return name[:head] + "…" + name[len(name) - (width - 1 - head):]


def render_outcomes(outcomes: list[DocumentOutcome], reason_width: int = 120, name_width: int = 64) -> str:
    """A fixed-width table of outcomes, then the totals and how many files were held whole."""
    width = min(max([len(o.source_file) for o in outcomes] + [11]), name_width)
    lines = [f"{'source_file':<{width}}  {'status':<22} {'published':>9} {'flagged':>7} {'held':>6}  top held reason"]
    for o in outcomes:
        held = "-" if o.held is None else str(o.held)
        reason = (o.top_reason or "").replace("\n", " ")[:reason_width]
        name = _shorten(o.source_file, width)
        lines.append(f"{name:<{width}}  {o.status:<22} {o.published:>9} {o.flagged:>7} {held:>6}  {reason}")
    whole = [o for o in outcomes if o.held_whole]
    totals = [sum(o.published for o in outcomes), sum(o.flagged for o in outcomes), sum(o.held or 0 for o in outcomes)]
    lines.append(f"{len(outcomes)} files: cells published {totals[0]}, flagged {totals[1]}, held {totals[2]};"
                 f" files held whole: {len(whole)}")
    lines.extend(f"  held whole: {o.source_file} {o.status}: {(o.top_reason or '')[:reason_width]}" for o in whole)
    return "\n".join(lines)
