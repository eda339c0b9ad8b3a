"""Stable, readable codes for indicator labels, and the words that mark a totals row.

An indicator's code is what analysts type in SQL, so it is derived from the
label itself (accent-folded snake case) rather than a random id; a long label
is cut and given a short hash so two long labels never collide.
"""

from __future__ import annotations

import hashlib
import re

from chiso.normalize.text import clean, fold

TOTALS_ROW = re.compile(r"^(tong cong|tong so|tong|cong|toan tinh|toan quoc|ca nuoc|total|grand total)\b")
"""A folded row label that opens with a totals word ('Cộng', 'Tổng số', 'Toàn tỉnh'): one vocabulary for
the table stage and the OCR text reader, which must both keep such a row wherever it stands."""
_NON_WORD = re.compile(r"[^a-z0-9]+")
MAX_CODE_LENGTH = 64


def indicator_code(label: str) -> str:
    """'Tổng số chi bộ thôn, KDC' → 'tong_so_chi_bo_thon_kdc'."""
    slug = _NON_WORD.sub("_", fold(label)).strip("_") or "unlabelled"
    if len(slug) <= MAX_CODE_LENGTH:
        return slug
    digest = hashlib.sha1(clean(label).encode("utf-8")).hexdigest()[:8]
    return f"{slug[: MAX_CODE_LENGTH - 9].rstrip('_')}_{digest}"
