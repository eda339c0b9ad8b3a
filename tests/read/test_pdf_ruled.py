"""Ruled tables read from pdfium's paths are the tables pdfplumber finds parsing the page itself."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from chiso.normalize.text import clean
from chiso.read.pdf.characters import display_transform, open_pdfium, page_chars
from chiso.read.pdf.ruled import TABLE_SETTINGS, find_ruled_tables, page_edges, page_may_have_ruled_table

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
PDFS = [
    SHARED / "corpus" / "pdf" / "haiduong_tong-ket-de-an-01_2022.pdf",
    SHARED / "real" / "lamdong-2025" / "lamdong_phu-luc-I-VII_chi-so-cchc-2025" / "lamdong_phu-luc-III_cai-cach-tthc-2025.pdf",
]


def _plumber_tables(page: pdfplumber.page.Page) -> list[tuple[tuple[float, ...], list[list[str | None]]]]:
    """pdfplumber on its own: its parse of the page, its finder, its cell text."""
    found = []
    for table in page.find_tables(TABLE_SETTINGS):
        rows = [[None if cell is None else clean(cell.replace("\n", " ")) for cell in row] for row in table.extract()]
        if len(rows) >= 2 and max(len(row) for row in rows) >= 2:
            found.append((tuple(table.bbox), rows))
    return sorted(found, key=lambda t: (t[0][1], t[0][0]))


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_tables_from_pdfium_paths_match_pdfplumbers_own(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"sample missing: {path}")
    document = open_pdfium(path)
    compared = cells = same = 0
    with pdfplumber.open(path, unicode_norm="NFC") as pdf:
        for number, page in enumerate(document):
            if not page_may_have_ruled_table(page):
                continue
            ours = find_ruled_tables(page, page_chars(page), display_transform(page))
            theirs = _plumber_tables(pdf.pages[number])
            assert [len(t.rows) for t in ours] == [len(rows) for _, rows in theirs], f"page {number + 1}"
            for table, (bbox, rows) in zip(ours, theirs, strict=True):
                assert max(abs(a - b) for a, b in zip(table.bbox, bbox, strict=True)) < 1.0
                assert [len(row) for row in table.rows] == [len(row) for row in rows]
                for mine, plumbers in zip(sum(table.rows, []), sum(rows, []), strict=True):
                    assert (mine is None) == (plumbers is None)
                    cells += 1
                    # Word breaks are judged as in the page text (a gap or a space glyph), not by
                    # pdfplumber's fixed 3 pt: compare the characters.
                    same += (mine or "").replace(" ", "") == (plumbers or "").replace(" ", "")
            compared += len(ours)
    document.close()
    assert compared, "no ruled table compared"
    assert same == cells, f"{cells - same} of {cells} cells differ"


def test_a_rectangle_gives_four_edges_and_a_line_one(tmp_path: Path) -> None:
    """Edges as pdfplumber builds them from pdfminer's objects: a rectangle's four sides, a line once."""
    document = pdfium.PdfDocument.new()
    page = document.new_page(200, 100)
    box = pdfium_c.FPDFPageObj_CreateNewRect(10, 20, 50, 30)  # x, y, width, height in user space
    pdfium_c.FPDFPath_SetDrawMode(box, pdfium_c.FPDF_FILLMODE_NONE, True)
    pdfium_c.FPDFPage_InsertObject(page.raw, box)
    line = pdfium_c.FPDFPageObj_CreateNewPath(10, 80)
    pdfium_c.FPDFPath_LineTo(line, 150, 80)
    pdfium_c.FPDFPath_SetDrawMode(line, pdfium_c.FPDF_FILLMODE_NONE, True)
    pdfium_c.FPDFPage_InsertObject(page.raw, line)
    pdfium_c.FPDFPage_GenerateContent(page.raw)
    target = tmp_path / "shapes.pdf"
    document.save(target)
    document.close()

    reread = pdfium.PdfDocument(target)
    edges = page_edges(reread[0], display_transform(reread[0]))
    shown = sorted((e["orientation"], round(e["x0"]), round(e["top"]), round(e["x1"]), round(e["bottom"])) for e in edges)
    assert shown == [("h", 10, 20, 150, 20), ("h", 10, 50, 60, 50), ("h", 10, 80, 60, 80),
                     ("v", 10, 50, 10, 80), ("v", 60, 50, 60, 80)]
    with pdfplumber.open(target) as pdf:
        theirs = sorted((e["orientation"], round(e["x0"]), round(e["top"]), round(e["x1"]), round(e["bottom"]))
                        for e in pdf.pages[0].edges)
    assert shown == theirs
    reread.close()
