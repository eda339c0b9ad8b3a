"""Reference list of Vietnam's provinces, districts and communes, read from versioned CSVs.

The CSVs in `data/` are produced by `scripts/export_admin_units.py` from the
`vietnam-provinces` package (see there how to re-run it). `admin_units_2024.csv`
is the pre-2025 map (63 provinces, their ~700 districts, plus Hà Tây, which
budget tables print up to 2007); `admin_units_2025.csv` holds the 34 provinces
after the 2025 merger and their 3,321 communes (xã, phường, đặc khu). Each unit carries the `entity_name` the warehouse uses:
a district's short name ("Kim Thành"), or its full name when the short one is
ambiguous (the provincial capital "Thành phố Hải Dương").
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache

from chiso.paths import PACKAGE, PROJECT

_DATA = PACKAGE / "resolve" / "data"

REFORM = date(2025, 7, 1)
"""The two-level local government and the 34 provinces (Nghị quyết 202/2025/QH15) start here
(dbt's `current_map_from` var says the same for the warehouse)."""


@dataclass(frozen=True)
class AdminUnit:
    gso_code: str
    level: str
    """province, district (2024 map) or commune (2025 map)."""
    division_type: str
    """tỉnh, thành phố trung ương, huyện, quận, thị xã, thành phố, xã, phường or đặc khu."""
    name: str
    """Official name with its prefix: 'Tỉnh Hải Dương', 'Thị xã Kinh Môn'."""
    short_name: str
    entity_name: str
    parent_code: str | None


@cache
def load_units(snapshot: str = "2024") -> tuple[AdminUnit, ...]:
    """All units of one snapshot ('2024' or '2025') in file order."""
    path = _DATA / f"admin_units_{snapshot}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            AdminUnit(
                gso_code=row["gso_code"],
                level=row["level"],
                division_type=row["division_type"],
                name=row["name"],
                short_name=row["short_name"],
                entity_name=row["entity_name"],
                parent_code=row["parent_code"] or None,
            )
            for row in csv.DictReader(handle)
        )


def provinces(snapshot: str = "2024") -> list[AdminUnit]:
    return [unit for unit in load_units(snapshot) if unit.level == "province"]


def districts(province_code: str | None = None, snapshot: str = "2024") -> list[AdminUnit]:
    """Districts of one province, or of all provinces when `province_code` is None."""
    return [
        unit
        for unit in load_units(snapshot)
        if unit.level == "district" and (province_code is None or unit.parent_code == province_code)
    ]


@cache
def province_by_code(code: str, snapshot: str = "2024") -> AdminUnit | None:
    return next((unit for unit in provinces(snapshot) if unit.gso_code == code), None)


def communes(province_code: str | None = None) -> list[AdminUnit]:
    """Communes, wards and special zones of the 2025 map, of one 2025 province or of all."""
    return [
        unit
        for unit in load_units("2025")
        if unit.level == "commune" and (province_code is None or unit.parent_code == province_code)
    ]


_SUCCESSIONS = PROJECT / "dbt_project" / "seeds" / "province_successions.csv"


@cache
def successor_code(code: str) -> str | None:
    """The 2025 province a 2024 province became part of (Đắk Nông 67 → Lâm Đồng 68); itself if unchanged.

    Read from the successions seed that dbt also loads, so the two never disagree.
    """
    if province_by_code(code, "2025") is not None:
        return code
    if not _SUCCESSIONS.exists():
        return None
    with _SUCCESSIONS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["predecessor_gso_code"] == code and row["effective_date"] == REFORM.isoformat():
                return row["successor_gso_code"]
    return None


@cache
def central_agencies() -> tuple[tuple[str, str], ...]:
    """(name, level) of the ministries and national bodies that national tables list as rows.

    Budget appendices print 'Bộ Y tế', 'Tòa án nhân dân tối cao'; they are
    agencies (or party bodies) of the country, not categories of it.
    """
    with (_DATA / "central_agencies.csv").open(encoding="utf-8", newline="") as handle:
        return tuple((row["name"], row["kind"]) for row in csv.DictReader(handle))
