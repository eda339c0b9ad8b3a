"""The indicator catalog seeds and the label → code mapping, on real printed labels."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from chiso.catalog import load_aliases, load_catalog, match_label

UNITS = {"count", "percent", "score", "ratio", "amount"}


def test_catalog_is_consistent() -> None:
    catalog = load_catalog()
    assert len(catalog) >= 50
    assert all(ind.unit in UNITS and ind.name_vi and ind.name_en and ind.topic for ind in catalog.values())
    assert {alias.code for alias in load_aliases()} == set(catalog)  # every indicator has an alias, no stray alias
    assert catalog["dang_vien"].additive and catalog["budget_revenue_plan"].additive
    assert not catalog["pci_overall"].additive and not catalog["cchc_index"].additive


def _truth_labels(corpus: Path) -> dict[str, set[str]]:
    labels: dict[str, set[str]] = {}
    for path in (corpus / "truth").glob("*.csv"):
        if path.name == "documents.csv":
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                labels.setdefault(row["indicator_label"], set()).add(row["source_file"])
    return labels


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Số bí thư chi bộ đồng thời là trưởng thôn, KDC", "bi_thu_kiem_truong_thon"),
        ("Tổng số chi bộ thôn, khu dân cư", "chi_bo_thon_kdc"),
        ("chi bộ thôn, bản, tổ dân phố", "chi_bo_thon_kdc"),
        ("Tổng số thôn, khu dân cư", "thon_kdc"),
        ("tổ chức cơ sở đảng", "to_chuc_co_so_dang"),
        ("chi bộ cơ sở", "chi_bo_co_so"),
        ("Người hoạt động không chuyên trách cấp xã: tổng số", "nguoi_hdkct_xa"),
        ("Cán bộ, công chức xã: tổng biên chế được giao", "bien_che_cbcc_xa_giao"),
        ("Chỉ số CCHC: tổng điểm (chỉ số CCHC)", "cchc_index"),
        ("Chỉ số CCHC: Cải cách thể chế", "cchc_institutions"),
        ("Chỉ số CCHC: xếp hạng", "cchc_rank"),
    ],
)
def test_corpus_labels_map_to_the_catalog(corpus: Path, label: str, code: str) -> None:
    sources = _truth_labels(corpus)[label]  # the label is printed in the corpus
    assert {match_label(label, source) for source in sources} == {code}


def test_parts_and_categories_stay_unmapped(corpus: Path) -> None:
    labels = _truth_labels(corpus)
    parts = (
        "Số thôn, KDC có 1 chi bộ",
        "Tỷ lệ bí thư chi bộ đồng thời là trưởng thôn, KDC",
        "Người hoạt động không chuyên trách cấp xã: số phải giảm",
        "tổ chức cơ sở đảng trong cơ quan báo chí",
    )
    for label in parts:
        assert label in labels and match_label(label) is None, label


@pytest.mark.parametrize(
    ("label", "source", "code"),
    [
        ("TỔNG THU NSNN TRÊN ĐỊA BÀN", "Plan_2010.xls", "budget_revenue_plan"),
        ("Tổng thu NSNN trên địa bàn tỉnh, thành phố", "Final_2010.xls", "budget_revenue_final"),
        ("TỔNG CHI CÂN ĐỐI NGÂN SÁCH ĐỊA PHƯƠNG", "Plan_2010.xls", "budget_expenditure_plan"),
        ("BỔ SUNG TỪ NGÂN SÁCH TRUNG ƯƠNG CHO NGÂN SÁCH ĐỊA PHƯƠNG / TỔNG SỐ", "Plan_2010.xls", "transfer_total_plan"),
        ("Bổ sung từ NSTW cho NSĐP / Bổ sung có mục tiêu", "Final_2010.xls", "transfer_targeted_final"),
        ("Average population — Total", "Average population by province.csv", "average_population"),
        ("Tổng số Bí thư chi bộ đồng thời là trưởng thôn, KDC", "haiduong_bieu01.xlsx", "bi_thu_kiem_truong_thon"),
        ("Người hoạt động không chuyên trách xã / Tổng số", "haiduong_tong-ket.pdf", "nguoi_hdkct_xa"),
        ("Chỉ số CCHC năm 2022", "haiduong_chi-so-cchc-2022.xls", "cchc_index"),
        ("Số đảng viên", "", "dang_vien"),
        ("Transparency", "PAPI_2011-2016.xlsx", "papi_transparency"),
        ("Tính minh bạch", "PCI_2016.xlsx", "pci_transparency"),
    ],
)
def test_printed_labels_and_sources_map(label: str, source: str, code: str) -> None:
    assert match_label(label, source) == code


def test_real_pci_headers_map(real: Path) -> None:
    sheet = openpyxl.load_workbook(real / "pci" / "PCI_2016.xlsx", read_only=True)["Summary_VN"]
    header = [" ".join(str(c).split()) for c in next(sheet.iter_rows(max_row=1, values_only=True)) if c]
    codes = {h: match_label(h, "PCI_2016.xlsx") for h in header}
    assert codes["PCI 2016"] == "pci_overall"
    assert codes["Tiếp cận đất đai"] == "pci_land_access"
    assert codes["Thiết chế pháp lý"] == "pci_legal_institutions"
    assert sum(code is not None for code in codes.values()) == 11  # PCI and its ten sub-indices
