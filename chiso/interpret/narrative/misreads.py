"""Digits that OCR made of letters: numbers a reader of the page would never see.

Tesseract run without its Vietnamese model reads the letters of a word as digits
and symbols: "có" becomes "c¢6", "tỷ lệ" becomes "ty 1€" or "ty 18", "là" becomes
"1a", "13" or "14", "lối sống" becomes "161 séng", "lời dạy" becomes "101 day".
Such a "number" measures nothing, and publishing it as a fact is pure noise.

Two general signs give them away, both on the accent-free key:

* the number is glued to a symbol no printed figure touches ("¢6", "1€", "$6",
  "1&"): a real figure stands between spaces, brackets, quotes or punctuation;
* the number is one of the short "1…" shapes OCR makes of the frequent words
  starting with "l" (là, lệ, lối, lời, lộ), and stands where a count cannot: right
  after a word that never precedes a count but always precedes that word ("tỷ"
  before "lệ", "nhất"/"đồng thời"/"thực sự" before "là", "đường"/"lề" before "lối",
  "bộc" before "lộ", "những" before "lời"), right before the word that follows it
  ("lối sống", "là một"), or right before another figure ("là 1.250/8.197").
"""

from __future__ import annotations

import re

_ALLOWED_BEFORE = set(" \t\n([{\"“‘'/:;,-–+=>")
_ALLOWED_AFTER = set(" \t\n)]}\"”’'/:;,.…!?-–%=<")

_L_WORD_SHAPE = re.compile(r"^1[0-9]{1,2}$")
"""'13', '14' (là), '18', '16' (lệ, lộ), '161' (lối), '101' (lời)."""

_BEFORE_L_WORD = re.compile(
    r"(?:\b(?:ty|ngoai|dieu|nh[aei]t|dong thoi|(?:thuc|that) su|chinh|c(?:ii|u|l|i)ng|du[od]ng|le|boc|nhung|nh[iu]rng)|(?<!\S)1[^\w\s])\s*$"
)
"""Words that precede the 'l…' word OCR turned into digits, never a count: tỷ lệ, ngoại lệ, điều lệ,
nhất là, đồng thời là, thực sự là, chính là, cũng là (OCR 'ciing'), đường lối (OCR 'dudng'), lề lối (also after a misread 'lề': '1€ 161'), bộc lộ,
những lời."""

_AFTER_L_WORD = re.compile(r"^\s*(?:s[a-z0-9]ng\b|mot\b|\d[\d.,/]*(?![\w]))")
"""Words that follow it: lối sống ('séng', 'sdng'), là một; or a figure ('là 1.250')."""


def is_glued(sentence: str, start: int, end: int) -> bool:
    """The number touches a symbol ('c¢6', '1€', '$6'): letters OCR read as digits."""
    before = sentence[start - 1] if start > 0 else " "
    after = sentence[end] if end < len(sentence) else " "
    return before not in _ALLOWED_BEFORE or after not in _ALLOWED_AFTER


def is_misread_word(token: str, before: str, after: str) -> bool:
    """A '1…' token where a word starting with 'l' belongs ('nhất 13', 'ty 18', 'đường 161', '161 séng').

    `before` and `after` are the accent-free text around the token, `token` as printed.
    """
    if not _L_WORD_SHAPE.match(token):
        return False
    return bool(_BEFORE_L_WORD.search(before) or _AFTER_L_WORD.match(after))
