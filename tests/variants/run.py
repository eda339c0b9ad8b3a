"""Run variants through chiso and add up the comparisons per kind and per format.

Each file goes through `chiso.extract`: the readers, interpretation, resolution and the Great
Expectations gate of a run, so what is compared is what a night would publish (rows the gate
holds are not counted as extra, and a number it wrongly holds is missed). A variant that chiso
rejects or that raises counts all its cells as missed, with the error kept: a crash on a
plausible document is a failure like any other.
"""

from __future__ import annotations

import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import chiso
from tests.variants.compare import Comparison, compare
from tests.variants.generate import Variant, render
from tests.variants.render_ocrtext import ocr_text


@dataclass
class Result:
    variant: Variant
    path: Path
    comparison: Comparison
    error: str | None = None

    @property
    def exact(self) -> bool:
        return self.error is None and self.comparison.exact == self.comparison.cells


def run_variant(variant: Variant, folder: Path) -> Result:
    path = render(variant, folder)
    if variant.spec.format == "ocrtext":  # what a reader of the mangled text can be held to (render_ocrtext)
        truth = ocr_text(variant.table, variant.style, variant.spec.ocr_rng()).truth
    else:
        truth = variant.table.truth()
    try:
        frame = chiso.extract(path)
    except Exception as error:  # noqa: BLE001 - a crash is a measured failure, not a harness error
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        return Result(variant, path, Comparison(cells=len(truth), missing=list(truth)), detail)
    columns = ("row_label", "column_label", "value", "entity_level")
    published = [_Cell(*row) for row in frame.select(columns).iter_rows()]
    return Result(variant, path, compare(truth, published))


@dataclass(frozen=True)
class _Cell:
    """One published landing row, as the comparison reads it."""

    row_label: str | None
    column_label: str | None
    value: float
    entity_level: str


@dataclass
class Tally:
    variants: int = 0
    perfect: int = 0
    cells: int = 0
    exact: int = 0
    extra: int = 0
    errors: int = 0
    causes: Counter[str] = field(default_factory=Counter)

    def add(self, result: Result) -> None:
        self.causes.update(result.comparison.causes)
        self.variants += 1
        self.perfect += result.exact
        self.cells += result.comparison.cells
        self.exact += result.comparison.exact
        self.extra += result.comparison.extra
        self.errors += result.error is not None

    @property
    def rate(self) -> float:
        return 100.0 * self.exact / self.cells if self.cells else 100.0


@dataclass
class Report:
    by_kind: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_option: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    """(render option=value, format) → tally: which printing choice the misses go with."""
    levels: Counter[str] = field(default_factory=Counter)
    results: list[Result] = field(default_factory=list)

    def add(self, result: Result) -> None:
        spec = result.variant.spec
        style = result.variant.style
        for option in (f"column_numbers={style.column_numbers}", f"font_size={style.font_size:g}",
                       f"decimal={style.decimal}", f"percent_sign={style.percent_sign}",
                       f"numbers_as_text={style.numbers_as_text}"):
            self.by_option[(option, spec.format)].add(result)
        for key in ((spec.kind, spec.format), (spec.kind, "all"), ("all", spec.format), ("all", "all")):
            self.by_kind[key].add(result)
        self.levels.update(result.comparison.levels)
        self.results.append(result)

    def render(self) -> str:
        kinds = sorted({k for k, _ in self.by_kind if k != "all"}) + ["all"]
        formats = [f for f in ("xlsx", "pdf", "scan", "ocrtext") if any(fk == f for _, fk in self.by_kind)] + ["all"]
        lines = [f"{'kind':<18} {'format':<6} {'variants':>8} {'perfect':>8} {'cells':>7} {'exact':>7} "
                 f"{'%':>7} {'extra':>6} {'errors':>6}  missed by cause (row/column/value)"]
        for kind in kinds:
            for fmt in formats:
                tally = self.by_kind.get((kind, fmt))
                if tally is None or not tally.variants:
                    continue
                lines.append(f"{kind:<18} {fmt:<6} {tally.variants:>8} {tally.perfect:>8} {tally.cells:>7} "
                             f"{tally.exact:>7} {tally.rate:>6.1f}% {tally.extra:>6} {tally.errors:>6}  "
                             f"{tally.causes['row']}/{tally.causes['column']}/{tally.causes['value']}")
            if kind != "all":
                lines.append("")
        lines.append("by render option (all kinds): option, format, variants, cells, exact %")
        for (option, fmt), tally in sorted(self.by_option.items()):
            lines.append(f"  {option:<22} {fmt:<5} {tally.variants:>5} {tally.cells:>7} {tally.rate:>6.1f}%")
        lines.append("")
        total = sum(self.levels.values()) or 1
        lines.append("entity_level of published observations: " + ", ".join(
            f"{level} {count} ({100 * count / total:.1f}%)" for level, count in self.levels.most_common()))
        return "\n".join(lines)

    def failures(self, limit: int = 3) -> str:
        """Each imperfect variant: what was drawn, its error, a few missed cells and extras."""
        lines = []
        for result in self.results:
            if result.exact:
                continue
            c = result.comparison
            lines.append(f"- {result.variant.spec.id}: {c.exact}/{c.cells} exact, {c.extra} extra "
                         f"[{result.variant.notes}]")
            if result.error:
                lines.append(f"    error: {result.error.splitlines()[-1][:300]}")
            for cause, examples in c.examples.items():
                lines.append(f"    {c.causes[cause]} missed by {cause}:")
                lines.extend(f"      {example}" for example in examples[:limit])
            for row, column, value in c.extras[:limit]:
                lines.append(f"    extra: {row!r} × {column!r} = {value:g}")
        return "\n".join(lines)
