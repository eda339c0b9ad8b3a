"""Stable, readable codes for indicator labels, and the words that mark a totals row.

An indicator's code is what analysts type in SQL, so it is derived from the
label itself (accent-folded snake case) rather than a random id; a long label
is cut and given a short hash so two long labels never collide.
"""

from __future__ import annotations

import hashlib
import re

from chiso.normalize.ocr_spelling import phrase_words, respelled_key
from chiso.normalize.text import clean, fold

TOTALS_ROW = re.compile(
    r"^(tong cong(?! ty\b)|tong so|toan tinh|toan quoc|ca nuoc|total|grand total|(tong|cong)(?=\s*$|\s*[^\w\s]|\s+(toan|chung)\b))\b"
)
"""A folded row label that opens with a totals word ('Cộng', 'Tổng số', 'Toàn tỉnh'): one vocabulary for
the table stage and the OCR text reader, which must both keep such a row wherever it stands. 'Tổng' and
'Cộng' alone, or before 'toàn' or 'chung': 'Công an tỉnh', 'Công ty …', 'Tổng cục Thống kê' are rows."""
_TOTALS_WORDS = phrase_words(("tong cong", "tong so", "toan tinh", "toan quoc", "ca nuoc"))


def totals_key(label: str) -> str:
    """`fold(label)` with the totals words OCR mangled read back ('Téng cing' → 'tong cong')."""
    return respelled_key(label, _TOTALS_WORDS)


def is_totals_label(label: str) -> bool:
    """A row label that opens with a totals word, as printed or as OCR mangled it ('Téng cing', 'Cing')."""
    return bool(TOTALS_ROW.match(fold(label)) or TOTALS_ROW.match(totals_key(label)))
_NON_WORD = re.compile(r"[^a-z0-9]+")
MAX_CODE_LENGTH = 64


def indicator_code(label: str) -> str:
    """'Tổng số chi bộ thôn, KDC' → 'tong_so_chi_bo_thon_kdc'."""
    slug = _NON_WORD.sub("_", fold(label)).strip("_") or "unlabelled"
    if len(slug) <= MAX_CODE_LENGTH:
        return slug
    digest = hashlib.sha1(clean(label).encode("utf-8")).hexdigest()[:8]
    return f"{slug[: MAX_CODE_LENGTH - 9].rstrip('_')}_{digest}"
