"""A plain-text report (typically OCR output saved as .txt): its running text and the tables printed in it."""

from __future__ import annotations

from pathlib import Path

from chiso.model import BadInputError, ExtractedDocument, TextBlock
from chiso.normalize.text import nfc
from chiso.read.text.tables import find_text_tables


def read_text(path: Path) -> ExtractedDocument:
    """The file as one text block; BadInputError for binary content or text that is not UTF-8."""
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"\x00" in head:
        raise BadInputError("not a text file (binary content named .txt)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadInputError(f"text file is not UTF-8 ({error.reason})") from error
    text = nfc(text)
    return ExtractedDocument(
        format="txt_ocr", pages=1, texts=[TextBlock(text, None, "txt_ocr")], tables=find_text_tables(text)
    )
