"""Variant specs and their realisation: (base table, kind, format, seed) → a file and its truth.

Every random choice comes from a `random.Random` seeded by the spec, so a variant is the same
file on every machine and a failure can be regenerated from its id alone. Each kind changes one
dimension of the default document; `combined` changes several at once, as a document from
another province and another office would.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from tests.variants import transforms as t
from tests.variants.base import BaseTable
from tests.variants.render_ocrtext import render_ocrtext
from tests.variants.render_pdf import render_pdf
from tests.variants.render_scan import ScanStyle, scan_pdf
from tests.variants.render_xlsx import render_xlsx
from tests.variants.transforms import FONTS, RULES, Style

FORMATS = ("xlsx", "pdf", "scan", "ocrtext")
SCAN_ROWS = 26
"""A scanned variant prints at most this many entity rows: one page, one Tesseract call."""


@dataclass(frozen=True)
class Spec:
    base: str
    kind: str
    format: str
    rep: int
    seed: int

    @property
    def id(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", _ascii(self.base).lower()).strip("-")
        return f"{self.format}-{self.kind}-{slug}-r{self.rep}"

    def rng(self) -> random.Random:
        return random.Random(zlib.crc32(f"{self.seed}|{self.base}|{self.kind}|{self.format}|{self.rep}".encode()))

    def ocr_rng(self) -> random.Random:
        """The OCR text's own draws (mangled letters, borders, a lost cell): the same for its file and its truth."""
        return random.Random(zlib.crc32(f"ocr|{self.seed}|{self.id}".encode()))


@dataclass(frozen=True)
class Variant:
    spec: Spec
    table: BaseTable
    style: Style
    scan: ScanStyle | None
    notes: str
    """What was drawn, for the failure log: 'rows reordered; header +"Chia ra"; font DejaVuSans 8'."""


def _ascii(text: str) -> str:
    from chiso.normalize.text import fold

    return fold(text)


def _font(rng: random.Random) -> tuple[str, float]:
    return rng.choice(FONTS[1:]), rng.choice((7.5, 8.0, 8.5, 10.0, 11.0))


def _cell_format(style: Style, rng: random.Random, fmt: str) -> Style:
    return replace(
        style,
        column_numbers=rng.random() < 0.5,
        percent_sign=rng.random() < 0.5,
        numbers_as_text=fmt == "xlsx" and rng.random() < 0.5,
        serial_caption=rng.choice(("STT", "TT", "Số TT")),
    )


Step = Callable[[BaseTable, random.Random, list[str]], "BaseTable | None"]
_TABLE_STEPS: dict[str, Step] = {
    "rows_reordered": lambda table, rng, agencies: t.rows_reordered(table, rng),
    "columns_reordered": lambda table, rng, agencies: t.columns_reordered(table, rng),
    "header_added": lambda table, rng, agencies: t.header_level_added(table, rng),
    "header_removed": lambda table, rng, agencies: t.header_level_removed(table, rng),
    "units_replaced": lambda table, rng, agencies: t.units_replaced(table, rng, agencies),
}
KINDS = ("identity", *_TABLE_STEPS, "decimal_en", "font_changed", "cell_format", "rules_changed", "in_report", "combined")
PRINTED_ONLY = frozenset({"rules_changed", "in_report"})
"""Kinds that change only how a page draws the table: no spreadsheet or OCR text shows them."""


def realise(spec: Spec, tables: dict[str, BaseTable], agencies: list[str]) -> Variant | None:
    """The transformed table and the style of a spec, or None when its kind does not apply."""
    rng = spec.rng()
    table = tables[spec.base]
    if spec.format == "scan":
        table = t.excerpt(table, rng, SCAN_ROWS)
    style = Style()
    notes: list[str] = []
    kind = spec.kind
    if kind in _TABLE_STEPS:
        changed = _TABLE_STEPS[kind](table, rng, agencies)
        if changed is None:
            return None
        table = changed
    elif kind == "decimal_en":
        style = replace(style, decimal="en", percent_sign=rng.random() < 0.5, numbers_as_text=spec.format == "xlsx")
    elif kind == "font_changed":
        font, size = _font(rng)
        style = replace(style, font=font, font_size=size)
    elif kind == "rules_changed":
        style = replace(style, rules=rng.choice(RULES))
    elif kind == "in_report":
        style = replace(style, report_paragraphs=rng.randint(1, 4), rules=rng.choice(("ALL", *RULES)))
    elif kind == "cell_format":
        style = _cell_format(style, rng, spec.format)
        table = t.totals_renamed(table, rng)
    elif kind == "combined":
        for step in ("rows_reordered", "columns_reordered", "units_replaced"):
            table = _TABLE_STEPS[step](table, rng, agencies) or table
        header = rng.choice(("header_added", "header_removed", None))
        if header:
            table = _TABLE_STEPS[header](table, rng, agencies) or table
            notes.append(header)
        font, size = _font(rng)
        style = replace(_cell_format(style, rng, spec.format), font=font, font_size=size,
                        decimal=rng.choice(("vi", "en")))
        if style.decimal == "en" and spec.format == "xlsx":
            style = replace(style, numbers_as_text=True)
    elif kind != "identity":
        raise ValueError(f"unknown variant kind {kind}")
    if not t.total_consistent(table):
        raise AssertionError(f"{spec.id}: a totals row no longer sums its rows")
    scan = ScanStyle.draw(rng) if spec.format == "scan" else None
    notes.append(_describe(style, scan))
    return Variant(spec, table, style, scan, "; ".join(notes))


def _describe(style: Style, scan: ScanStyle | None) -> str:
    parts = [f"rules={style.rules}", f"report_paragraphs={style.report_paragraphs}", f"decimal={style.decimal}", f"font={style.font} {style.font_size}", f"colnum={style.column_numbers}",
             f"pct_sign={style.percent_sign}", f"text_numbers={style.numbers_as_text}", f"stt={style.serial_caption}"]
    if scan:
        parts.append(f"scan={scan.dpi}dpi {scan.angle}° blur {scan.blur} noise {scan.noise} q{scan.quality}")
    return " ".join(parts)


def render(variant: Variant, folder: Path) -> Path:
    """Write the variant's file under `folder` and return its path."""
    stem = folder / variant.spec.id
    if variant.spec.format == "ocrtext":
        return render_ocrtext(variant.table, variant.style, stem.with_suffix(".txt"), variant.spec.ocr_rng())
    if variant.spec.format == "xlsx":
        return render_xlsx(variant.table, variant.style, stem.with_suffix(".xlsx"))
    pdf = render_pdf(variant.table, variant.style, stem.with_suffix(".pdf"))
    if variant.spec.format == "pdf":
        return pdf
    assert variant.scan is not None
    scanned = scan_pdf(pdf, folder / f"{variant.spec.id}_scan.pdf", variant.scan, variant.spec.rng().randrange(1 << 30))
    pdf.unlink()
    return scanned


def specs(tables: dict[str, BaseTable], seed: int, scans: int, kinds: tuple[str, ...] = KINDS,
          formats: tuple[str, ...] = FORMATS) -> list[Spec]:
    """All xlsx/pdf specs (corpus bases twice, the Lâm Đồng ones once), and `scans` scanned ones
    spread evenly over the kinds, each on a base drawn by the seed."""
    out: list[Spec] = []
    for fmt in (f for f in formats if f != "scan"):
        for kind in (k for k in kinds if fmt == "pdf" or k not in PRINTED_ONLY):
            for base in tables:
                reps = 2 if base.startswith("corpus:") else 1
                out.extend(Spec(base, kind, fmt, rep, seed) for rep in range(reps))
    if "scan" in formats and scans:
        picker = random.Random(seed)
        per_kind = max(1, scans // len(kinds))
        for kind in kinds:
            names = sorted(name for name, table in tables.items() if applies(kind, table))
            for rep in range(per_kind):
                out.append(Spec(picker.choice(names), kind, "scan", rep, seed))
    return out


def applies(kind: str, table: BaseTable) -> bool:
    """Whether a kind changes this table (no header level to remove in a one-level header…)."""
    if kind == "header_removed":
        return any(len(c.path) > 1 for c in table.columns)
    if kind == "units_replaced":
        return table.entity_level != "category"
    return True
