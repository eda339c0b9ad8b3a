"""The table as a .txt that OCR made without Vietnamese leaves: the seeds' genre, generated.

The five real OCR seeds show what Tesseract with an English model does to a
Vietnamese appendix (chiso.normalize.ocr_spelling names the confusions): the
stacked vowels become consonants or digits ('đồng' → 'ddng', 'thôn' → 'thén',
'tổ' → 't6', 'chức' → 'chirc', 'hoàn' → 'hodn', 'Đảng' → 'Pang'), the cell
borders survive as stray '|', '[' or '{' glued to the words, the header
captions wrap over lines without positions, and a cell now and then is lost.
Each of those is drawn here from the variant's seed, so a failure regenerates
from its id.

What chiso can publish of such a file is less than what the table printed,
and the truth says so: the columns are named by position ('Cột 3', as the
printed column-number row or the order gives them), a row whose cells cannot
be placed (a blank cell vanished, a cell was lost) is expected held, never
published; the row labels are the mangled ones, as printed.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tests.variants.base import BaseTable
from tests.variants.layout import column_numbers, row_cells, serials, title_lines
from tests.variants.transforms import Style

_STACKED = {"ồ": "dg6", "ộ": "dg", "ổ": "6d", "ỗ": "d", "ố": "é6", "ờ": "dg", "ợ": "g", "ở": "d¢", "ỡ": "d", "ớ": "é",
            "ư": "u", "ừ": "ir", "ứ": "ir", "ử": "u", "ữ": "it", "ự": "u", "ô": "éo", "ơ": "o", "ê": "é", "ế": "é",
            "ề": "é", "ệ": "¢", "à": "d", "ả": "a", "ạ": "a", "ầ": "d", "ậ": "a", "ă": "a", "â": "a", "đ": "d", "Đ": "P"}
"""Per letter, what the seeds' English-model OCR printed for it (besides dropping the marks)."""
_MANGLED = 0.45
"""Share of the accented letters OCR printed as another glyph (the rest lose their marks only)."""
_BORDERS = (" ", " ", " | ", " |", " [", " {", " (")


@dataclass(frozen=True)
class OcrText:
    lines: list[str]
    truth: list[tuple[str, str, float]]
    """(row label as printed, positional column label, value) of the cells chiso can place."""
    held: int
    """Numbers the file prints in rows that cannot be placed: each expected held, none published or lost."""


def _mangle(text: str, rng: random.Random) -> str:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _STACKED and rng.random() < _MANGLED:
            out.append(rng.choice(_STACKED[ch]))
        elif ch.isalpha() and ord(ch) > 127:
            out.append(unicodedata.normalize("NFD", ch)[0].replace("đ", "d").replace("Đ", "D"))
        else:
            out.append(ch)
    return "".join(out)


def ocr_text(table: BaseTable, style: Style, rng: random.Random) -> OcrText:
    """The lines of the .txt and what a reader of it can be held to."""
    lines = [_mangle(line, rng) for line in title_lines(table)]
    captions = [c.label for c in table.columns]
    for start in range(0, len(captions), 4):  # wrapped, without positions: context, never columns
        lines.append(_mangle(" | ".join(captions[start:start + 4]), rng))
    if style.column_numbers:
        lines.append(" ".join(column_numbers(table)))
    truth: list[tuple[str, str, float]] = []
    held = 0
    lost_row = rng.randrange(len(table.rows)) if rng.random() < 0.5 else None
    for index, (row, serial) in enumerate(zip(table.rows, serials(table), strict=True)):
        label = _mangle(row.label, rng)
        printed = row_cells(table, row, style)
        placed = all(printed) and index != lost_row
        figures = [cell for cell in printed if cell]
        if index == lost_row and len(figures) > 2:
            figures.pop(rng.randrange(1, len(figures)))  # OCR lost a cell inside the row
        body = "".join(rng.choice(_BORDERS) + figure for figure in figures)
        lines.append(f"{serial} |{label}{body}".strip() if serial else f"{label}{body}")
        cells = [(c, cell) for c, cell in enumerate(row.cells) if cell is not None]
        if placed:
            truth.extend((label, f"Cột {c + 1}", cell.value) for c, cell in cells)
        else:
            held += len(figures)
    lines += ["", "NGUOI LAP BIEU", "TRUONG BAN"]
    return OcrText(lines, truth, held)


def render_ocrtext(table: BaseTable, style: Style, path: Path, rng: random.Random) -> Path:
    path.write_text("\n".join(ocr_text(table, style, rng).lines) + "\n", encoding="utf-8")
    return path
