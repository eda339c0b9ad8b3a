"""Resolution of printed labels to entities, measured on the corpus truth and real national tables."""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import xlrd

from chiso.model import Observation
from chiso.normalize.text import fold
from chiso.resolve.entities import Entity, looks_like_place, resolve_label, resolve_observations
from chiso.resolve.units import provinces

HD = "Hải Dương"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Huyện ủy Kim Thành", ("Kim Thành", "district")),
        ("huyện Kim Thành", ("Kim Thành", "district")),
        ("UBND huyện Kim Thành", ("Kim Thành", "district")),
        ("HUYỆN ỦY KIM THÀNH", ("Kim Thành", "district")),
        ("Thành ủy Chí Linh", ("Chí Linh", "district")),
        ("Thị ủy Kinh Môn", ("Kinh Môn", "district")),
        ("Thành ủy Hải Dương", ("Thành phố Hải Dương", "district")),
        ("UBND thành phố Hải Dương", ("Thành phố Hải Dương", "district")),
        ("Tỉnh ủy Hải Dương", ("Hải Dương", "province")),
        ("Cộng", ("Hải Dương", "province")),
        ("Tổng cộng", ("Hải Dương", "province")),
        ("TỔNG", ("Hải Dương", "province")),
        ("Toàn tỉnh", ("Hải Dương", "province")),
        ("TỔNG SỐ", ("Hải Dương", "province")),
        ("Sở KH&ĐT", ("Sở Kế hoạch và Đầu tư", "agency")),
        ("Sở Nội vụ", ("Sở Nội vụ", "agency")),
        ("Sở GTVT", ("Sở Giao thông vận tải", "agency")),
        ("Sở TN&MT", ("Sở Tài nguyên và Môi trường", "agency")),
        ("Sở LĐ-TB&XH", ("Sở Lao động - Thương binh và Xã hội", "agency")),
        ("Sở VH-TT&DL", ("Sở Văn hóa, Thể thao và Du lịch", "agency")),
        ("Sở VHTTDL", ("Sở Văn hóa, Thể thao và Du lịch", "agency")),
        ("Sở NN&PTNT", ("Sở Nông nghiệp và Phát triển nông thôn", "agency")),
        ("Sở GD&ĐT", ("Sở Giáo dục và Đào tạo", "agency")),
        ("Sở KH&CN", ("Sở Khoa học và Công nghệ", "agency")),
        ("Sở TT&TT", ("Sở Thông tin và Truyền thông", "agency")),
        ("Sở Nội vụ tỉnh Hải Dương", ("Sở Nội vụ", "agency")),
        ("Ban Quản lý các KCN", ("Ban Quản lý các khu công nghiệp tỉnh", "agency")),
        ("Văn phòng UBND tỉnh", ("Văn phòng UBND tỉnh", "agency")),
        ("VP Ủy ban nhân dân tỉnh", ("Văn phòng UBND tỉnh", "agency")),
        ("Thanh tra tỉnh", ("Thanh tra tỉnh", "agency")),
        ("SỞ NGOẠI VỤ", ("Sở Ngoại vụ", "agency")),
        ("Đảng ủy Khối các cơ quan tỉnh", ("Đảng bộ Khối các cơ quan tỉnh Hải Dương", "party_org")),
        ("Đảng bộ tỉnh", ("Đảng bộ tỉnh Hải Dương", "party_org")),
        ("xã Tuấn Việt", ("Tuấn Việt", "commune")),
        # OCR without Vietnamese (seed 000's appendix tables)
        ("Huyén uy Kim Thinh", ("Kim Thành", "district")),
        ("Huyénuy Gia Ljc", ("Gia Lộc", "district")),
        ("Thj uy Kinh Mén", ("Kinh Môn", "district")),
        ("Huy¢n uy Binh Giang", ("Bình Giang", "district")),
        ("Thianh uy Hai Duong", ("Thành phố Hải Dương", "district")),
        ("1 |Thanh uy ChiLinh", ("Chí Linh", "district")),
        ("Céng", ("Hải Dương", "province")),
    ],
)
def test_labels_in_a_provincial_document(label: str, expected: tuple[str, str]):
    entity = resolve_label(label, HD)
    assert entity is not None and (entity.name_vi, entity.level) == expected
    assert entity.province == HD


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("\xa0HÀ GIANG", "Hà Giang"),
        ("TP HỒ CHÍ MINH", "Hồ Chí Minh"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("Ho Chi Minh City", "Hồ Chí Minh"),
        ("HCMC", "Hồ Chí Minh"),
        ("THỪA THIÊN - HUẾ", "Thừa Thiên Huế"),
        ("Thừa Thiên Huế", "Thừa Thiên Huế"),
        ("BÀ RỊA-VŨNG TÀU", "Bà Rịa - Vũng Tàu"),
        ("Đắk Lắk", "Đắk Lắk"),
        ("ĐĂK LĂK", "Đắk Lắk"),
        ("Dak Lak", "Đắk Lắk"),
        ("Hà Tây", "Hà Tây"),
        ("BẮC CẠN", "Bắc Kạn"),
        ("LAO CAI", "Lào Cai"),
        ("Tỉnh Hà Tĩnh", "Hà Tĩnh"),
        ("Hà Tĩnh", "Hà Tĩnh"),
    ],
)
def test_province_spellings(label: str, expected: str):
    entity = resolve_label(label, None)
    assert entity == resolve_label(label, HD)
    assert entity is not None and entity.level == "province" and entity.name_vi == expected


def test_context_decides_between_a_capital_city_and_its_province():
    assert resolve_label("Thành phố Hải Dương", None).level == "district"
    assert resolve_label("Thành phố Hà Nội", None).level == "province"
    assert resolve_label("Thị ủy Kỳ Anh", "Hà Tĩnh").name_vi == "Thị xã Kỳ Anh"
    assert resolve_label("Huyện Kỳ Anh", "Hà Tĩnh").name_vi == "Huyện Kỳ Anh"
    assert resolve_label("Kỳ Anh", "Hà Tĩnh") is None  # two districts of that name
    assert resolve_label("Huyện Ý Yên", "Nam Định").name_vi == "Ý Yên"  # 'Ý' is not 'ủy'
    # a district of a neighbouring (or merged-in) province keeps its own province
    assert resolve_label("huyện Đồng Văn", "Tuyên Quang") == Entity(
        "Đồng Văn", "district", "Hà Giang", "026", "Hà Giang"
    )
    assert resolve_label("TỔNG SỐ", None) == Entity("Việt Nam", "country", None)
    assert resolve_label("TÂY NGUYÊN\nHIGH LAND", None) == Entity("Tây Nguyên", "region", None)


@pytest.mark.parametrize(
    "label",
    ["Bí thư cấp ủy", "Bí thư Đảng ủy", "Chi bộ nông thôn", "Phó Chủ tịch UBND", "Số chi bộ", "Xã hội hóa", "Nữ", ""],
)
def test_categories_are_not_places(label: str):
    assert resolve_label(label, HD) is None
    assert not looks_like_place(label, HD)


def test_looks_like_place_flags_what_resolution_missed():
    for label in ("Huyện ủy Xyz", "UBND thị xã Abc", "Tỉnh Xyz", "Thành phố Xyz"):
        assert resolve_label(label, HD) is None
        assert looks_like_place(label, HD)


def _truth_rows(corpus: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted((corpus / "truth").glob("*.csv")):
        if path.name != "documents.csv":
            with path.open(encoding="utf-8", newline="") as handle:
                rows.extend(csv.DictReader(handle))
    return rows


def test_truth_entities(corpus: Path):
    """resolve_label(row_label) gives the truth's (entity_name, entity_level); None for category rows."""
    scores: dict[str, list[int]] = {"table_cell": [0, 0], "narrative": [0, 0]}
    misses = set()
    for row in _truth_rows(corpus):
        # narrative facts carry no row label: resolving their own entity name must be the identity
        label = row["row_label"] if row["kind"] == "table_cell" else row["entity_name"]
        category = row["row_label"] and row["indicator_label"].endswith(" — " + row["row_label"])
        want = None if category else (row["entity_name"], row["entity_level"])
        entity = resolve_label(label, row["province"])
        got = None if entity is None else (entity.name_vi, entity.level)
        scores[row["kind"]][0] += got == want
        scores[row["kind"]][1] += 1
        if got != want:
            misses.add((label, want, got))
    for kind, (ok, total) in scores.items():
        print(f"{kind}: {ok}/{total} = {ok / total:.1%} entities exact")
    ok, total = scores["table_cell"]
    assert ok / total >= 0.98, sorted(misses)[:20]
    assert scores["narrative"][0] == scores["narrative"][1], sorted(misses)[:20]


def test_ocr_row_labels_of_seed_000(corpus: Path):
    """The OCR'd appendix rows ('Huyén uy Kim Thinh') all land on the 12 districts of Hải Dương."""
    text = (corpus / "ocr-text" / "000_5aec168a7511ce7d.txt").read_text(encoding="utf-8")
    labels = []
    for line in text.splitlines():
        label = re.split(r"\s\d|\s[|\[{(%]", re.sub(r"^\W*\d{0,2}\W*", "", line) + " 0")[0].strip()
        if len(label) <= 30 and re.match(r"(?i)(hu|th)\S{0,5}\s?\S{0,3}y\s", label):
            labels.append(label)
    resolved = [resolve_label(label, HD) for label in labels]
    print(f"seed 000 OCR row labels: {sum(e is not None for e in resolved)}/{len(labels)} resolved")
    assert len(labels) >= 40
    assert all(entity is not None and entity.level == "district" for entity in resolved), [
        label for label, entity in zip(labels, resolved, strict=True) if entity is None
    ]
    assert len({entity.name_vi for entity in resolved}) == 12


def test_mof_reference_province_names(real: Path):
    """The ASCII names of the MoF reference extraction all resolve to a reference province."""
    codes = {unit.gso_code for unit in provinces()}
    with (real / "mof-budget" / "reference_plan_cleaned.csv").open(encoding="utf-8") as handle:
        names = {row["prov"] for row in csv.DictReader(handle)}
    resolved = {name: resolve_label(name, None) for name in names}
    assert all(e is not None and e.level == "province" and e.gso_code in codes for e in resolved.values()), resolved
    assert len({e.gso_code for e in resolved.values()}) == len(names) == 64  # the 63 and Hà Tây


@pytest.mark.parametrize("name", ["Plan_2004.xls", "Plan_2008.xls", "Final_2012.xls", "Plan_2017.xls"])
def test_mof_spreadsheet_province_columns(real: Path, name: str):
    """In each province column of a real MoF sheet every row is a province, region or the national total."""
    book = xlrd.open_workbook(real / "mof-budget" / name)
    checked = 0
    for sheet in book.sheets():
        for col in range(min(3, sheet.ncols)):
            cells = [sheet.cell_value(r, col) for r in range(sheet.nrows)]
            resolved = [(c, resolve_label(c, None)) for c in cells if isinstance(c, str) and c.strip()]
            found = {e.gso_code for _, e in resolved if e is not None and e.level == "province"}
            if len(found) < 40:
                continue
            checked += 1
            assert len(found) >= 61, (sheet.name, col)
            levels = {e.level for _, e in resolved if e is not None}
            assert levels <= {"province", "region", "country"}, (sheet.name, col, levels)
            rows = [e for _, e in resolved if e is not None]
            assert sum(e.level == "country" for e in rows) >= 1
    assert checked >= 1


def _obs(label: str, level: str = "unresolved", **kwargs) -> Observation:
    return Observation(
        indicator_label=kwargs.pop("indicator_label", "Số thôn"),
        value=1.0,
        unit="count",
        entity_name=label,
        entity_level=level,
        province=kwargs.pop("province", None),
        period_end=date(2022, 7, 31),
        row_label=label if level == "unresolved" else None,
        **kwargs,
    )


def test_resolve_observations():
    observations = [
        _obs("Huyện ủy Kim Thành"),
        _obs("Cộng", is_total=True),
        _obs("Bí thư cấp ủy", indicator_label="Số được cử đào tạo"),
        _obs("Huyện ủy Xyz"),
        _obs("Sở KH&ĐT"),
        _obs("thành phố Hải Dương", level="district"),
        _obs("Hải Dương", level="district"),
        _obs("Nam Sách", level="district", province="Hải Dương"),
        _obs("Hải Dương", level="province"),
        _obs("Đảng bộ tỉnh Hải Dương", level="party_org"),
    ]
    resolved, unresolved = resolve_observations(observations, "Tỉnh Hải Dương")
    got = [(o.entity_name, o.entity_level, o.province) for o in resolved]
    assert got == [
        ("Kim Thành", "district", HD),
        (HD, "province", HD),
        (HD, "province", HD),
        (HD, "province", HD),
        ("Sở Kế hoạch và Đầu tư", "agency", HD),
        ("Thành phố Hải Dương", "district", HD),
        ("Thành phố Hải Dương", "district", HD),
        ("Nam Sách", "district", HD),
        (HD, "province", HD),
        ("Đảng bộ tỉnh Hải Dương", "party_org", HD),
    ]
    assert resolved[2].indicator_label == "Số được cử đào tạo — Bí thư cấp ủy"
    assert resolved[0].indicator_label == "Số thôn"
    assert resolved[0].row_label == "Huyện ủy Kim Thành"
    assert unresolved == ["Huyện ủy Xyz"]


def test_document_province_inferred_from_its_rows():
    rows = [_obs("Huyện ủy Kim Thành"), _obs("Cộng", is_total=True), _obs("Bí thư cấp ủy")]
    resolved, unresolved = resolve_observations(rows, None)
    assert [(o.entity_name, o.province) for o in resolved] == [("Kim Thành", HD), (HD, HD), (HD, HD)]
    assert unresolved == []


def test_narrative_districts_tell_the_province_of_an_ocr_report():
    rows = [
        _obs("", level="province"),
        _obs("Nam Séch", level="district"),  # OCR: only the province's own districts are close enough
        _obs("Thanh Hà", level="district"),
        _obs("Thanh Miện", level="district"),
    ]
    resolved, unresolved = resolve_observations(rows, None)
    assert [(o.entity_name, o.entity_level, o.province) for o in resolved] == [
        (HD, "province", HD),
        ("Nam Sách", "district", HD),
        ("Thanh Hà", "district", HD),
        ("Thanh Miện", "district", HD),
    ]
    assert unresolved == []


def test_category_rows_without_any_province_stay_unresolved():
    rows = [_obs("Bí thư cấp ủy"), _obs("Tổng cộng", is_total=True)]
    resolved, unresolved = resolve_observations(rows, None)
    assert resolved == rows
    assert unresolved == ["Bí thư cấp ủy", "Tổng cộng"]


def test_national_table_rows():
    rows = [_obs("TP. HỒ CHÍ MINH"), _obs("HÀ TÂY"), _obs("TỔNG SỐ", is_total=True), _obs("TÂY NGUYÊN")]
    resolved, unresolved = resolve_observations(rows, None)
    assert [(o.entity_name, o.entity_level, o.province) for o in resolved] == [
        ("Hồ Chí Minh", "province", "Hồ Chí Minh"),
        ("Hà Tây", "province", "Hà Tây"),
        ("Việt Nam", "country", None),
        ("Tây Nguyên", "region", None),
    ]
    assert unresolved == []


LD = "Lâm Đồng"


@pytest.mark.parametrize(
    ("label", "province", "expected"),
    [
        ("UBND phường 1 Bảo Lộc", None, ("1 Bảo Lộc", "24823")),
        ("Phường 1 Bảo Lộc", LD, ("1 Bảo Lộc", "24823")),
        ("UBND PHƯỜNG 1 BẢO LỘC", LD, ("1 Bảo Lộc", "24823")),
        ("ubnd  đặc khu  phú quý", None, ("Phú Quý", "23272")),
        ("Đặc khu Phú Quý", LD, ("Phú Quý", "23272")),
        ("UBND phường Lâm Viên - Đà Lạt", None, ("Lâm Viên - Đà Lạt", "24778")),
        ("Bảo Lâm 1", LD, ("Bảo Lâm 1", "25054")),  # no unit word: the document's 2025 province decides
    ],
)
def test_2025_communes_wards_and_special_zones(label: str, province: str | None, expected: tuple[str, str]):
    entity = resolve_label(label, province)
    assert entity is not None and (entity.name_vi, entity.gso_code) == expected
    assert entity.level == "commune" and entity.province == LD and not entity.observed


def test_communes_of_a_merged_province_are_found_under_its_successor():
    """Đắk Nông joined Lâm Đồng on 1 July 2025: its report's 'phường Bắc Gia Nghĩa' is Lâm Đồng's ward."""
    entity = resolve_label("UBND phường Bắc Gia Nghĩa", "Đắk Nông")
    assert entity is not None and entity.level == "commune" and entity.province == LD and entity.gso_code


@pytest.mark.parametrize(
    ("label", "level"),
    [
        ("UBND xã Tuấn Việt", "commune"),  # a pre-2025 commune: no reference list, kept as printed
        ("Chi bộ Văn phòng", "party_org"),
        ("Đảng ủy Trường Cao đẳng Y tế", "party_org"),
        ("Trung tâm Phục vụ hành chính công", "agency"),
        ("Sở Quy hoạch và Phát triển đô thị", "agency"),
    ],
)
def test_unknown_units_become_observed_entities_of_the_level_their_unit_word_says(label: str, level: str):
    entity = resolve_label(label, HD)
    assert entity is not None and entity.level == level and entity.observed


@pytest.mark.parametrize("label", ["Chi bộ nông thôn", "Chi bộ doanh nghiệp ngoài nhà nước", "Đảng bộ cơ sở"])
def test_kinds_of_chi_bo_are_categories(label: str):
    assert resolve_label(label, HD) is None


def test_category_rows_of_a_district_report_are_breakdowns_of_the_district():
    rows = [_row("Chi bộ nông thôn", 120.0), _row("Chi bộ cơ quan", 35.0)]
    resolved, _ = resolve_observations(rows, "Lai Châu", "Ban Thường vụ Huyện ủy Phong Thổ")
    assert {(o.entity_name, o.entity_level) for o in resolved} == {("Phong Thổ", "district")}
    assert resolved[0].indicator_label == "Số chi bộ — Chi bộ nông thôn"


def test_observed_entities_publish_with_a_flag():
    resolved, _ = resolve_observations([_row("UBND xã Tuấn Việt", 3.0)], HD)
    assert resolved[0].entity_level == "commune"
    assert resolved[0].quality_flag == "entity not in the reference lists: 'UBND xã Tuấn Việt' kept as an observed commune"


def _row(label: str, value: float) -> Observation:
    return Observation(
        indicator_label="Số chi bộ", value=value, unit="count", entity_name=label, entity_level="unresolved",
        province=None, period_end=date(2023, 12, 31), row_label=label, extraction_method="pdf_table",
    )


def test_agencies_of_a_merged_province_hang_under_its_2025_province_after_the_merger():
    rows = [replace(_row("Sở Y tế", 5.0), period_end=date(2025, 12, 31)), _row("Sở Y tế", 4.0)]
    after, before = resolve_observations(rows, "Hà Giang")[0]
    assert (after.entity_level, after.province) == ("agency", "Tuyên Quang")
    assert before.province == "Hà Giang"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Bộ Nông nghiệp và PTNT", ("Bộ Nông nghiệp và Phát triển nông thôn", "agency")),
        ("Bộ Y tế - Ministry of health", ("Bộ Y tế", "agency")),
        ("Tòa án nhân dân tối cao", ("Tòa án nhân dân tối cao", "agency")),
        ("Văn phòng Trung ương Đảng", ("Văn phòng Trung ương Đảng", "party_org")),
        ("Bộ Văn hoá, Thể thao và Du lịch", ("Bộ Văn hóa, Thể thao và Du lịch", "agency")),
    ],
)
def test_central_agencies_are_national_entities(label: str, expected: tuple[str, str]):
    """The MoF appendices list ministries as rows: agencies of the country, not categories of 'Việt Nam'."""
    entity = resolve_label(label, None)
    assert entity is not None and (entity.name_vi, entity.level) == expected
    assert entity.province is None and not entity.observed


def test_every_central_agency_row_has_a_level():
    """A comma inside a name must be quoted in the CSV, or the name is cut and its level is garbage."""
    from chiso.resolve.units import central_agencies

    assert {level for _, level in central_agencies()} == {"agency", "party_org"}


def test_an_ocr_damaged_commune_after_its_unit_word_is_the_closest_of_the_province():
    entity = resolve_label("UBND xã Đắk Mi]", LD)
    assert entity is not None and entity.name_vi == "Đắk Mil" and entity.gso_code
    assert resolve_label("UBND xã Bảo Lâm 7", LD).observed  # no such commune: no guess among Bảo Lâm 1–5


@pytest.mark.parametrize("places", [["Lâm Đồng", "Bình Thuận", "Đắk Nông"], ["Huyện Kim Thành", "Huyện Tứ Kỳ"]])
def test_places_across_the_columns_are_the_entities_and_the_rows_what_is_measured(places: list[str]) -> None:
    """A comparison table prints its places over the columns and its measures down the rows: the place
    never ends up in the indicator, the row label does; one place in a header alone stays a breakdown."""
    rows = [_obs(measure, indicator_label=f"{place} / {statistic}", column_label=f"{place} / {statistic}", page=3,
                 table_ref="Bảng 1")
            for place in places for statistic in ("Điểm số", "Thứ hạng")
            for measure in ("Chi phí gia nhập thị trường", "Đào tạo lao động")]
    resolved, unresolved = resolve_observations(rows, "Hải Dương" if "Huyện" in places[0] else "Lâm Đồng")
    assert unresolved == []
    assert len({(o.entity_name, o.entity_level) for o in resolved}) == len(places)
    assert all(o.entity_level in ("province", "district") for o in resolved)
    assert all(not any(fold(p) in fold(o.indicator_label) for p in places) for o in resolved)
    assert {o.indicator_label for o in resolved} == {f"{s} / {m}" for s in ("Điểm số", "Thứ hạng")
                                                      for m in ("Chi phí gia nhập thị trường", "Đào tạo lao động")}
    lone = [_obs("Đào tạo lao động", indicator_label="Lâm Đồng / Điểm số", column_label="Lâm Đồng / Điểm số", page=3)]
    kept, _ = resolve_observations(lone, "Lâm Đồng")
    assert kept[0].indicator_label == "Lâm Đồng / Điểm số — Đào tạo lao động"


def test_after_the_unit_word_tinh_only_a_province_is_meant_however_ocr_spelled_it() -> None:
    """'tinh Hdi Dudng' is Hải Dương; a bare 'Hai Dwong' would be as close to Hà Đông (a district of Hà Nội)."""
    assert resolve_label("tỉnh Hdi Dudng", None) == resolve_label("Hải Dương", None)
    lai_chau = resolve_label("tinh Lai Chiu", None)
    assert lai_chau is not None and lai_chau.name_vi == "Lai Châu"
    assert resolve_label("tỉnh Xyz Abc", None) is None


def test_a_row_counting_something_is_no_department() -> None:
    """'Số VBQPPL do cấp tỉnh ban hành' (bc329): 'Số' (the number of) folds like 'Sở' (a department)."""
    assert resolve_label("Số VBQPPL do cấp tỉnh ban hành", "Lâm Đồng") is None
    department = resolve_label("Sở Du lịch", "Lâm Đồng")
    assert department is not None and department.level == "agency"


@pytest.mark.parametrize(("printed", "district"), [
    ("HuytnuyBinh Giang", "Bình Giang"), ("HuyénuyNinhGiang", "Ninh Giang"), ("Thanh uy ChiLinh", "Chí Linh"),
])
def test_a_name_whose_spaces_ocr_dropped_is_still_the_district(printed: str, district: str) -> None:
    """Seed 000's Biểu số 5 and 7: the committee word glued to the name; Bình Giang's row was a category."""
    entity = resolve_label(printed, "Hải Dương")
    assert entity is not None and entity.name_vi == district


def test_a_vietnamese_small_letter_with_a_mark_is_no_word_boundary() -> None:
    """'Thạnh' keeps its 'ạ' (a letter U+1EA1, between capitals in the code table) in one word."""
    from chiso.resolve.entities import _unglued

    assert _unglued("Thạnh PhúThạnh") == "Thạnh Phú Thạnh"
