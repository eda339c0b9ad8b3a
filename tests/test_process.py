"""Grids → tables: a grid whose numbers nothing explains is held and counted; a numbered list is no table."""

from __future__ import annotations

from chiso.model import RawTable
from chiso.process import structure_tables


def test_numbers_without_captions_or_labels_are_held_as_a_table() -> None:
    rows: list[list[str | None]] = [["120", "35", "7"], ["97", "41", "28"], ["133", "12", "63"]]
    tables, [held] = structure_tables([RawTable(rows, 3, "ocr_table")])
    assert not tables
    assert held.cells == 9 and held.page == 3
    assert held.reason == "page 3: no column captions or row labels found for 9 printed numbers"


def test_a_numbered_list_of_names_is_no_held_table() -> None:
    """The STT of a list of communes counts rows; it is no figure anyone lost (OCR misreads '7' as '1.')."""
    names = ["Xã Lạc Dương", "Xã Ka Đô", "Xã Tà Hine", "Xã Tà Năng", "Xã Sơn Điền", "Xã Đam Rông 2", "Xã Đam Rông 4"]
    serials = ["1", "2.", "3", "4", "5", "6", "1."]
    rows: list[list[str | None]] = [["STT", "Đơn vị"], *([s, n] for s, n in zip(serials, names))]
    tables, held = structure_tables([RawTable(rows, 16, "ocr_table")])
    assert not tables and not held


def test_a_doubted_cell_that_is_no_number_is_said_not_dropped() -> None:
    from datetime import date

    from chiso.interpret.tables.observations import table_observations
    from chiso.process import _doubted_non_numbers

    rows: list[list[str | None]] = [
        ["STT", "Đơn vị", "Số chi bộ", "Số đảng viên"], ["1", "Xã A", "12", "140"], ["2", "Xã B", "v2", "130"],
    ]
    [table], _ = structure_tables([RawTable(rows, 2, "ocr_table", cell_flags={(2, 2): "low OCR confidence 54"})])
    assert len(table_observations(table, date(2024, 12, 31))) == 3
    [note] = _doubted_non_numbers(table)
    assert note.startswith("page 2, row 'Xã B', column 'Số chi bộ': low OCR confidence 54;")


def test_a_page_too_large_to_render_holds_the_file_with_the_budget_it_broke(tmp_path) -> None:
    """A 390 KB scan can declare a 14,400 pt square page: 3.6 GP at 300 dpi. It is refused, not rendered."""
    import pytest
    from PIL import Image

    from chiso.discover import SourceFile, sha256_of
    from chiso.model import BadInputError
    from chiso.process import process_document

    path = tmp_path / "poster.pdf"
    Image.new("L", (100, 100), 255).save(path, "PDF", resolution=0.5)  # 200 inches a side
    with pytest.raises(BadInputError, match=r"page 1 is 14400 × 14400 pt: at 300 dpi it would render .* over the budget"):
        process_document(SourceFile(path, path.name, sha256_of(path), path.stat().st_size))
