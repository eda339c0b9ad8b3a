"""Unicode hygiene and accent-insensitive keys for Vietnamese text.

Everything entering the pipeline is NFC (PDFs and spreadsheets mix NFC and
NFD; OCR output is NFD-ish), and names are *matched* on a folded key —
lower case, no diacritics, `đ`→`d`, single spaces — because OCR without
Vietnamese and upper-case spreadsheets both lose the accents.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def nfc(text: str) -> str:
    """NFC-normalise and replace non-breaking and odd spaces by plain ones."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("\xa0", " ").replace("\u200b", "").replace("\ufeff", "")


def clean(text: str | None) -> str:
    """NFC, single spaces, stripped: the form in which labels are stored."""
    if text is None:
        return ""
    return _SPACE.sub(" ", nfc(str(text))).strip()


def fold(text: str | None) -> str:
    """Accent- and case-insensitive key: 'Huyện ủy Kim Thành' → 'huyen uy kim thanh'."""
    text = clean(text).lower().replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACE.sub(" ", stripped).strip()
