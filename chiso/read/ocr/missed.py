"""Words that sparse OCR left out of a page, found in its ink and read alone.

Sparse reading (`--psm 11`) of a page that prints an unruled table keeps every word where it
stands, but it drops many short, isolated ones: serial numbers and one-digit figures, the
column letters and numbers under the header ('A', '4'), the last line of a wrapped caption
('học' under 'Trên đại'). A table rebuilt from the words it kept loses its serial column,
stops its header at the first caption whose words are gone, and joins captions that are not
one. Print is never silently dropped: each blob of print ink (glyphs joined across the space
of a letter, not of a word) that no OCR word covers is read on its own crop, as a ruled
cell is, and a sure reading becomes a word at the blob's place.
"""

from __future__ import annotations

import cv2
import numpy as np

from chiso.read.ocr.cells import OcrFn, read_cells
from chiso.read.ocr.ink import kernel, without_specks
from chiso.read.pdf.characters import Word

MIN_CONFIDENCE = 80.0
"""Lowest word confidence of a blob's reading kept as a word: print reads 90–97, scanner noise
and stamp fragments mostly below 60 (an odd one 73)."""


def missed_words(gray: np.ndarray, print_ink: np.ndarray, words: list[Word], dpi: int, ocr: OcrFn) -> list[Word]:
    """Words for the blobs of `print_ink` that none of `words` (boxes in page pixels) covers.

    A blob is text-sized: 0.06–0.5 in high (a 7 pt digit to two lines of a caption), at least
    0.03 in wide; a third of its ink under a word's box means that word read it.
    """
    ink = without_specks(print_ink, (dpi * 0.02) ** 2)
    joined = cv2.dilate(ink, kernel(round(dpi * 0.03), round(dpi * 0.02)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    covered = np.zeros(ink.shape, dtype=bool)
    for word in words:
        covered[int(word.top) : int(word.bottom) + 1, int(word.x0) : int(word.x1) + 1] = True
    boxes = []
    for label in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[label])
        if not (dpi * 0.06 <= h <= dpi * 0.5 and w >= dpi * 0.03):
            continue
        blob = (labels[y : y + h, x : x + w] == label) & (ink[y : y + h, x : x + w] > 0)
        if blob.any() and covered[y : y + h, x : x + w][blob].mean() <= 0.3:
            rows, columns = np.nonzero(blob)
            boxes.append((x + int(columns.min()), y + int(rows.min()), x + int(columns.max()) + 1,
                          y + int(rows.max()) + 1))
    if not boxes:
        return []
    pad = round(dpi * 0.02)
    height, width = gray.shape
    crops = [gray[max(0, y0 - pad) : min(height, y1 + pad), max(0, x0 - pad) : min(width, x1 + pad)]
             for x0, y0, x1, y1 in boxes]
    found = []
    for (x0, y0, x1, y1), reading in zip(boxes, read_cells(crops, dpi, ocr)):
        sure = reading.confidence is not None and reading.confidence >= MIN_CONFIDENCE
        if sure and any(ch.isalnum() for ch in reading.text):
            found.append(Word(reading.text, float(x0), float(x1), float(y0), float(y1)))
    return found
