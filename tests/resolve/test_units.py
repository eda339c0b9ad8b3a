"""The versioned reference CSVs and the exporter that wrote them."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

from chiso.normalize.text import fold
from chiso.resolve.units import districts, load_units, province_by_code, provinces

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "chiso" / "resolve" / "data"


def _exporter():
    spec = importlib.util.spec_from_file_location("export_admin_units", REPO / "scripts" / "export_admin_units.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_2024_snapshot_has_the_63_provinces_plus_ha_tay_and_their_districts():
    units = provinces()
    assert len(units) == 64
    assert province_by_code("28").entity_name == "Hà Tây"
    assert province_by_code("30").name == "Tỉnh Hải Dương"
    assert province_by_code("79").division_type == "thành phố trung ương"
    assert province_by_code("46").entity_name == "Thừa Thiên Huế"  # 2003-2024 name, not 2025's 'Thành phố Huế'
    assert 690 <= len(districts()) <= 710
    codes = {unit.gso_code for unit in units}
    assert all(unit.parent_code in codes for unit in districts())
    assert sum(1 for unit in units if districts(unit.gso_code)) == 63  # every province but Hà Tây


def test_district_names_follow_the_corpus_convention():
    by_name = {unit.name: unit for unit in districts("30")}
    assert len(by_name) == 12
    assert by_name["Thành phố Hải Dương"].entity_name == "Thành phố Hải Dương"  # the capital
    assert by_name["Thị xã Kinh Môn"].entity_name == "Kinh Môn"
    assert by_name["Thị xã Kinh Môn"].division_type == "thị xã"
    assert by_name["Huyện Kim Thành"].entity_name == "Kim Thành"
    for province in provinces():  # entity names identify a district within its province
        names = Counter(fold(unit.entity_name) for unit in districts(province.gso_code))
        assert max(names.values(), default=1) == 1, province.name


def test_2025_snapshot_has_the_34_merged_provinces():
    units = provinces("2025")
    assert len(units) == 34
    names_2024 = {fold(unit.entity_name) for unit in provinces()}
    renamed = [unit.entity_name for unit in units if fold(unit.entity_name) not in names_2024]
    assert renamed == ["Huế"]  # each merged province kept one old name; Huế is the exception
    assert not districts(snapshot="2025")


def test_2025_snapshot_has_the_communes_of_the_two_level_government():
    """No districts from 1 July 2025: 3,321 communes, wards and special zones hang under their province."""
    communes = [unit for unit in load_units("2025") if unit.level == "commune"]
    assert len(communes) == 3321
    codes = {unit.gso_code for unit in provinces("2025")}
    assert all(unit.parent_code in codes and len(unit.gso_code) == 5 for unit in communes)
    assert {unit.division_type for unit in communes} == {"xã", "phường", "đặc khu"}
    tuyen_quang = next(unit.gso_code for unit in provinces("2025") if unit.entity_name == "Tuyên Quang")
    assert "Kim Bình" in {unit.entity_name for unit in communes if unit.parent_code == tuyen_quang}


def test_reference_data_stays_small():
    """Two maps: ~760 units of 2024 (50 KB) and the 34 provinces with 3,321 communes of 2025 (~215 KB)."""
    assert sum(path.stat().st_size for path in DATA.glob("*.csv")) < 300_000


def test_exporter_derives_type_short_and_entity_names():
    exporter = _exporter()
    assert exporter.split_prefix("Thị xã Kinh Môn", exporter._DISTRICT_PREFIXES) == ("thị xã", "Kinh Môn")
    province = exporter.province_row("42", "Tỉnh Hà Tĩnh")
    rows = exporter.district_rows(
        province,
        [
            {"code": 436, "name": "Thành phố Hà Tĩnh"},
            {"code": 447, "name": "Huyện Kỳ Anh"},
            {"code": 449, "name": "Thị xã Kỳ Anh"},
            {"code": 440, "name": "Huyện Đức Thọ"},
        ],
    )
    assert [row["entity_name"] for row in rows] == ["Thành phố Hà Tĩnh", "Huyện Kỳ Anh", "Thị xã Kỳ Anh", "Đức Thọ"]
    assert [row["gso_code"] for row in rows][:1] == ["436"]
    assert {row["parent_code"] for row in rows} == {"42"}
    assert load_units()[0].level == "province"
