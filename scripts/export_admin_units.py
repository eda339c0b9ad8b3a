"""Export Vietnam's administrative units from the `vietnam-provinces` package to CSV.

Why a one-off exporter instead of a dependency: the package ships the pre-2025
units (63 provinces, ~700 districts) only in version 0.6.0 and the 34
post-merger provinces only in versions >= 2025, under the same module name, so
the two cannot be installed side by side. Reports span both periods, so the
pipeline keeps both snapshots as small versioned CSVs in
`chiso/resolve/data/` and reads those. Communes: 0.6.0 ships none, so the
2024 map has none; the 2025 snapshot carries the 3,321 communes, wards and
special zones (xã, phường, đặc khu) of the two-level government that started on
1 July 2025, named by their short name ("Kim Bình"), as reports print them
after "xã".

Re-run (never into the project venv; each version in its own throwaway dir):

    .venv/bin/pip install --target /tmp/vp06 vietnam-provinces==0.6.0
    .venv/bin/pip install --target /tmp/vp25 'vietnam-provinces>=2025'
    .venv/bin/python scripts/export_admin_units.py /tmp/vp06 /tmp/vp25

Deliberate departures from the package data, all in `_PRE_2025_FIXES`:
* Its 0.6.0 data is dated 2025-01-04, after Thừa Thiên Huế became the
  centrally-run "Thành phố Huế" (1/1/2025); the 2024 snapshot keeps the
  province's name of 2003-2024, "Tỉnh Thừa Thiên Huế", because that is what the
  reports of those years print.
* The package's `division_type` is "tỉnh"/"huyện" for every unit, so the type
  is taken from the name's prefix ("Quận …", "Thị xã …", "Thành phố …").
* Hà Tây (GSO code 28, merged into Hà Nội on 1/8/2008) is added, because
  budget and statistics tables up to 2007 print it as a province of its own.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

from chiso.normalize.text import fold

OUT = Path(__file__).resolve().parents[1] / "chiso" / "resolve" / "data"
FIELDS = ["gso_code", "level", "division_type", "name", "short_name", "entity_name", "parent_code"]

_PROVINCE_PREFIXES = {"Thành phố": "thành phố trung ương", "Tỉnh": "tỉnh"}
_DISTRICT_PREFIXES = {"Huyện": "huyện", "Quận": "quận", "Thị xã": "thị xã", "Thành phố": "thành phố"}
_COMMUNE_PREFIXES = {"Xã": "xã", "Phường": "phường", "Đặc khu": "đặc khu"}
_PRE_2025_FIXES = {"46": ("Tỉnh Thừa Thiên Huế", "tỉnh")}
_HISTORICAL_PROVINCES = [("28", "Tỉnh Hà Tây", "tỉnh")]


def split_prefix(name: str, prefixes: dict[str, str]) -> tuple[str, str]:
    """'Thị xã Kinh Môn' → ('thị xã', 'Kinh Môn'); names without a prefix are provinces (2025 data)."""
    for prefix, division_type in prefixes.items():
        if name.startswith(prefix + " "):
            return division_type, name[len(prefix) + 1 :]
    return "tỉnh", name


def _nested(package_dir: Path) -> list[dict]:
    path = package_dir / "vietnam_provinces" / "data" / "nested-divisions.json"
    return json.loads(path.read_text(encoding="utf-8"))


def province_row(code: str, name: str, division_type: str | None = None) -> dict[str, str]:
    parsed_type, short = split_prefix(name, _PROVINCE_PREFIXES)
    return {
        "gso_code": code,
        "level": "province",
        "division_type": division_type or parsed_type,
        "name": name,
        "short_name": short,
        "entity_name": short,
        "parent_code": "",
    }


def district_rows(province: dict[str, str], districts: list[dict]) -> list[dict[str, str]]:
    """Districts of one province; `entity_name` is the short name unless it is ambiguous.

    The corpus convention (and common usage) names a district without its
    prefix ("Kim Thành"), except the provincial capital, whose short name is
    the province's ("Thành phố Hải Dương"); the same goes for two districts of
    one province sharing a name (Huyện / Thị xã Kỳ Anh).
    """
    parsed = [(d, *split_prefix(d["name"], _DISTRICT_PREFIXES)) for d in districts]
    counts = Counter(short for _, _, short in parsed)
    rows = []
    for district, division_type, short in parsed:
        ambiguous = counts[short] > 1 or short == province["short_name"]
        rows.append(
            {
                "gso_code": f"{district['code']:03d}",
                "level": "district",
                "division_type": division_type,
                "name": district["name"],
                "short_name": short,
                "entity_name": district["name"] if ambiguous else short,
                "parent_code": province["gso_code"],
            }
        )
    return rows


def export_2024(package_dir: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for item in _nested(package_dir):
        code = f"{item['code']:02d}"
        name, division_type = _PRE_2025_FIXES.get(code, (item["name"], None))
        province = province_row(code, name, division_type)
        rows.append(province)
        rows.extend(district_rows(province, item["districts"]))
    rows.extend(province_row(code, name, division_type) for code, name, division_type in _HISTORICAL_PROVINCES)
    return rows


def commune_rows(province: dict[str, str], wards: list[dict]) -> list[dict[str, str]]:
    """Communes of one 2025 province, named by their short name unless two of them fold to the
    same one ('Xã Hòa Bình', 'Phường Hoà Bình'), then by the full name, and when even that folds
    alike ('Xã Văn Lang', 'Xã Văn Lãng') by the full name and code: the warehouse keys names
    accent-insensitively, and a printed name that could be either must not be pinned on one."""
    parsed = [(ward, *split_prefix(ward["name"], _COMMUNE_PREFIXES)) for ward in wards]
    counts = Counter(fold(short) for _, _, short in parsed)
    full_counts = Counter(fold(ward["name"]) for ward in wards)

    def entity_name(ward: dict, short: str) -> str:
        if counts[fold(short)] == 1:
            return short
        return ward["name"] if full_counts[fold(ward["name"])] == 1 else f"{ward['name']} ({ward['code']:05d})"

    return [
        {
            "gso_code": f"{ward['code']:05d}",
            "level": "commune",
            "division_type": ward.get("division_type") or division_type,
            "name": ward["name"],
            "short_name": short,
            "entity_name": entity_name(ward, short),
            "parent_code": province["gso_code"],
        }
        for ward, division_type, short in parsed
    ]


def export_2025(package_dir: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for item in _nested(package_dir):
        province = province_row(f"{item['code']:02d}", item["name"], item["division_type"])
        rows.append(province)
        rows.extend(commune_rows(province, item.get("wards", [])))
    return rows


def write(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{path}: {len(rows)} rows")


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        sys.exit(__doc__)
    OUT.mkdir(parents=True, exist_ok=True)
    write(export_2024(Path(argv[0])), OUT / "admin_units_2024.csv")
    write(export_2025(Path(argv[1])), OUT / "admin_units_2025.csv")


if __name__ == "__main__":
    main(sys.argv[1:])
