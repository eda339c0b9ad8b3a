"""Small generated inputs for the fault suite: good files whose numbers are easy to check."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


def pxweb_csv(path: Path, hanoi: str = "8093.9", haiphong: str = "2028.5") -> Path:
    """A GSO PX-Web export as the statistical database writes it (4 observations)."""
    lines = [
        '\ufeff"Average population by province by Cities, provincies, Average population and Year"',
        "",
        '"Cities, provincies";"Total 2018";"Total 2019"',
        f'"Ha Noi";"7520.7";"{hanoi}"',
        f'"Hai Phong";"2013.8";"{haiphong}"',
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def table_pdf(path: Path, pages: int = 30) -> Path:
    """A born-digital report of `pages` pages, each a ruled table of party members by district
    (pdfplumber reads it at about 15 pages a second: long enough to be killed mid-extraction)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("body", "", str(FONT))
    pdf.add_font("body", "B", str(FONT.with_name("DejaVuSans-Bold.ttf")))
    pdf.set_font("body", size=10)
    for page in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(0, 8, f"Biểu số {page}: Số đảng viên theo huyện (tính đến 31/12/2022)", new_x="LMARGIN", new_y="NEXT")
        with pdf.table(col_widths=(60, 40, 40)) as table:
            table.row(["Đơn vị", "Số chi bộ", "Số đảng viên"])
            for district, base in (("Huyện Cẩm Giàng", 110), ("Huyện Gia Lộc", 95), ("Huyện Tứ Kỳ", 120)):
                table.row([district, str(base + page), str(base * 40 + page)])
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def blank_pdf(path: Path, pages: int) -> Path:
    """`pages` empty A4 pages: no text layer, so every page would go to OCR."""
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def huge_page_pdf(path: Path) -> Path:
    """One 14,400 pt square page holding a small image: a few KB asking for 3.6 GP at 300 dpi."""
    from fpdf import FPDF
    from PIL import Image

    image = Image.new("L", (200, 200), 255)
    pdf = FPDF(unit="pt", format=(14_400, 14_400))
    pdf.add_page()
    pdf.image(image, x=100, y=100, w=14_000)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def _sheet_xml(rows: int, columns: int, dimension: str | None) -> Iterator[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    yield b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    if dimension:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield b"<sheetData>"
    letters = [chr(ord("A") + c) for c in range(columns)]
    for r in range(1, rows + 1):
        yield (f'<row r="{r}">' + "".join(f'<c r="{L}{r}"><v>{r}</v></c>' for L in letters) + "</row>").encode()
    yield b"</sheetData></worksheet>"


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)


def raw_xlsx(path: Path, rows: int, columns: int, dimension: str | None = None, shared_strings_mb: int = 0) -> Path:
    """A workbook written part by part (streamed, so a million-cell sheet costs no memory to make);
    `shared_strings_mb` pads the shared-strings part with one huge string (a bomb: kilobytes zipped)."""
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for piece in _sheet_xml(rows, columns, dimension):
                sheet.write(piece)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"'
                          b' uniqueCount="1"><si><t>')
            block = b"A" * (1 << 20)
            for _ in range(shared_strings_mb):
                strings.write(block)
            strings.write(b"</t></si></sst>")
    return path


def big_csv(path: Path, megabytes: int) -> Path:
    """A plain CSV of about `megabytes` MB (20 columns of numbers)."""
    line = (";".join(str(n) for n in range(1000, 1020)) + "\n").encode()
    block = line * ((1 << 20) // len(line))
    with path.open("wb") as handle:
        handle.write((";".join(f"c{n}" for n in range(20)) + "\n").encode())
        for _ in range(megabytes):
            handle.write(block)
    return path


def formula_xlsx(path: Path) -> Path:
    """A workbook whose totals are formulas saved without cached values (as scripts write them)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Biểu số 2: Số đảng viên (tính đến 31/12/2022)"])
    sheet.append([])
    sheet.append(["Đơn vị", "Nam", "Nữ", "Tổng số"])
    for r, (district, men, women) in enumerate(
        (("Huyện Cẩm Giàng", 2100, 1900), ("Huyện Gia Lộc", 1800, 1500), ("Huyện Tứ Kỳ", 2400, 2000)), start=4
    ):
        sheet.append([district, men, women, f"=B{r}+C{r}"])
    sheet.append(["Tổng số", "=SUM(B4:B6)", "=SUM(C4:C6)", "=SUM(D4:D6)"])
    book.save(path)
    return path
