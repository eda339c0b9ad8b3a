"""Born-digital PDFs: characters and text (reader), ruled tables, borderless tables.

Pages without a text layer are read by OCR (chiso.read.ocr), so this reader
also stamps the OCR methods.
"""

from chiso.read.spec import Method, Reader

READER = Reader(
    name="pdf",
    suffixes=(".pdf",),
    read="chiso.read.pdf.scanned:read_pdf_document",
    methods=(
        Method("pdf_table", paged=True),
        Method("pdf_text", prose=True, paged=True),
        Method("ocr_table", paged=True, ocr=True),
        Method("ocr_text", prose=True, paged=True, ocr=True),
    ),
    formats=("pdf_text", "pdf_scanned"),
    magic=(b"%PDF-",),
    any_name=True,
)
