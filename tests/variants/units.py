"""Pools of real unit names to put in place of a table's rows, read from chiso's reference lists.

Nothing is hard-coded: districts come from `admin_units_2024.csv`, 2025 communes from
`admin_units_2025.csv` (with their printed prefixes, 'UBND xã X', 'UBND phường 1 Bảo Lộc',
'UBND đặc khu Phú Quý'), provincial agencies from the agency rows of the truth files. A variant
replaces all entity rows by units of one other province, so the title names that province.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from chiso.normalize.text import fold
from chiso.paths import PACKAGE

DATA = PACKAGE / "resolve" / "data"

_PARTY_PREFIX = {"huyện": "Huyện ủy", "quận": "Quận ủy", "thị xã": "Thị ủy", "thành phố": "Thành ủy"}
_UBND_PREFIX = {"huyện": "UBND huyện", "quận": "UBND quận", "thị xã": "UBND thị xã", "thành phố": "UBND thành phố"}
_COMMUNE_PREFIX = {"xã": "UBND xã", "phường": "UBND phường", "đặc khu": "UBND đặc khu"}


@dataclass(frozen=True)
class Unit:
    printed: str
    """As a table prints it: 'Huyện ủy Kim Thành', 'UBND phường 1 Bảo Lộc'."""
    province: str
    """Province as a title prints it: 'TỈNH LÂM ĐỒNG', 'THÀNH PHỐ HÀ NỘI' ('' for agencies)."""


def _name(row: dict[str, str]) -> str:
    """The short name, or the full one for numbered units ('Quận 3': 'Quận ủy Quận 3')."""
    short = " ".join(row["short_name"].split())
    return " ".join(row["name"].split()) if short.isdigit() else short


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def _by_province(name: str, level: str) -> dict[str, list[dict[str, str]]]:
    rows = _read(name)
    provinces = {
        r["gso_code"]: ("THÀNH PHỐ " if r["division_type"] == "thành phố trung ương" else "TỈNH ") + r["short_name"].upper()
        for r in rows
        if r["level"] == "province"
    }
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if row["level"] == level and row["parent_code"] in provinces:
            grouped[provinces[row["parent_code"]]].append(row)
    return dict(grouped)


def _prefixed(prefix: str, row: dict[str, str]) -> str:
    name = _name(row)
    if name != " ".join(row["short_name"].split()):  # 'Quận 3' keeps its own capitalised type
        prefix = prefix.replace(" quận", "").replace(" huyện", "")
    return f"{prefix} {name}"


def district_units(rng: random.Random, count: int, party_style: bool, avoid: str) -> list[Unit] | None:
    """`count` districts of one (other) 2024 province, printed as party committees or People's Committees."""
    prefixes = _PARTY_PREFIX if party_style else _UBND_PREFIX
    grouped = _by_province("admin_units_2024.csv", "district")
    choices = sorted(p for p, rows in grouped.items() if len(rows) >= count and fold(avoid) not in fold(p))
    if not choices:
        return None
    province = rng.choice(choices)
    picked = rng.sample(grouped[province], count)
    return [Unit(_prefixed(prefixes[r["division_type"]], r), province) for r in picked]


def commune_units(rng: random.Random, count: int, avoid: str | None = None) -> list[Unit] | None:
    """`count` 2025 communes, wards or special zones of one province, printed 'UBND xã X'."""
    grouped = _by_province("admin_units_2025.csv", "commune")
    choices = sorted(p for p, rows in grouped.items() if len(rows) >= count and (avoid is None or fold(avoid) not in fold(p)))
    if not choices:
        return None
    province = rng.choice(choices)
    picked = rng.sample(grouped[province], count)
    return [Unit(_prefixed(_COMMUNE_PREFIX[r["division_type"]], r), province) for r in picked]


def agency_units(rng: random.Random, count: int, pool: list[str]) -> list[Unit] | None:
    """`count` provincial agencies from the agency rows seen in real tables (one spelling per agency)."""
    unique = list({fold(name): name for name in pool}.values())
    if len(unique) < count:
        return None
    return [Unit(name, "") for name in rng.sample(sorted(unique), count)]
