"""Delimited text exports (.csv) → one grid.

Statistical portals (GSO's PX-Web) write semicolon-separated UTF-8 with a
BOM and CRLF line ends; hand-made exports use commas or tabs. The delimiter
is the one of `;`, `,`, tab that splits the first lines most consistently.
"""

from __future__ import annotations

import csv
import io

Grid = list[list[str | None]]
_DELIMITERS = (";", ",", "\t")


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    for encoding in ("utf-8", "cp1258"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:30] if line.strip()]

    def score(delimiter: str) -> tuple[int, int]:
        counts = [len(next(csv.reader([line], delimiter=delimiter))) for line in lines]
        widest = max(counts, default=1)
        return (sum(1 for n in counts if n == widest and n > 1), widest)

    return max(_DELIMITERS, key=score)


def read_csv_grid(data: bytes) -> Grid:
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    return [[cell for cell in row] for row in reader]
