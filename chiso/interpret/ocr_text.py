"""OCR's text read back before the interpretation stages read it.

Tesseract's English model, and many scanners' own text layers, print
Vietnamese without its marks and mangle some words ('PANG UY KHDI',
't6 chire co sd dang'). The metadata and narrative stages read such a block
with those words read back (`chiso.normalize.ocr_spelling.mended_text`), each
in the words it expects, so their rules are written once, as printed.
"""

from __future__ import annotations

from dataclasses import replace

from chiso.model import TextBlock
from chiso.normalize.ocr_spelling import mended_text, reads_as_unmarked_ocr
from chiso.read.registry import OCR_METHODS


def is_ocr(block: TextBlock) -> bool:
    """Read by OCR here, or a text layer that reads as OCR without Vietnamese (a scanner's own)."""
    return block.method in OCR_METHODS or reads_as_unmarked_ocr(block.text)


def read_back(block: TextBlock, prefer: frozenset[str]) -> TextBlock:
    """An OCR block with the words OCR mangled read back, `prefer` (a stage's words) deciding between
    readings; any other block as it is."""
    return replace(block, text=mended_text(block.text, prefer)) if is_ocr(block) else block
