"""Plain-text reports (typically OCR output saved as .txt) and the tables printed as aligned text in them."""

from chiso.read.spec import Method, Reader

READER = Reader(
    name="text",
    suffixes=(".txt",),
    read="chiso.read.text.reader:read_text",
    methods=(Method("txt_ocr", prose=True, ocr=True, unaccented=True),),
    formats=("txt_ocr",),
)
