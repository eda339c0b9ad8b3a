"""Narrative facts from the running text of the born-digital corpus reports, scored against truth."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from chiso.interpret.metadata.document import extract_metadata
from chiso.interpret.narrative.observations import extract_narrative
from chiso.interpret.narrative.quantities import find_quantities
from chiso.interpret.sentences import is_grid_line, paragraphs
from chiso.model import DocumentMeta, Observation, TextBlock
from chiso.normalize.text import fold

pdfplumber = pytest.importorskip("pdfplumber")

HAIDUONG = "haiduong_tong-ket-de-an-01_2022.pdf"
HATINH = "hatinh_dang-uy-khoi_tong-ket-xay-dung-tccsd_2021.pdf"


def _pages(corpus: Path, name: str) -> list[TextBlock]:
    with pdfplumber.open(corpus / "pdf" / name, unicode_norm="NFC") as pdf:
        return [TextBlock(page.extract_text() or "", number, "pdf_text") for number, page in enumerate(pdf.pages, 1)]


@pytest.fixture(scope="module")
def extracted(corpus: Path) -> dict[str, list[Observation]]:
    out = {}
    for name in (HAIDUONG, HATINH):
        texts = _pages(corpus, name)
        out[name] = extract_narrative(texts, extract_metadata(texts))
    return out


def _truth(corpus: Path, name: str) -> list[dict[str, str]]:
    with open(corpus / "truth" / f"{name}.csv", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["kind"] == "narrative"]


def _key(page: object, value: float, entity: str, period: object) -> tuple:
    return (int(page), round(float(value), 6), fold(str(entity)), str(period))


def test_recall_and_spurious_facts_against_truth(corpus: Path, extracted: dict[str, list[Observation]]) -> None:
    truth_keys: Counter[tuple] = Counter()
    found_keys: set[tuple] = set()
    spurious: list[Observation] = []
    for name, observations in extracted.items():
        rows = {_key(r["page"], r["value"], r["entity_name"], r["period_end"]) for r in _truth(corpus, name)}
        truth_keys.update(rows)
        for obs in observations:
            obs_key = _key(obs.page, obs.value, obs.entity_name, obs.period_end)
            found_keys.add(obs_key)
            if obs_key not in rows:
                spurious.append(obs)
    matched = sum(1 for k in truth_keys if k in found_keys)
    recall = matched / len(truth_keys)
    total = sum(len(v) for v in extracted.values())
    print(f"\nnarrative recall {matched}/{len(truth_keys)} = {recall:.3f}; extracted {total}, spurious {len(spurious)}")
    for k in sorted(k for k in truth_keys if k not in found_keys):
        print("  missed", k)
    for obs in spurious:
        print(f"  spurious p{obs.page} {obs.value:g} {obs.entity_name} {obs.period_end} {obs.indicator_label!r}")
    assert recall >= 0.85
    assert len(spurious) <= 0.15 * total


def test_observations_carry_provenance_and_labels(extracted: dict[str, list[Observation]]) -> None:
    by_value = {(o.value, o.unit): o for o in extracted[HAIDUONG]}
    members = by_value[(108764.0, "count")]
    assert members.indicator_label == "đảng viên"
    assert members.entity_name == "Hải Dương" and members.entity_level == "province"
    assert members.period_end == date(2022, 6, 30) and members.page == 1
    assert members.source_text.startswith("Đảng bộ tỉnh hiện nay có 108.764 đảng viên")
    assert members.extraction_method == "pdf_text" and members.row_label is None and members.table_ref is None
    rate = by_value[(266.7, "percent")]
    assert rate.entity_name == "Tứ Kỳ" and rate.entity_level == "district" and rate.page == 2
    assert rate.indicator_label.startswith("tỷ lệ")


def test_before_the_plan_takes_the_plan_date(extracted: dict[str, list[Observation]]) -> None:
    """'(trước khi thực hiện Đề án có 21 thôn có 02 chi bộ …)' → the Đề án's date; '02' is part of the label."""
    before = [o for o in extracted[HAIDUONG] if o.period_end == date(2016, 8, 29)]
    assert sorted(o.value for o in before) == [2, 4, 15, 21]
    reduced = [o for o in extracted[HAIDUONG] if o.value in (201, 136)]
    assert {o.period_end for o in reduced} == {date(2022, 6, 30)}  # "so với trước khi…" is current


def test_party_org_report_attributes_facts_to_its_organisation(extracted: dict[str, list[Observation]]) -> None:
    footnote = [o for o in extracted[HATINH] if o.source_text.startswith("Có 44 tổ chức cơ sở đảng")]
    assert [o.value for o in footnote] == [44, 16, 2, 7, 31, 1, 7, 1]  # "trên 50% vốn" is a qualifier
    assert {o.entity_name for o in footnote} == {"Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh"}
    assert {o.entity_level for o in footnote} == {"party_org"}
    assert {o.period_end for o in footnote} == {date(2021, 10, 31)}  # issue month only: its last day


def test_appendix_tables_yield_no_narrative_facts(extracted: dict[str, list[Observation]]) -> None:
    assert max(o.page or 0 for o in extracted[HAIDUONG]) == 3


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Đến tháng 6/2022, toàn tỉnh đã giảm được 697/620 biên chế, đạt 112% kế hoạch.", [697, 620, 112]),
        ("Số cán bộ phải giảm 10% theo mục tiêu Đề án số 01-ĐA/TU là 620.", [620]),
        ("giảm số người đạt từ 53,7% đến 87,4% so với kế hoạch (Biểu số 2).", []),
        ("phấn đấu từ 30 đến 50% số xã; Qua hơn 5 năm triển khai, giai đoạn 2016 - 2020", []),
        ("Toàn tỉnh không còn thôn có 3 chi bộ trở lên (có 21 thôn có 02 chi bộ)", [21]),
        ("huyện Nam Sách (8/19 đơn vị = 42,1%)", [8, 19, 42.1]),
        ("Đảng bộ có 108.764 đảng viên, trong đó có 85.817 đảng viên", [108764, 85817]),
    ],
)
def test_which_numbers_are_facts(sentence: str, expected: list[float]) -> None:
    assert [q.value for q in find_quantities(sentence)] == expected


def test_places_and_periods_on_unaccented_text() -> None:
    """OCR without Vietnamese loses diacritics; the keyword rules still apply."""
    texts = [
        TextBlock(
            "II. KET QUA (so lieu tinh den 31/12/2023)\n- Toan tinh co 61 chi bo; huyen Phong Tho: 20 dang bo,\n"
            "dat 95% ke hoach.\n",
            None,
            "txt_ocr",
        )
    ]
    meta = DocumentMeta(province="Lai Châu", issuer="Ban Thường vụ Tỉnh ủy Lai Châu", issue_date=date(2024, 1, 29))
    observations = extract_narrative(texts, meta)
    assert [(o.value, o.unit, o.entity_name, o.entity_level) for o in observations] == [
        (61, "count", "Lai Châu", "province"),
        (20, "count", "Phong Tho", "district"),
        (95, "percent", "Phong Tho", "district"),
    ]
    assert {o.period_end for o in observations} == {date(2023, 12, 31)}


def test_members_inspected_or_admitted_are_not_the_membership() -> None:
    """'kiểm tra 3.870 tổ chức đảng và 4.180 đảng viên' counts inspections: its label says so."""
    texts = [
        TextBlock(
            "Đảng bộ tỉnh hiện có 136.297 đảng viên. Cấp ủy các cấp kiểm tra 3.870 tổ chức đảng và 4.180 đảng viên; "
            "thi hanh ky luét 12 dang vien. Toàn tỉnh kết nạp 73 đảng viên.\n",
            1,
            "pdf_text",
        )
    ]
    meta = DocumentMeta(province="Tuyên Quang", issuer="Tỉnh ủy Tuyên Quang", issue_date=date(2025, 9, 1))
    labels = {o.value: o.indicator_label for o in extract_narrative(texts, meta)}
    assert labels[136297] == "đảng viên"
    assert labels[4180] == "đảng viên được kiểm tra" and labels[3870] == "tổ chức đảng được kiểm tra"
    assert labels[12] == "dang vien được kỷ luật" and labels[73] == "đảng viên được kết nạp"


def test_place_names_cut_short_by_ocr_are_completed() -> None:
    """'huyén T ky', 'huyén Kim thanh', 'huyén Nam⏎Sach': the next words complete a known district."""
    texts = [
        TextBlock(
            "Mot so huyen lam tot: huyén T ky giam 144 nguoi; huyén Kim thanh giam 107 nguoi; huyén Nam\n"
            "Sach giam 50 nguoi; Tinh Iy giam 12 nguoi.\n",
            None,
            "txt_ocr",
        )
    ]
    meta = DocumentMeta(province="Hải Dương", issuer="Tỉnh ủy Hải Dương", issue_date=date(2022, 6, 30))
    places = {o.value: (o.entity_name, o.entity_level) for o in extract_narrative(texts, meta)}
    assert places == {
        144: ("T ky", "district"),
        107: ("Kim thanh", "district"),
        50: ("Nam Sach", "district"),
        12: ("Hải Dương", "province"),
    }


def test_layout_lines_are_not_prose() -> None:
    assert is_grid_line("1 Thành ủy Chí Linh 156 156 156 0 0 0 156 0 100%")
    assert is_grid_line("A B 1 2 3 4=3/2 5 6 7 8 9=8/7 10 11 12 13")
    assert not is_grid_line("50/37 = 135,1%, Thanh Hà giảm 60/46 = 130,4%... (Biểu số 2)")
    blocks = [
        TextBlock("I. TÌNH HÌNH\nĐảng bộ có 109 tổ chức cơ sở đảng, trong đó có 68 đảng bộ, 41 chi bộ cơ\n1\nsở.", 1, "pdf_text"),
        TextBlock("2\n- Có 8.341 đảng viên.\nBiểu số 1\nBIỂU TỔNG HỢP\nCộng 1.333 1.340", 2, "pdf_text"),
    ]
    sentences = [s.text for p in paragraphs(blocks) for s in p.sentences]
    assert sentences == [
        "TÌNH HÌNH",
        "Đảng bộ có 109 tổ chức cơ sở đảng, trong đó có 68 đảng bộ, 41 chi bộ cơ sở.",
        "Có 8.341 đảng viên.",
    ]


def test_ocr_text_is_read_in_the_catalogs_words_and_quoted_as_printed() -> None:
    """Seed 001's opening (English-model OCR): the figures' nouns read back ('t6 chire co sd dang' is tổ chức
    cơ sở đảng, a catalogued measure), each figure's sentence kept as the source printed it."""
    printed = "Pang bd Khéi co 109 t6 chire co sd dang, trong d6 cd 68 dang bo, 41 chi b co s6."
    meta = DocumentMeta(province="Hà Tĩnh", issuer="Đảng ủy Khối", issue_date=date(2021, 10, 31))
    found = {o.value: o for o in extract_narrative([TextBlock(printed + "\n", None, "txt_ocr")], meta)}
    assert {v: o.indicator_label for v, o in found.items()} == {
        109: "to chuc co so dang", 68: "dang bo", 41: "chi bo co so"}
    assert {o.source_text for o in found.values()} == {printed}
    from chiso.indicators.interpret import interpret

    assert interpret(found[109].indicator_label).code == "to_chuc_co_so_dang"
