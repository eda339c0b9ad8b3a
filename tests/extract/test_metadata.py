"""Document metadata from report headers: the corpus PDFs against truth/documents.csv, and header variants."""

from __future__ import annotations

import csv
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest

from chiso.extract.metadata import extract_metadata
from chiso.model import DocumentMeta, TextBlock

pdfplumber = pytest.importorskip("pdfplumber")

PDFS = ["haiduong_tong-ket-de-an-01_2022.pdf", "hatinh_dang-uy-khoi_tong-ket-xay-dung-tccsd_2021.pdf"]


@lru_cache(maxsize=None)
def _meta_of(corpus: Path, name: str) -> DocumentMeta:
    with pdfplumber.open(corpus / "pdf" / name, unicode_norm="NFC") as pdf:
        texts = [TextBlock(page.extract_text() or "", n, "pdf_text") for n, page in enumerate(pdf.pages, 1)]
    return extract_metadata(texts)


@pytest.mark.parametrize("name", PDFS)
def test_born_digital_reports_match_truth(corpus: Path, name: str) -> None:
    with open(corpus / "truth" / "documents.csv", encoding="utf-8") as handle:
        truth = next(row for row in csv.DictReader(handle) if row["source_file"] == name)
    meta = _meta_of(corpus, name)
    assert meta.doc_number == (truth["doc_number"] or None)
    assert meta.issuer == truth["issuer"]
    assert meta.province == truth["province"]
    assert meta.title == truth["title"]
    printed = meta.issue_date.strftime("%Y-%m" if meta.issue_month_only else "%Y-%m-%d") if meta.issue_date else ""
    assert printed == truth["issue_date"]


def test_data_date_is_the_stated_as_of_date(corpus: Path) -> None:
    assert _meta_of(corpus, PDFS[0]).data_date == date(2022, 6, 30)  # "(số liệu tính đến 30/6/2022)"
    assert _meta_of(corpus, PDFS[1]).data_date is None  # no as-of date printed


def _page(text: str) -> list[TextBlock]:
    return [TextBlock(text, 1, "pdf_text")]


def test_people_committee_header_with_number_and_two_line_name() -> None:
    meta = extract_metadata(
        _page(
            "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "TỈNH HẢI DƯƠNG Độc lập - Tự do - Hạnh phúc\n"
            "Số: 27/BC-UBND Hải Dương, ngày 01 tháng 3 năm 2023\n"
            "BÁO CÁO\n"
            "Kết quả đánh giá, xác định Chỉ số Cải cách hành chính\n"
            "năm 2022\n"
            "Thực hiện Kế hoạch số 3685/KH-UBND ngày 16/12/2022 của UBND tỉnh về điều tra xã hội học, Sở Nội vụ\n"
        )
    )
    assert meta.doc_number == "27/BC-UBND"
    assert meta.issuer == "Ủy ban nhân dân tỉnh Hải Dương"
    assert meta.province == "Hải Dương"
    assert (meta.issue_date, meta.issue_month_only) == (date(2023, 3, 1), False)
    assert meta.title == "Kết quả đánh giá, xác định Chỉ số Cải cách hành chính năm 2022"
    assert meta.data_date == date(2022, 12, 31)  # the year the title names, closed before issue


def test_district_committee_takes_province_from_the_parent_line() -> None:
    meta = extract_metadata(
        _page(
            "ĐẢNG BỘ TỈNH LAI CHÂU ĐẢNG CỘNG SẢN VIỆT NAM\n"
            "HUYỆN ỦY PHONG THỔ\n"
            "Phong Thổ, ngày 29 tháng 01 năm 2024\n"
            "Số 489-BC/HU\n"
            "BÁO CÁO\n"
            "Sơ kết việc thực hiện Kết luận số 18-KL/TW\n"
            "Thực hiện Kết luận số 18-KL/TW, ngày 22/9/2017 của Ban Bí thư, Ban Thường vụ Huyện ủy báo cáo như sau:\n"
            "Đảng bộ huyện hiện nay có 61 chi, đảng bộ cơ sở.\n"
            "T/M BAN THƯỜNG VỤ\n"
        )
    )
    assert meta.doc_number == "489-BC/HU"
    assert meta.province == "Lai Châu"
    assert meta.issuer == "Ban Thường vụ Huyện ủy Phong Thổ"
    assert meta.issue_date == date(2024, 1, 29)
    assert meta.title == "Sơ kết việc thực hiện Kết luận số 18-KL/TW"


def test_blank_number_and_blank_day() -> None:
    meta = extract_metadata(
        _page("TỈNH ỦY HẢI DƯƠNG\nHải Dương, ngày   tháng 10 năm 2021\nSố      -BC/TU\nBÁO CÁO\nTổng kết\n")
    )
    assert meta.doc_number is None
    assert (meta.issue_date, meta.issue_month_only) == (date(2021, 10, 1), True)
    assert meta.issuer == "Tỉnh ủy Hải Dương"  # no standing committee named anywhere


def test_text_without_header() -> None:
    assert extract_metadata([]) == DocumentMeta()
    meta = extract_metadata(_page("Tỉnh Tuyên Quang được thành lập trên cơ sở nhập nguyên trạng hai tỉnh.\n"))
    assert (meta.issuer, meta.doc_number, meta.issue_date, meta.title) == (None, None, None, None)
