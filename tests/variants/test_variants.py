"""A fixed sample of the generalization harness, run with the suite (the full run is
`make variants`): a few variants per format, each checked cell by cell against its
transformed truth, and the harness's own invariants (totals, determinism, formatting)."""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `tests.variants` under importlib mode

from tests.variants.base import BaseTable, Cell, all_tables
from tests.variants.compare import Comparison
from tests.variants.generate import KINDS, Spec, applies, realise, render, specs
from tests.variants.layout import format_number, header_cells
from tests.variants.render_pdf import fonts_available
from tests.variants.run import run_variant
from tests.variants.transforms import RULES, Style, excerpt, total_consistent

SEED = 2025
SAMPLE = [
    ("corpus:Biểu số 1", "identity", "xlsx"),
    ("corpus:Chỉ số CCHC 1", "decimal_en", "xlsx"),
    ("lamdong:I:xa", "units_replaced", "xlsx"),
    ("corpus:Biểu số 4", "columns_reordered", "xlsx"),
    ("corpus:Biểu số 2", "combined", "xlsx"),
    ("corpus:Biểu số 2", "identity", "pdf"),
    ("corpus:Biểu số 3", "header_removed", "pdf"),
    ("corpus:Chỉ số CCHC 2", "font_changed", "pdf"),
    ("lamdong:II:so", "combined", "pdf"),
    ("lamdong:VII:xa", "rows_reordered", "pdf"),
    ("lamdong:III:so", "identity", "scan"),
    ("lamdong:V:xa", "identity", "ocrtext"),      # names ending in a number ('Bảo Lâm 1'), a lost cell
    ("corpus:Biểu số 2", "combined", "ocrtext"),
    ("lamdong:I:xa", "rows_reordered", "ocrtext"),  # names with a dash ('Lang Biang - Đà Lạt')
]


@pytest.fixture(scope="module")
def tables(corpus: Path, real: Path) -> dict[str, BaseTable]:
    return {table.name: table for table in all_tables(corpus, real)}


@pytest.fixture(scope="module")
def agencies(tables: dict[str, BaseTable]) -> list[str]:
    return [r.label for t in tables.values() if t.entity_level == "agency" for r in t.rows if r.kind == "entity"]


def _restyled(base: str, fmt: str, tables: dict[str, BaseTable], agencies: list[str], tmp_path: Path,
              **style: object) -> tuple[Comparison, str]:
    """The identity variant of `base` printed with other `Style` fields (rules, report prose),
    read by chiso: its comparison and what was drawn. Skips where fonts or Tesseract are missing."""
    if not fonts_available():
        pytest.skip("DejaVu fonts not installed")
    if fmt == "scan":
        from chiso.read.ocr.reader import tesseract_available

        if (missing := tesseract_available()) is not None:
            pytest.skip(missing)
    variant = realise(Spec(base, "identity", fmt, 0, SEED), tables, agencies)
    assert variant is not None
    variant = replace(variant, style=replace(variant.style, **style))
    return run_variant(variant, tmp_path).comparison, variant.notes


@pytest.mark.parametrize(("base", "kind", "fmt"), SAMPLE, ids=[f"{f}-{k}-{b}" for b, k, f in SAMPLE])
def test_chiso_reads_the_transformed_truth(base: str, kind: str, fmt: str, tables: dict[str, BaseTable],
                                           agencies: list[str], tmp_path: Path) -> None:
    if fmt in ("pdf", "scan") and not fonts_available():
        pytest.skip("DejaVu fonts not installed")
    if fmt == "scan":
        from chiso.read.ocr.reader import tesseract_available

        missing = tesseract_available()
        if missing is not None:
            pytest.skip(missing)
    variant = realise(Spec(base, kind, fmt, 0, SEED), tables, agencies)
    assert variant is not None
    result = run_variant(variant, tmp_path)
    c = result.comparison
    assert result.error is None, result.error
    assert (c.exact, c.extra) == (c.cells, 0), f"missed {c.missing[:5]}, extra {c.extras[:5]} [{variant.notes}]"


@pytest.mark.parametrize("rules", RULES)
@pytest.mark.parametrize("base", ["corpus:Biểu số 1", "corpus:Chỉ số CCHC 1"])
def test_a_table_drawn_with_some_rules_or_none_is_read_by_position(
        base: str, rules: str, tables: dict[str, BaseTable], agencies: list[str], tmp_path: Path) -> None:
    """Biểu số 1: a narrow group caption ('Trong đó') centred over four columns beside captions
    centred over two rows; CCHC 1: captions wrapped over up to six lines, two pages, ranks."""
    c, _ = _restyled(base, "pdf", tables, agencies, tmp_path, rules=rules)
    assert (c.exact, c.extra) == (c.cells, 0), f"missed {c.missing[:5]}, extra {c.extras[:5]}"


@pytest.mark.parametrize("paragraphs", [1, 2, 3, 4])
def test_a_table_set_in_a_report_is_read_across_its_pages(paragraphs: int, tables: dict[str, BaseTable],
                                                          agencies: list[str], tmp_path: Path) -> None:
    """Under the national letterhead and prose citing documents and dates (no figure of it is
    published), without rules, its header not repeated on the next page. The prose moves the page
    break: a page may hold only one-digit ranks, set flush right beside their centred caption
    (1 paragraph), or open on a row whose label wraps above its figures (2–4 paragraphs)."""
    c, _ = _restyled("corpus:Chỉ số CCHC 1", "pdf", tables, agencies, tmp_path, rules="NONE",
                     report_paragraphs=paragraphs)
    assert (c.exact, c.extra) == (c.cells, 0), f"missed {c.missing[:5]}, extra {c.extras[:5]}"


@pytest.mark.parametrize("base", ["lamdong:I:so", "lamdong:VII:so"])
def test_a_scanned_table_without_rules_is_read_by_position(base: str, tables: dict[str, BaseTable],
                                                            agencies: list[str], tmp_path: Path) -> None:
    """No grid for the OCR reader to follow: its cells are placed by the words' boxes (sparse OCR),
    each value cell then read again alone, as a ruled cell is (VII: a caption next to its band)."""
    c, notes = _restyled(base, "scan", tables, agencies, tmp_path, rules="NONE")
    assert (c.exact, c.extra) == (c.cells, 0), f"missed {c.missing[:5]}, extra {c.extras[:5]} [{notes}]"


def test_a_scanned_table_ruled_between_rows_only_publishes_no_misread_figure(
        tables: dict[str, BaseTable], agencies: list[str], tmp_path: Path) -> None:
    """Rules between the rows make no grid; they are whitened before the page is read by position,
    and every figure is read again alone: sparse reading of a blurred page garbles figures into
    letters ('7,75' as 'ý đy 4s)') or other figures ('9,5' as '955'). Before, nothing of this
    table was published; its wide header is still partly misread (narrow captions merge), so
    what is held to is the figures: none wrong, and one published for every cell, under its
    caption or a misread one."""
    c, notes = _restyled("corpus:Chỉ số CCHC 1", "scan", tables, agencies, tmp_path, rules="HORIZONTAL_LINES")
    assert not c.wrong, f"misread {c.wrong[:5]} [{notes}]"
    assert c.exact + c.extra >= c.cells, f"{c.exact}/{c.cells}, {c.extra} extra [{notes}]"


def test_a_caption_without_diacritics_is_a_header_level(tables: dict[str, BaseTable], agencies: list[str],
                                                        tmp_path: Path) -> None:
    table = tables["lamdong:I:so"]
    grouped = replace(table, columns=tuple(replace(c, path=("Chia ra", *c.path)) for c in table.columns))
    variant = realise(Spec("lamdong:I:so", "identity", "xlsx", 0, SEED), {"lamdong:I:so": grouped}, agencies)
    assert variant is not None
    c = run_variant(variant, tmp_path).comparison
    assert c.exact == c.cells


def test_every_kind_applies_to_some_table_and_keeps_totals_consistent(tables: dict[str, BaseTable],
                                                                      agencies: list[str]) -> None:
    for kind in KINDS:
        realised = [realise(Spec(name, kind, "pdf", 0, SEED), tables, agencies) for name in tables]
        assert any(v is not None for v in realised), kind  # realise itself asserts totals = sums
        if kind in ("header_removed", "units_replaced"):
            assert all((v is not None) == applies(kind, tables[n]) for v, n in zip(realised, tables)), kind


def test_variants_are_deterministic_and_the_plan_is_large(tables: dict[str, BaseTable], agencies: list[str]) -> None:
    spec = Spec("corpus:Biểu số 2", "combined", "scan", 1, SEED)
    first, second = realise(spec, tables, agencies), realise(spec, tables, agencies)
    assert first == second
    plan = [s for s in specs(tables, SEED, 80) if realise(s, tables, agencies) is not None]
    assert len(plan) >= 500
    assert {s.format for s in plan} == {"xlsx", "pdf", "scan", "ocrtext"}


def test_units_replaced_prints_another_provinces_units(tables: dict[str, BaseTable], agencies: list[str]) -> None:
    variant = realise(Spec("lamdong:I:xa", "units_replaced", "xlsx", 0, SEED), tables, agencies)
    assert variant is not None
    labels = [r.label for r in variant.table.rows if r.kind == "entity"]
    assert variant.table.province != "TỈNH LÂM ĐỒNG"
    assert len(set(labels)) == len(labels) == 124
    assert all(label.startswith(("UBND xã ", "UBND phường ", "UBND đặc khu ")) for label in labels)


def test_an_excerpt_recomputes_its_statistics_rows(tables: dict[str, BaseTable]) -> None:
    table = excerpt(tables["lamdong:I:xa"], random.Random(1), 10)
    kept = [r.cells[3].value for r in table.rows if r.kind == "entity"]
    stats = {r.label: r.cells[3].value for r in table.rows if r.kind == "stat"}
    assert len(kept) == 10
    assert stats["Chỉ số cao nhất"] == max(kept) and stats["Chỉ số thấp nhất"] == min(kept)
    assert abs(stats["Chỉ số trung bình"] - sum(kept) / 10) <= 0.005 + 1e-9
    assert total_consistent(excerpt(tables["corpus:Biểu số 1"], random.Random(1), 5))


def test_numbers_follow_the_documents_decimal_convention() -> None:
    vi, en = Style(percent_sign=True), Style(decimal="en", percent_sign=True)
    assert format_number(Cell(1333, 0), False, vi) == "1.333"
    assert format_number(Cell(1333, 0), False, en) == "1,333"
    assert format_number(Cell(95.27, 2), True, vi) == "95,27%"
    assert format_number(Cell(9.5, 2), False, en) == "9.50"


def test_header_cells_merge_shared_captions(tables: dict[str, BaseTable]) -> None:
    cells = header_cells(tables["corpus:Biểu số 1"], Style())
    group = next(c for c in cells if c.text == "Trong đó")
    assert (group.level, group.colspan, group.rowspan) == (0, 4, 1)
    total = next(c for c in cells if c.text == "Tổng số thôn, KDC")
    assert (total.level, total.rowspan) == (0, 2)


@pytest.mark.parametrize("base", ["lamdong:V:xa", "corpus:Biểu số 2"])
def test_every_number_of_an_ocr_text_row_that_cannot_be_placed_is_held_none_dropped(
        base: str, tables: dict[str, BaseTable], agencies: list[str], tmp_path: Path) -> None:
    from chiso.discover import SourceFile, sha256_of
    from chiso.model import UNPLACED_CELL
    from chiso.process import process_document
    from tests.variants.generate import render
    from tests.variants.render_ocrtext import ocr_text

    variant = realise(Spec(base, "identity", "ocrtext", 0, SEED), tables, agencies)
    assert variant is not None
    path = render(variant, tmp_path)
    document = process_document(SourceFile(path, path.name, sha256_of(path), path.stat().st_size))
    unplaced = [o for o in document.observations if UNPLACED_CELL in (o.quality_flag or "")]
    expected = ocr_text(variant.table, variant.style, variant.spec.ocr_rng())
    assert len(unplaced) >= expected.held  # a name's number ('Đạ Tẻh 2') in an unplaced row is held with it
    assert len(document.observations) - len(unplaced) == len(expected.truth)


@pytest.mark.parametrize("base", ["corpus:Biểu số 3", "lamdong:V:so"])
def test_a_scanned_table_ruled_between_columns_only_is_read_row_by_row(
        base: str, tables: dict[str, BaseTable], agencies: list[str], tmp_path: Path) -> None:
    """Ruled around and between its columns, under its header only: the grid's body is one
    tall row whose cells stack every row's figures ('16 15 7 20 …'). Each line of figures is
    a row (Biểu số 3: a label wrapped over two lines stays whole; V: the highest, mean and
    lowest scores print under the last column only, each a row of its own). Before, nothing
    of such a table was published, and its long column rules made the page look sideways."""
    c, notes = _restyled(base, "scan", tables, agencies, tmp_path, rules="NO_HORIZONTAL_LINES")
    assert (c.exact, c.extra) == (c.cells, 0), f"missed {c.missing[:5]}, extra {c.extras[:5]} [{notes}]"


@pytest.mark.parametrize("base", ["corpus:Biểu số 3", "lamdong:IV:xa"])
def test_a_scanned_table_ruled_between_columns_only_stays_upright(
        base: str, tables: dict[str, BaseTable], agencies: list[str], tmp_path: Path) -> None:
    """Its long column rules, on a page scanned half a degree askew, made the columns' ink
    profile sharper than the blurred rows', and the page was turned sideways though OSD read
    it upright with confidence 8 (Biểu số 3); the text's profiles alone, without the rules,
    still lean sideways on a dense table's right-aligned figure columns (IV, 26 rows). The
    page's words lean across it in both."""
    if not fonts_available():
        pytest.skip("DejaVu fonts not installed")
    from chiso.read.ocr.reader import tesseract_available, upright

    if (missing := tesseract_available()) is not None:
        pytest.skip(missing)
    variant = realise(Spec(base, "identity", "scan", 0, SEED), tables, agencies)
    assert variant is not None
    variant = replace(variant, style=replace(variant.style, rules="NO_HORIZONTAL_LINES"))
    document = pdfium.PdfDocument(render(variant, tmp_path))
    try:
        page = np.array(document[0].render(scale=300 / 72, grayscale=True).to_pil().convert("L"))
    finally:
        document.close()
    assert upright(page, 300).shape == page.shape


@pytest.mark.parametrize("base", ["corpus:Biểu số 4", "corpus:Chỉ số CCHC 2"])
def test_a_scanned_table_without_a_frame_is_read_to_its_rules_ends(
        base: str, tables: dict[str, BaseTable], agencies: list[str], tmp_path: Path) -> None:
    """Ruled between its columns and under its header, with no frame: the grid the rules
    close held only the header, and the serial and last columns, outside the outer column
    rules, were lost. The column rules run on down the body and the header rule past the
    outer columns; the table ends where they do, and its body is then read row by row."""
    c, notes = _restyled(base, "scan", tables, agencies, tmp_path, rules="MINIMAL")
    assert (c.exact, c.extra) == (c.cells, 0), f"missed {c.missing[:5]}, extra {c.extras[:5]} [{notes}]"
