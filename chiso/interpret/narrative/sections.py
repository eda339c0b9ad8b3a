"""Sections of a report that state targets, not results.

A summary report ends with what it plans: "IV. MỤC TIÊU, NHIỆM VỤ, GIẢI PHÁP",
"PHƯƠNG HƯỚNG, NHIỆM VỤ …", "2. Một số chỉ tiêu chủ yếu đến năm 2030". Every
figure there is a target ("Có trên 80% tổ chức cơ sở đảng hoàn thành tốt nhiệm
vụ", "kết nạp trên 900 đảng viên"), which the corpus conventions do not count as
facts. A heading that names targets opens such a section; it lasts until a
heading of the same or a higher level that does not. A heading that reports on
targets ("Kết quả thực hiện các chỉ tiêu", "Đánh giá việc thực hiện mục tiêu")
is a results section. OCR spellings ("myc tiéu") are accepted.
"""

from __future__ import annotations

import re

from chiso.interpret.sentences import key

_TARGETS = re.compile(
    r"\b(?:m[uy]c tieu|chi tieu|phuong huong|nhiem vu,? (?:va )?giai phap|nhiem vu trong tam|giai phap chu yeu|"
    r"de xuat,? kien nghi|kien nghi,? de xuat)\b"
)
_RESULTS = re.compile(r"\b(?:ket qua|thuc hien|danh gia|tinh hinh)\b")


def names_targets(heading: str) -> bool:
    """A heading whose section lists targets or plans."""
    heading_key = key(heading)
    return bool(_TARGETS.search(heading_key)) and not _RESULTS.search(heading_key)


class TargetSections:
    """Follows the headings of a report and says whether the current paragraph is in a target section."""

    def __init__(self) -> None:
        self._level: int | None = None
        """Level of the heading that opened the current target section, if any."""
        self._body_seen = False

    def enter_heading(self, level: int, text: str) -> None:
        if self._level is not None and (level > self._level or not self._body_seen):
            return  # a sub-heading ("1. Mục tiêu", "a) …") or the next line of the heading itself
        self._level = level if names_targets(text) else None
        self._body_seen = False

    def enter_body(self) -> None:
        """A body paragraph: from now on a heading of the section's level closes it."""
        self._body_seen = True

    @property
    def active(self) -> bool:
        return self._level is not None
