"""OCR of scanned pages with the real Tesseract `vie` on the corpus scans.

Measured figures (cell recall of Biểu số 4, narrative number recall of the
Phong Thổ page, CER of a rendered paragraph with `vie` and `eng`, seconds per
page) are printed to the terminal even when the tests pass.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from chiso.model import BadInputError, RawTable, TextBlock
from chiso.normalize.numbers import parse_number
from chiso.normalize.text import fold
from chiso.read.ocr.reader import ocr_image, ocr_pdf, tesseract_available

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
BIEU04 = "haiduong_bieu04_can-bo-chu-chot_scan.pdf"
PHONGTHO = "phongtho_489-BC-HU_trang1_scan.pdf"

PARAGRAPH = [
    "Thực hiện Nghị quyết của Ban Chấp hành Đảng bộ huyện, các cấp ủy đã",
    "tập trung lãnh đạo, chỉ đạo củng cố tổ chức cơ sở đảng và nâng cao chất",
    "lượng đội ngũ cán bộ, đảng viên. Trong năm, toàn huyện kết nạp 128 đảng",
    "viên mới, đạt 106,7% kế hoạch; có 1.245 đảng viên được tặng huy hiệu",
    "Đảng; 95,2% chi bộ được xếp loại hoàn thành tốt nhiệm vụ trở lên.",
]
"""A known Vietnamese paragraph (made up for this test) rendered at 200 dpi to measure CER."""

pytestmark = pytest.mark.skipif(tesseract_available() is not None, reason=str(tesseract_available()))


def _report(capsys: pytest.CaptureFixture[str], line: str) -> None:
    with capsys.disabled():
        print(f"\n[ocr] {line}")


def _scan(name: str) -> Path:
    path = CORPUS / "scanned" / name
    if not path.is_file():
        pytest.skip(f"corpus scan not found at {path}")
    return path


def _truth(name: str) -> list[dict[str, str]]:
    with open(CORPUS / "truth" / f"{name}.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def bieu04() -> tuple[list[TextBlock], list[RawTable], float]:
    start = time.perf_counter()
    texts, tables = ocr_pdf(_scan(BIEU04))
    return texts, tables, time.perf_counter() - start


@pytest.fixture(scope="module")
def phongtho() -> tuple[list[TextBlock], list[RawTable], float]:
    start = time.perf_counter()
    texts, tables = ocr_pdf(_scan(PHONGTHO))
    return texts, tables, time.perf_counter() - start


def _row_for(label: str, rows: list[list[str | None]]) -> list[str | None] | None:
    """The grid row whose best cell matches `label` (OCR may garble a letter or two)."""
    scored = [
        (max((fuzz.ratio(fold(label), fold(cell)) for cell in row if cell), default=0), row) for row in rows
    ]
    score, row = max(scored, key=lambda pair: pair[0])
    return row if score >= 85 else None


def test_bieu04_cells_match_truth(bieu04, capsys) -> None:
    texts, tables, seconds = bieu04
    assert len(tables) == 1 and len(texts) == 1
    rows = tables[0].rows
    truth = [r for r in _truth(BIEU04) if r["kind"] == "table_cell"]
    found = 0
    for fact in truth:
        row = _row_for(fact["row_label"], rows)
        values = [p.value for p in (parse_number(c) for c in row or []) if p is not None]
        found += float(fact["value"]) in values
    share = found / len(truth)
    _report(capsys, f"Biểu số 4: {found}/{len(truth)} truth cells found in their row ({share:.1%}), "
                    f"{seconds:.1f} s for 1 page")
    assert share >= 0.9


def test_bieu04_structure_and_context(bieu04) -> None:
    _, tables, _ = bieu04
    table = tables[0]
    assert table.method == "ocr_table" and table.page == 1
    assert any(fold(line) == "bieu so 4" for line in table.context)
    assert any("chat luong can bo chu chot cap xa" in fold(line) for line in table.context)
    # Merged header: "Trình độ chuyên môn" spans four sub-columns, the rest of its span is None.
    header = next(row for row in table.rows if any(fold(c) == "trinh do chuyen mon" for c in row if c))
    anchor = next(i for i, c in enumerate(header) if c and fold(c) == "trinh do chuyen mon")
    assert header[anchor + 1 : anchor + 4] == [None, None, None]
    widths = {len(row) for row in table.rows}
    assert len(widths) == 1
    # The "TT" header spans two rows: the cell under it is covered.
    tt_row = next(i for i, row in enumerate(table.rows) if row[0] and fold(row[0]) == "tt")
    assert table.rows[tt_row + 1][0] is None


def test_bieu04_table_text_is_not_in_page_text(bieu04) -> None:
    texts, _, _ = bieu04
    page = fold(texts[0].text)
    assert "nguoi lap bieu" in page and "truong ban" in page
    assert "kim thanh" not in page  # a row label of the table


def test_phongtho_narrative_numbers(phongtho, capsys) -> None:
    texts, tables, seconds = phongtho
    assert tables == []
    text = texts[0].text
    assert texts[0].method == "ocr_text" and texts[0].page == 1
    assert "huyen uy phong tho" in fold(text)  # the issuer, left column of the letterhead
    numbers = {p.value for p in map(parse_number, re.findall(r"\d[\d.,]*\d|\d", text)) if p}
    truth = [r for r in _truth(PHONGTHO) if r["kind"] == "narrative"]
    found = sum(float(r["value"]) in numbers for r in truth)
    share = found / len(truth)
    _report(capsys, f"Phong Thổ: {found}/{len(truth)} narrative values among OCR numbers ({share:.1%}), "
                    f"{seconds:.1f} s for 1 page")
    assert share >= 0.95


def _rendered_paragraph() -> np.ndarray:
    from PIL import Image, ImageDraw, ImageFont

    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig (fc-match) not available to find a Vietnamese font")
    font_file = subprocess.run(
        ["fc-match", "-f", "%{file}", "DejaVu Serif:lang=vi"], capture_output=True, text=True, check=False
    ).stdout
    if not font_file or not Path(font_file).is_file():
        pytest.skip("no font covering Vietnamese found")
    dpi = 200
    font = ImageFont.truetype(font_file, size=round(12 * dpi / 72))
    page = Image.new("L", (round(8.27 * dpi), round(3.5 * dpi)), 255)
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(PARAGRAPH):
        draw.text((dpi // 2, dpi // 2 + i * round(0.3 * dpi)), line, font=font, fill=0)
    return np.array(page)


def _cer(text: str) -> float:
    reference = "\n".join(PARAGRAPH)
    return Levenshtein.distance(text, reference) / len(reference)


def test_cer_of_rendered_paragraph_vie_vs_eng(capsys) -> None:
    image = _rendered_paragraph()
    vie = _cer(ocr_image(image, page=None, dpi=200, lang="vie")[0].text)
    eng = _cer(ocr_image(image, page=None, dpi=200, lang="eng")[0].text)
    _report(capsys, f"CER on a rendered Vietnamese paragraph at 200 dpi: vie {vie:.2%}, eng {eng:.2%}")
    assert vie < 0.02
    assert vie < eng


def test_sideways_page_is_turned_upright() -> None:
    image = np.rot90(_rendered_paragraph(), k=1).copy()  # scanned sideways
    text, _ = ocr_image(image, page=None, dpi=200)
    assert _cer(text.text) < 0.05


def test_unreadable_pdf_is_bad_input() -> None:
    empty = CORPUS / "bad" / "bieu-tong-hop-thang-8.pdf"
    if not empty.is_file():
        pytest.skip(f"corpus file not found at {empty}")
    with pytest.raises(BadInputError):
        ocr_pdf(empty)


def test_print_sparse_reading_left_out_is_read_alone() -> None:
    """Sparse OCR of an unruled table drops short isolated words (serial numbers, one-digit
    figures, a wrapped caption's last line 'học'); every blob of print no word covers is read
    on its own, at its place, and specks of noise are not words."""
    from PIL import Image, ImageDraw, ImageFont

    from chiso.read.ocr.ink import binarize
    from chiso.read.ocr.missed import missed_words
    from chiso.read.ocr.reader import _image_to_data
    from chiso.read.pdf.characters import Word

    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig (fc-match) not available to find a Vietnamese font")
    font_file = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Serif:lang=vi"],
                               capture_output=True, text=True, check=False).stdout
    if not font_file or not Path(font_file).is_file():
        pytest.skip("no font covering Vietnamese found")
    dpi = 300
    font = ImageFont.truetype(font_file, size=round(9 * dpi / 72))
    page = Image.new("L", (1200, 500), 255)
    draw = ImageDraw.Draw(page)
    draw.text((100, 100), "Trên đại", font=font, fill=0)
    draw.text((160, 160), "học", font=font, fill=0)
    draw.text((700, 300), "7", font=font, fill=0)
    gray = np.array(page)
    rng = np.random.default_rng(1)
    for y, x in zip(rng.integers(20, 480, 60), rng.integers(20, 1180, 60)):
        gray[y, x] = 90  # scanner noise
    known = Word("Trên đại", 100.0, 260.0, 100.0, 140.0)

    def ocr(image: np.ndarray, config: str, lang: str | None = None) -> dict:
        return _image_to_data(image, lang or "vie", config, dpi)

    found = missed_words(gray, binarize(gray), [known], dpi, ocr)
    assert sorted(w.text for w in found) == ["7", "học"]
    seven = next(w for w in found if w.text == "7")
    assert 690 <= seven.x0 < seven.x1 <= 740 and 290 <= seven.top < seven.bottom <= 360
