"""Narrative numbers whose label is only a unit: what was counted is not in the label.

The sentence reader takes the noun phrase after a number as what it counts
("108.764 đảng viên"). When that phrase is only a unit or a counting word —
"1.956 tỷ đồng", "12 hồ sơ", "3 vụ", "229 người", or OCR's "t" — the number is
real but the label names no measure, so it would publish as an indicator
called "tỷ đồng". The gate holds such a number (held cell, `unit: row`, listed
in dq_held_observations with its sentence) instead of publishing a fact that
nobody could query for; a reviewer reads the sentence.

The words are compared folded (accent-free, lower case) and with OCR's mangled
words mended (chiso.normalize.ocr_spelling), so OCR that lost the diacritics
("nguoi", "ngudi", "ddng chi") is held the same way.
"""

from __future__ import annotations

import polars as pl

from chiso.normalize.ocr_spelling import respelled_word
from chiso.normalize.unit_words import COUNTING, MONEY

UNIT_WORDS = (
    # money and measures
    *MONEY, "ty", "trieu", "nghin", "usd", "ha", "km", "m2", "tan", "%",
    # counting words that name no kind of thing ("nhiệm vụ" does, like "văn bản" and "hồ sơ")
    *COUNTING, "luot nguoi", "cai", "chiec", "buoi", "dot", "ngay", "thang", "nam", "gio", "phut",
)  # fmt: skip
UNIT_ONLY = r"^(?:" + "|".join(UNIT_WORDS) + r"|[a-z]{1,2}|[^a-z]*)$"
"""A folded narrative label that is one of UNIT_WORDS, a fragment of one or two letters, or no letters at all."""


def narrative_measure(observations: pl.DataFrame) -> pl.Series:
    """The folded label of each number read from running text (no table row), null for table cells."""
    narrative = observations["row_label"].is_null()
    labels = observations["indicator_label"].to_list()
    return pl.Series(
        "narrative_measure",
        [respelled_word(label, keep="%") if is_narrative else None for label, is_narrative in zip(labels, narrative.to_list())],
        dtype=pl.String,
    )
