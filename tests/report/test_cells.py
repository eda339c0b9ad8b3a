"""Finding a printed cell on its page: born-digital words, Tesseract words of a scan, the row label's row."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from chiso.report.cells import BOX_COLOUR, RENDER_DPI, Word, find_cell, shoot
from tests.report.documents import impossible_share


def word(text: str, top: float, x0: float = 0.0) -> Word:
    return Word(text, x0, top, x0 + 20, top + 8)


def test_the_number_on_the_row_of_its_label_wins() -> None:
    words = [word("Huyện", 100), word("ủy", 100, 25), word("Tứ", 100, 40), word("Kỳ", 100, 55), word("92,4", 100, 300),
             word("Huyện", 120), word("ủy", 120, 25), word("Gia", 120, 40), word("Lộc", 120, 55), word("92,4", 120, 300)]  # fmt: skip
    assert find_cell(words, "92,4", "Huyện ủy Gia Lộc").top == 120
    assert find_cell(words, "92,4", "Huyện ủy Tứ Kỳ").top == 100


def test_numbers_match_by_digits_and_sentences_by_value() -> None:
    words = [word("3.550", 10), word("đảng", 10, 30)]
    assert find_cell(words, "3550", None) is not None
    sentence = "Đảng bộ huyện hiện nay có 61 chi, đảng bộ cơ sở; 3.550 đảng viên"
    assert find_cell(words, sentence, None, value=3550.0).text == "3.550"
    assert find_cell(words, "1250", None) is None


def _boxed_pixels(path: Path) -> int:
    return sum(1 for pixel in Image.open(path).convert("RGB").get_flattened_data() if pixel == BOX_COLOUR)


def test_born_digital_page_is_rendered_with_the_cell_boxed(tmp_path: Path) -> None:
    pdf = impossible_share(tmp_path / "bieu04.pdf")
    shot = shoot(pdf, 1, "1250", "Huyện ủy Gia Lộc", tmp_path / "pages", "gialoc")
    assert shot is not None and shot.box is not None
    assert _boxed_pixels(shot.page_png) > 50 and shot.thumb_png.is_file()
    other = shoot(pdf, 1, "92,4", "Huyện ủy Tứ Kỳ", tmp_path / "pages", "tuky")
    assert other.box[1] < shot.box[1]  # Tứ Kỳ is printed above Gia Lộc


def test_scanned_page_is_read_by_tesseract_to_find_the_cell(tmp_path: Path) -> None:
    pdf = impossible_share(tmp_path / "bieu04.pdf")
    document = pdfium.PdfDocument(str(pdf))
    image = document[0].render(scale=200 / 72).to_pil().convert("L")
    document.close()
    scan = tmp_path / "bieu04_scan.pdf"
    image.save(scan, resolution=200)
    shot = shoot(scan, 1, "1250", "Huyện ủy Gia Lộc", tmp_path / "pages", "scan")
    assert shot is not None and shot.box is not None, "Tesseract did not find 1250 on the scan"
    born = shoot(pdf, 1, "1250", "Huyện ủy Gia Lộc", tmp_path / "pages", "born")
    assert abs(shot.box[1] - born.box[1]) < RENDER_DPI * 0.15  # the same row, within a tenth of an inch


def test_not_a_pdf_or_no_such_page_gives_no_picture(tmp_path: Path) -> None:
    pdf = impossible_share(tmp_path / "bieu04.pdf")
    assert shoot(pdf, 3, "1250", None, tmp_path, "none") is None
    sheet = tmp_path / "bieu.xlsx"
    sheet.write_bytes(b"PK")
    assert shoot(sheet, 1, "1250", None, tmp_path, "none") is None


@pytest.fixture(autouse=True)
def _one_tesseract_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")


def test_a_workbook_cell_is_shown_among_its_rows_and_columns(corpus: Path) -> None:
    from chiso.report.sheets import snippet

    altered = corpus / "bad" / "bieu06_luan-chuyen-can-bo_ban-sao.xlsx"
    shown = snippet(altered, 1, "157", "TỔNG")
    assert shown is not None
    row, column = shown.mark
    assert shown.rows[row][column] == "157" and "TỔNG" in shown.rows[row]
    assert shown.columns[column] == "C" and shown.row_numbers[row] == 17
    assert len(shown.rows) <= 7 and snippet(altered, 1, "99999", "TỔNG") is None
