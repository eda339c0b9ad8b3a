"""Scans that look like real scans: a generated landscape ratings table read end to end.

The page (see `ratings_scan`) has what gave a held-out corpus no cells: twenty
narrow value columns, a group → year → rating header whose rating captions
are set vertically, light skew, blur, noise, JPEG and a seal stamped over the
table's corner. `process_document` must give every value cell with its full
header path, and the cell flags must stay empty on clean print. Measured
figures (cells found, seconds) are printed even when the tests pass.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from chiso.discover import SourceFile
from chiso.model import Observation
from chiso.normalize.text import nfc
from chiso.process import process_document
from chiso.read.ocr.cells import read_oriented
from chiso.read.ocr.ink import binarize, drop_light_ink
from chiso.read.ocr.reader import ocr_image, ocr_pdf, tesseract_available

pytestmark = pytest.mark.skipif(tesseract_available() is not None, reason=str(tesseract_available()))


def _load_generator():
    """The fixture generator next to this file (tests are not a package on sys.path here)."""
    import importlib.util
    import sys

    name = "chiso_tests_ratings_scan"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("ratings_scan.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


ratings_scan = _load_generator()


def _report(capsys: pytest.CaptureFixture[str], line: str) -> None:
    with capsys.disabled():
        print(f"\n[ocr-scans] {line}")


def _source(path: Path) -> SourceFile:
    data = path.read_bytes()
    return SourceFile(path=path, relative_path=path.name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def _cells(observations: list[Observation]) -> dict[tuple[str, str], Observation]:
    return {(nfc(o.row_label or ""), nfc(o.column_label or "")): o for o in observations}


STYLES = {
    "up": ratings_scan.ScanStyle(captions="up"),
    "down": ratings_scan.ScanStyle(captions="down", seed=11),
    "faint-rules": ratings_scan.ScanStyle(stamp=False, rule_gray=190, rule_breaks=True, seed=5),
}
"""Captions running up, or down; or faint inner rules broken every few tenths of an inch."""


@pytest.fixture(scope="module", params=list(STYLES))
def ratings(request, tmp_path_factory) -> tuple[object, dict[tuple[str, str], Observation], float]:
    """The vertical-caption scan in one of its `STYLES`, processed end to end."""
    path = tmp_path_factory.mktemp("scans") / f"bieu05_xep-loai-chi-bo_{request.param}.pdf"
    truth = ratings_scan.write_ratings_scan(path, STYLES[request.param])
    start = time.perf_counter()
    processed = process_document(_source(path))
    return truth, _cells(processed.observations), time.perf_counter() - start


def test_every_cell_with_its_header_path(ratings, capsys) -> None:
    truth, found, seconds = ratings
    right = [key for key, value in truth.cells.items() if key in found and found[key].value == value]
    _report(capsys, f"ratings table: {len(right)}/{len(truth.cells)} cells with value and full header path, "
                    f"{seconds:.1f} s for 1 page (process_document)")
    missing = {key: value for key, value in truth.cells.items() if key not in found}
    wrong = {key: (value, found[key].value) for key, value in truth.cells.items()
             if key in found and found[key].value != value}
    assert not missing, f"{len(missing)} cells not found, e.g. {list(missing)[:3]}"
    assert not wrong, f"{len(wrong)} cells misread: {list(wrong.items())[:5]}"


def test_ratings_table_provenance_and_periods(ratings) -> None:
    truth, found, _ = ratings
    some = found[("Đảng bộ xã Tân Hưng", ratings_scan.RatingsTable.path(2022, ratings_scan.RATINGS[1]))]
    assert some.table_ref == "Biểu số 5" and some.extraction_method == "ocr_table" and some.page == 1
    assert some.period_end is not None and some.period_end.year == 2022
    total = found[(ratings_scan.TOTAL, ratings_scan.RatingsTable.path(2020, ratings_scan.RATINGS[0]))]
    assert total.is_total
    # Clean print under the stamp: no value is doubted.
    flagged = [o for key, o in found.items() if key in truth.cells and "OCR" in (o.quality_flag or "")]
    assert not flagged, [o.quality_flag for o in flagged]


def test_wrapped_captions_and_no_stamp() -> None:
    """Captions wrapped over four horizontal lines in the narrow columns, no stamp: read upright."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bieu05_wrapped.pdf"
        ratings_scan.write_ratings_scan(path, ratings_scan.ScanStyle(captions="wrapped", stamp=False, seed=3))
        _, tables = ocr_pdf(path)
    assert len(tables) == 1
    rows = tables[0].rows
    captions = [nfc(c) for c in rows[2][2:] if c]
    assert captions == ratings_scan.RATINGS * len(ratings_scan.YEARS)
    assert len(rows) == 3 + len(ratings_scan.ORGANISATIONS) + 1 and len(rows[0]) == 22


def test_pen_stroke_through_a_figure_is_flagged() -> None:
    """A signature's stroke through a figure: the cell's reading is doubted in `cell_flags`."""
    style = ratings_scan.ScanStyle(stamp=False, scribble=True, skew=0.0)
    page, _ = ratings_scan.render_ratings_page(style)
    _, tables = ocr_image(np.array(ratings_scan.degrade(page, style)), page=1, dpi=style.dpi)
    assert len(tables) == 1
    flags = tables[0].cell_flags
    first_row = 3  # under the group, year and rating rows
    assert (first_row, 2) in flags, flags
    assert flags[(first_row, 2)].startswith("low OCR confidence ")
    assert f"(read '{tables[0].rows[first_row][2]}')" in flags[(first_row, 2)]
    assert all(row >= first_row for row, _ in flags)  # clean captions are not doubted


def test_scanner_noise_is_no_stamp() -> None:
    """A field of light one- and two-pixel specks, bridged, made a mark as large as a seal, and
    its zone was cleared of light ink: the thin top and bottom of a blurred '0' in it too, which
    then read '()' (a 150 dpi scan of Biểu số 4). Specks are no mark."""
    rng = np.random.default_rng(5)
    gray = np.full((600, 800), 250, dtype=np.uint8)
    cv2.putText(gray, "0", (300, 300), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 20, 5)
    for _ in range(900):
        y, x = rng.integers(150, 450), rng.integers(150, 650)
        gray[y : y + rng.integers(1, 3), x : x + rng.integers(1, 3)] = 150
    gray = cv2.GaussianBlur(gray, (3, 3), 0)
    ink = binarize(gray)
    split = drop_light_ink(gray, ink, 300)
    assert not split.stamp.any()
    assert np.array_equal(split.print, ink)


def test_stamp_ink_is_not_print() -> None:
    """The seal's ring and star are taken out of the print; the figures under it stay."""
    style = ratings_scan.ScanStyle(skew=0.0)
    page, _ = ratings_scan.render_ratings_page(style)
    gray = np.array(ratings_scan.degrade(page, style))
    ink = binarize(gray)
    split = drop_light_ink(gray, ink, style.dpi)
    ys, xs = np.nonzero(split.stamp)
    # Nearly all of it is the seal at the table's bottom-right corner (the rest: paper noise).
    seal = (ys > gray.shape[0] * 0.6) & (xs > gray.shape[1] * 0.6)
    assert seal.sum() > 2000 and seal.mean() > 0.8
    # Print there is kept: the figures under the seal are dark.
    assert np.count_nonzero(split.print[ys.min() : ys.max(), xs.min() : xs.max()]) > 1000


def test_read_oriented_picks_the_turn_tesseract_is_surest_of() -> None:
    """One crop offered upright and turned: the upright text wins, whatever order the turns come in."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(ratings_scan.FONT_DIR / "DejaVuSerifCondensed-Bold.ttf"), 40)
    image = Image.new("L", (620, 80), 255)
    ImageDraw.Draw(image).text((10, 15), "Hoàn thành tốt nhiệm vụ", font=font, fill=0)
    crop = np.array(image)
    import pytesseract

    def ocr(img: np.ndarray, config: str, lang: str | None = None) -> dict[str, list]:
        return pytesseract.image_to_data(img, lang=lang or "vie", config=f"{config} --dpi 300",
                                         output_type=pytesseract.Output.DICT)

    cells = [{90: np.rot90(crop).copy(), 270: crop}, {0: crop, 90: np.rot90(crop, 3).copy()}]
    (first, chosen), (second, _) = read_oriented(cells, 300, ocr)
    assert nfc(first.text) == "Hoàn thành tốt nhiệm vụ" and chosen is crop
    assert nfc(second.text) == "Hoàn thành tốt nhiệm vụ"


def test_a_cell_guessed_vertical_whose_turns_read_as_symbols_is_read_upright() -> None:
    """A caption wrapped over many short lines in a narrow column can look vertical to the ink profile;
    when neither turn reads as words, the upright crop is read too and wins."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(ratings_scan.FONT_DIR / "DejaVuSerifCondensed-Bold.ttf"), 34)
    lines = ["Xây", "dựng", "và", "phát", "triển", "Chính", "quyền", "số"]
    image = Image.new("L", (170, 52 * len(lines) + 20), 255)
    for row, word in enumerate(lines):
        ImageDraw.Draw(image).text((12, 10 + 52 * row), word, font=font, fill=0)
    upright = np.array(image)
    import pytesseract

    def ocr(img: np.ndarray, config: str, lang: str | None = None) -> dict[str, list]:
        return pytesseract.image_to_data(img, lang=lang or "vie", config=f"{config} --dpi 300",
                                         output_type=pytesseract.Output.DICT)

    turned = {90: np.rot90(upright).copy(), 270: np.rot90(upright, 3).copy()}  # as cell_crops cuts a vertical guess
    ((reading, crop),) = read_oriented([turned], 300, ocr)
    assert nfc(reading.text) == "Xây dựng và phát triển Chính quyền số"
    assert crop.shape == upright.shape


@pytest.mark.parametrize("turns", [1, 3])
def test_landscape_table_scanned_sideways_is_turned_upright(turns: int) -> None:
    """The landscape page fed into the scanner sideways (either way): OSD decides, since the
    ink profiles of a twenty-column table with vertical captions cannot tell."""
    style = ratings_scan.ScanStyle(stamp=False, skew=0.0)
    page, values = ratings_scan.render_ratings_page(style)
    gray = np.rot90(np.array(ratings_scan.degrade(page, style)), k=turns).copy()
    _, tables = ocr_image(gray, page=1, dpi=style.dpi)
    assert len(tables) == 1
    rows = tables[0].rows
    assert len(rows[0]) == 22
    assert [nfc(c) for c in rows[2][2:6]] == ratings_scan.RATINGS
    assert rows[3][2:] == [str(v) for v in values[ratings_scan.ORGANISATIONS[0]]]
