"""Place names printed in document headers → provinces and correctly accented names.

A header names its place twice: in the issuing body ("TỈNH ỦY HẢI DƯƠNG",
"HUYỆN ỦY PHONG THỔ") and before the date ("Phong Thổ, ngày 29 …"). A district
place says nothing about the province by itself, and OCR without Vietnamese
prints "Phong Tho" or "Hiti Duong", so every name is looked up in the reference
list of administrative units: that gives the province of a district and the
official spelling with its accents.
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz import fuzz, process

from chiso.normalize.text import fold
from chiso.resolve.entities import RESOLVE
from chiso.resolve.units import AdminUnit, districts, province_by_code, provinces

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_COMMITTEES = {"huyện": "Huyện ủy", "quận": "Quận ủy", "thị xã": "Thị ủy", "thành phố": "Thành ủy"}


def _compact(text: str) -> str:
    return _NON_ALNUM.sub("", fold(text))


@cache
def _index() -> dict[str, tuple[AdminUnit, ...]]:
    """Compact name → units, provinces first (the provincial capital often shares the province's name)."""
    index: dict[str, list[AdminUnit]] = {}
    for unit in [*provinces(), *districts()]:
        index.setdefault(_compact(unit.short_name), []).append(unit)
    return {name: tuple(units) for name, units in index.items()}


def find_place(text: str) -> AdminUnit | None:
    """The province, or the district of a single province, that `text` names ('Hai Duong', 'Phong Thổ').

    A name shared by districts of several provinces gives None. Names of seven
    letters or more may carry an OCR error if one unit is clearly the closest.
    """
    name = _compact(text)
    if not name:
        return None
    units = _index().get(name)
    if units is None and len(name) >= 7:
        best = process.extract(name, list(_index()), scorer=fuzz.ratio, limit=2)
        close = RESOLVE.named_place
        if best and best[0][1] >= close.threshold and (len(best) == 1 or best[0][1] - best[1][1] >= close.margin):
            units = _index()[best[0][0]]
    if not units:
        return None
    if units[0].level == "province" or len({unit.parent_code for unit in units}) == 1:
        return units[0]
    return None


def province_name(unit: AdminUnit) -> str:
    """The province of a unit, as the warehouse names it ('Hải Dương')."""
    if unit.level == "province":
        return unit.entity_name
    parent = province_by_code(unit.parent_code or "")
    return parent.entity_name if parent else unit.short_name


def party_committee(unit: AdminUnit) -> str:
    """The party committee of a place: 'Tỉnh ủy Hải Dương', 'Huyện ủy Phong Thổ', 'Thành ủy Hà Nội'."""
    if unit.level == "province":
        kind = "Thành ủy" if unit.division_type.startswith("thành phố") else "Tỉnh ủy"
    else:
        kind = _COMMITTEES.get(unit.division_type, "Huyện ủy")
    return f"{kind} {unit.short_name}"


def accented(name: str) -> str:
    """The official spelling of a place name when the reference list knows it exactly ('Phong Tho' → 'Phong Thổ')."""
    units = _index().get(_compact(name))
    return units[0].short_name if units else name
