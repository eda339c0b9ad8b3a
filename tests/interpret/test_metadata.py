"""Document metadata: every readable corpus document against truth/documents.csv, and header variants.

Spreadsheets and appendix tables carry their metadata only in the lines above the
table; OCR text without Vietnamese mangles the header words ("ngay … thang … nim").
"""

from __future__ import annotations

import csv
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from chiso.interpret.metadata.document import extract_metadata
from chiso.model import DocumentMeta, TextBlock
from chiso.process import _metadata_texts, read_document

pdfplumber = pytest.importorskip("pdfplumber")

PDFS = ["haiduong_tong-ket-de-an-01_2022.pdf", "hatinh_dang-uy-khoi_tong-ket-xay-dung-tccsd_2021.pdf"]


@cache
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


FIELDS = ("doc_number", "issuer", "issue_date", "province", "title")


def _printed(meta: DocumentMeta) -> dict[str, str]:
    when = meta.issue_date.strftime("%Y-%m" if meta.issue_month_only else "%Y-%m-%d") if meta.issue_date else ""
    values = {"doc_number": meta.doc_number, "issuer": meta.issuer, "province": meta.province, "title": meta.title}
    return {**{name: value or "" for name, value in values.items()}, "issue_date": when}


def test_corpus_documents_match_truth(corpus: Path) -> None:
    """Per-field accuracy over the corpus, with input built as the pipeline builds it (scans skipped: OCR is slow)."""
    with open(corpus / "truth" / "documents.csv", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["format"] != "pdf_scanned"]
    hits = dict.fromkeys(FIELDS, 0)
    for row in rows:
        row["issuer"] = row["issuer"].removesuffix(" (SYNTHETIC)")  # the corpus's marker of invented data, not printed
        path = next(corpus.rglob(row["source_file"]))
        got = _printed(extract_metadata(_metadata_texts(read_document(path))))
        for name in FIELDS:
            hits[name] += got[name] == row[name]
            if got[name] != row[name]:
                print(f"{row['source_file']}: {name} {got[name]!r} != {row[name]!r}")
    accuracy = {name: hits[name] / len(rows) for name in FIELDS}
    print({name: f"{value:.0%}" for name, value in accuracy.items()})
    assert len(rows) == 12
    assert accuracy["province"] >= 0.9 and accuracy["issue_date"] >= 0.9
    assert accuracy["issuer"] >= 0.7


def _sheet(*lines: str) -> list[TextBlock]:
    return [TextBlock("\n".join(lines), 1, "xlsx")]


def test_appendix_sheet_with_department_under_a_form_header() -> None:
    meta = extract_metadata(
        _sheet(
            "HUYỆN ỦY, THÀNH ỦY ĐẢNG CỘNG SẢN VIỆT NAM",
            "BAN TỔ CHỨC Hải Dương, ngày 04 tháng 8 năm 2022",
            "Biểu số 3",
            "TỔNG HỢP",
            "Công tác đào tạo, bồi dưỡng cán bộ",
            "Khối xã, phường, thị trấn, thôn, khu dân cư nhiệm kỳ 2015 - 2020",
            "NGƯỜI LẬP BIỂU TRƯỞNG BAN",
            "Vũ Văn Hoành Nguyễn Hồng Sơn",
        )
    )
    assert meta.issuer == "Ban Tổ chức Tỉnh ủy Hải Dương"  # the form line names no place: the date line's place does
    assert (meta.province, meta.issue_date, meta.doc_number) == ("Hải Dương", date(2022, 8, 4), None)
    assert meta.title == (
        "Biểu số 3 - Tổng hợp công tác đào tạo, bồi dưỡng cán bộ khối xã, phường, thị trấn, thôn, khu dân cư "
        "nhiệm kỳ 2015 - 2020"
    )
    assert meta.data_date == date(2020, 12, 31)


def test_appendix_caption_drops_the_generic_line_and_reads_the_as_of_date() -> None:
    meta = extract_metadata(
        _sheet(
            "TỈNH ỦY HẢI DƯƠNG ĐẢNG CỘNG SẢN VIỆT NAM",
            "BAN TỔ CHỨC",
            "Hải Dương, ngày 04 tháng 8 năm 2022",
            "Biểu số 1",
            "BIỂU TỔNG HỢP",
            "Bí thư chi bộ đồng thời là trưởng thôn, KDC",
            "(Tính đến 31/7/2022)",
        )
    )
    assert meta.issuer == "Ban Tổ chức Tỉnh ủy Hải Dương"
    assert meta.title == "Biểu số 1 - Bí thư chi bộ đồng thời là trưởng thôn, KDC"
    assert meta.data_date == date(2022, 7, 31)


def test_annex_takes_number_date_and_issuer_of_its_report() -> None:
    meta = extract_metadata(
        _sheet(
            "KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA UBND CÁC HUYỆN, THỊ XÃ, THÀNH PHỐ",
            "(Kèm theo Báo cáo số 27/BC-UBND ngày 01/3/2023 của UBND tỉnh Hải Dương)",
        )
    )
    assert (meta.doc_number, meta.issue_date) == ("27/BC-UBND", date(2023, 3, 1))
    assert (meta.issuer, meta.province) == ("Ủy ban nhân dân tỉnh Hải Dương", "Hải Dương")
    assert meta.title == "Kết quả xác định chỉ số cải cách hành chính năm 2022 của UBND các huyện, thị xã, thành phố"


def test_ocr_header_with_merged_columns_and_mangled_words() -> None:
    meta = extract_metadata(
        [
            TextBlock(
                "PANG BO TINH LAI CHAU PANG CONG SAN VIET NAM\n"
                "HUYEN UY PHONG THO Phong Tho, ngay 29 thang 01 nim 2024\n"
                "S6 489-BC/HU\n"
                "BAO CAO\n",
                None,
                "txt_ocr",
            )
        ]
    )
    assert (meta.doc_number, meta.issue_date) == ("489-BC/HU", date(2024, 1, 29))
    assert (meta.issuer, meta.province) == ("Huyện ủy Phong Thổ", "Lai Châu")  # district → its province


def test_appendix_header_after_the_report_text_of_an_ocr_file(corpus: Path) -> None:
    """The OCR of seed 000 lost the report's first page; its appendices' headers still date it."""
    text = (corpus / "ocr-text" / "000_5aec168a7511ce7d.txt").read_text(encoding="utf-8")
    meta = extract_metadata([TextBlock(text, None, "txt_ocr")])
    assert (meta.issue_date, meta.province) == (date(2022, 8, 4), "Hải Dương")  # "BAN TO CHUC Hai Duong, ngay 04 …"
    assert meta.issuer == "Ban Thường vụ Tỉnh ủy Hải Dương"  # signed "T/M BAN THUONG VU"


def test_a_report_without_a_readable_letterhead_is_issued_by_the_body_its_first_sentence_says_reports() -> None:
    """Seed 001 (OCR of the Hà Tĩnh report) lost its letterhead; its opening sentence still names who reports."""
    text = (
        " Ha Tinh, ngay thang 10 nam 2021\n\nBAO CAO\ntong ket ve xay dung to chire co s¢ dang va dji ngii ding vién\n\n"
        "Thuc hién Cong van s6 595-CV/BTCTU, ngay 22/9/2021 cua Ban Té chirc\nTinh @y vé tong két cong tac xdy dung to "
        "chirc co sé dang va doi ngii dang vién,\nBan Thudng vu Pang ty Khéi cac co quan va doanh nghiép tinh bao cao nhu"
        " sau:\n\nPang bd Khéi co 109 t6 chire co sd dang.\n"
    )
    meta = extract_metadata([TextBlock(text, None, "txt_ocr")])
    assert meta.issuer == "Ban Thường vụ Đảng ủy Khoi cac co quan va doanh nghiép tinh Hà Tĩnh"  # 'Khéi' read back
    district = extract_metadata([TextBlock("BÁO CÁO\nkết quả năm 2023\nThực hiện Kế hoạch, Ban Thường vụ Huyện ủy "
                                           "Phong Thổ báo cáo như sau:\nĐảng bộ huyện có 61 chi, đảng bộ cơ sở.\n",
                                           None, "pdf_text")])
    assert district.issuer == "Ban Thường vụ Huyện ủy Phong Thổ"


def test_a_letterhead_read_by_the_english_model_names_its_party_committee_and_date() -> None:
    """Every word of the Hà Tĩnh letterhead mangled ('DDNG BD TINH HD TJNH', 'PANG UY KHDI CAC C& QUAN',
    'ngay thdng 10 nim 2021'): its words are read back before the header rules read it."""
    meta = extract_metadata([TextBlock(
        "DDNG BD TINH HD TJNH DDNG C6NG SDN VIET NAM\nPANG UY KHDI CAC C& QUAN\nHa Tinh, ngay thdng 10 nim 2021\n"
        "VA DOANH NGHIÉP TJNH\n*\nSé -BC/DUK\nBDO CAO\ntong két vé xay dwng to chwc cd sd đdng\n"
        "Pdng b6 Khéi co 109 té chuc cd sd dang.\n", None, "txt_ocr")])
    assert meta.province == "Hà Tĩnh"
    assert meta.issuer is not None and meta.issuer.startswith("Đảng ủy Khối")
    assert meta.issue_date is not None and (meta.issue_date.year, meta.issue_date.month) == (2021, 10)


def test_an_ocr_letterhead_still_names_its_committee_and_province() -> None:
    """Tesseract's English model on a letterhead: 'ỦY' as 'YY', 'Dương' as 'Dwdng', the motto as 'ĐANG CÉNG SDN'."""
    meta = extract_metadata([TextBlock("TINH YY HAI DWDNG ĐANG CÉNG SDN VIÉT NAM\n*\nHai Dirdng, ngay 04 thdng 8 nam 2022\n"
                                       "Sé -BC/TU\nBAO CAO\nTong ket thuc hien De an\nDen nay toan tinh co 12 huyen.\n",
                                       None, "txt_ocr")])
    assert meta.province == "Hải Dương"
    assert meta.issuer is not None and meta.issuer.startswith("Tỉnh ủy")
