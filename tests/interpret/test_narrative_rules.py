"""What is a fact, rule by rule, on real sentences of the source reports.

The sentences are quoted from the real OCR of the seed reports
(../shared/corpus/ocr-text/001–004, diacritics mangled as Tesseract left them)
and from the Lâm Đồng 2025 reports (../shared/real/lamdong-2025, born-digital).
Each case lists the numbers the corpus conventions count as facts; everything
else in the sentence must stay out.
"""

from __future__ import annotations

from datetime import date

import pytest

from chiso.interpret.narrative.observations import extract_narrative
from chiso.interpret.narrative.quantities import find_quantities
from chiso.interpret.narrative.sections import names_targets
from chiso.model import DocumentMeta, TextBlock


def _facts(sentence: str) -> list[float]:
    return [q.value for q in find_quantities(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # legal references and names with a number (001, 003, lamdong bc329, cv644)
        ("chua thuong xuyén dua viéc thuc hién cac nghi quyét Trung wong 4 (khéa XI, khéa XII) va Chi thi 05 vao sinh hoat chi bo.", []),
        ("phat huy vai trd cia Ban Chi dao 35 vé bao vé nén tang tu tudng cia Pang", []),
        ("kiém diém tap thé, ca nhan theo Quy dinh sb 213 cua B Chinh tri.", []),
        ("Ban Quản lý dự án đầu tư xây dựng số 01; Ban Quản lý dự án đầu tư xây dựng số 02;", []),
        ("bảo đảm chính quyền địa phương 02 cấp vận hành ổn định, thông suốt", []),
        ("xếp hạng 19/63 (thuộc Top 30 tỉnh, thành được VCCI công bố", []),
        ("triển khai Bộ chỉ số cạnh tranh cấp tỉnh PCI 2.0 và tham mưu UBND tỉnh", []),
        # a name's number joined to it by a hyphen (lamdong bc329, page 7, once its framed prose was read)
        ("chính sách hỗ trợ doanh nghiệp, hợp tác xã, hộ kinh doanh trong bối cảnh hậu COVID-19 và tình", []),
        ("sinh hoat cap uy gan v6i thuc hién mo hinh \"chi b6 4 t6t\", \"dang bo co so 4 t6t\", co ti€u chi", []),
        ("72/73 chi bo dat 4 tot; 624/3.049 chi b truc thuc dang ty co s dang ky 4 tot", [72, 73, 624, 3049]),
        ("dich vu cong truc tuyén muc d6 3, mic d6 4, nén két qua thuc hi¢n dat", []),
        # but a count after 'cơ sở', 'tổng số' or 'trong số' is a count (hatinh, born-digital)
        ("ban chấp hành đảng bộ, chi bộ cơ sở 656 đồng chí; ủy viên ủy ban kiểm tra đảng ủy cơ sở là 220 đồng chí", [656, 220]),
        ("đảng viên nữ 1.211 đồng chí; đảng viên là người dân tộc thiểu số 2.388 đồng chí.", [1211, 2388]),  # phongtho scan
        # rules, rates and frequencies (003, 001)
        ("to chire sinh hoat thuong ky theo quy dinh (01 1an/thang), thoi gian", []),
        ("thoi gian binh quan mot budi sinh hoat chi bo 120 phit/budi.", []),
        ("binh quan mdi nam 03 dén 05 cudc/01 don vi; hang nam thanh 1ap", []),
        ("chua dam bao it nhat 01 lan/quy) anh hudng dén viéc duy tri", []),
        # ranges and ages (001, 002)
        ("Do tudi dang vién: Pang vién tir 18 dén 40 tudi 1a 4.083.d6ng chi (chiém 49,8%)", [4083, 49.8]),
        ("Cu thé: Tur 18 dén 30 c6 2.428 dang vién; tur 31 dén 35 ¢6 1.021 dang vién", [2428, 1021]),
        ("Nhém dat Chi sb tong hop tir 80% dén dudi 90% so véi diém t6i da: Co 14 don vi", [14]),
        ("Nhom dat Chi s6 tong hop tir 90% trd 1én so véi diém ti da: C6 03 don vi", [3]),
        ("Qua 10 nim thuc hién cong tac xay dung td chirc co so dang", []),
        # digits OCR made of letters (001, 002, 004)
        ("Cac t6 chirc ... guong mau vé pham chat, 161 séng; xay dung doan két noi bo.", []),
        ("tim huyét voi cong tac xay dung dang, c¢6 phong cach lam viéc dan chu", []),
        ("thuc hién nghiém tuc, ty 1€ td chirc co s6 dang xép loai hoan thanh", []),
        ("co ngudi ding dau giit chirc vu bi thu cap uy dat ty 18 94,5%.", [94.5]),
        ("trinh do trén dai hoc nam 2010 1a 231/7786 (chiém 2,96%), nam 2020 13 1250/8197 (chiém 15,3%)",
         [231, 7786, 2.96, 1250, 8197, 15.3]),
        ("Téng s6 Phiéu diéu tra 14 2.476 Phiéu.", [2476]),
        ("tap trung xay dung doi can bd cac cép, nhat 14 can bo cha chdt cép Xa", []),
        ("lao dong thuc hién tdt céc chu truong dudng 16, chinh sach cua Pang", []),
        # a figure at a place keeps its place; a stray quote mark does not hide a paragraph (001)
        ("\" tir ndm 2010 dén nay Pang uy Khéi da dé nghi Ban Thudng vu Tinh uy khen thudng 65 lugt t6 chirc co s dang",
         [65]),
    ],
)
def test_which_numbers_of_real_sentences_are_facts(sentence: str, expected: list[float]) -> None:
    assert _facts(sentence) == expected


@pytest.mark.parametrize(
    ("heading", "targets"),
    [
        ("MUC TIEU, NHIEM VU, GIAI PHAP VA PE XUAT, KIEN NGHI", True),  # 001
        ("PHUONG HUONG VA NHIEM VU, GIAI PHAP NANG CAO CHAT LUQNG SINH HOAT CHI BQ NAM 2024", True),  # 003
        ("Mot s0 chi tiéu chii yéu dén nim 2030", True),  # 004
        ("MOT SO NHIEM VU VA GIAI PHAP TRONG THOI GIAN TOI", True),  # 002
        ("Kết quả thực hiện các chỉ tiêu", False),
        ("Han ché, khuyét diém va nguyén nhan", False),
    ],
)
def test_headings_that_open_target_sections(heading: str, targets: bool) -> None:
    assert names_targets(heading) is targets


def test_figures_of_a_target_section_are_not_published() -> None:
    """001 lists its targets under 'IV. MỤC TIÊU …': '(5). Trong nhiệm kỳ kết nạp trên 900 đảng viên' is a plan."""
    text = (
        "III. KET QUA\n"
        "Tir nim 2010 dén nay da két nap 4.349 dang vién.\n"
        "IV. MUC TIEU, NHIEM VU, GIAI PHAP VA PE XUAT, KIEN NGHI\n"
        "1. Muc tiéu\n"
        "(5). Trong nhiém ky két nap trén 900 dang vién, trong do trén 400 dang vién\n"
        "trong cac doanh nghiép.\n"
        "2. Nhiém vu va gidi phap\n"
        "Hang nim c6 100% co quan, doanh nghiép hoan thanh nhiém vy.\n"
        "V. TO CHUC THUC HIEN\n"
        "Pang bo c6 109 t6 chirc co s& dang.\n"
    )
    meta = DocumentMeta(province="Hà Tĩnh", issuer="Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh",
                        issue_date=date(2021, 10, 1), issue_month_only=True)
    values = [o.value for o in extract_narrative([TextBlock(text, None, "txt_ocr")], meta)]
    assert values == [4349, 109]


def test_table_debris_and_stray_numbers_are_not_published() -> None:
    """003 ends with a ruled table OCR read as prose ('| chidao oy ang | ST'); '2.2, Kho khan' is a section number."""
    text = (
        "- Dang bo huyen hien nay co 61 chi, dang bo co so.\n"
        "- ciacoquan, |0 | chidao oy ang | ST theo 5 giai phap\n"
        "- 29 «&\n"
    )
    meta = DocumentMeta(province="Lai Châu", issuer="Ban Thường vụ Huyện ủy Phong Thổ", issue_date=date(2024, 1, 29))
    assert [o.value for o in extract_narrative([TextBlock(text, None, "txt_ocr")], meta)] == [61]


def test_a_tables_figures_joined_across_ocr_lines_are_not_prose() -> None:
    """Automatic-layout OCR of a scanned table whose body rows are not ruled reads it column by
    column: the names, then one or two figures per line. Joined into one paragraph, no line holds
    three figures, yet the sentence does: no figure of it is a fact ('14,25 UBND' counts nothing)."""
    text = (
        "Đảng bộ huyện hiện nay có 61 chi bộ.\n"
        "UBND huyện Tứ Kỳ\nUBND huyện Bình Giang\nUBND huyện Thanh Hà\n"
        "13,25\n11,75\n14,25 UBND huyện Cẩm Giàng\n4,75 9,27\n6,25 9,21\n6 9,22\n"
    )
    meta = DocumentMeta(province="Hải Dương", issuer="Ủy ban nhân dân tỉnh Hải Dương", issue_date=date(2023, 1, 20))
    assert [o.value for o in extract_narrative([TextBlock(text, None, "ocr_text")], meta)] == [61]


def test_a_figure_reached_against_a_target_is_not_the_target() -> None:
    """'giảm được 697/620 biên chế phải giảm': 620 is the target, 697 what was reached; a district's bare
    'đã giảm 781 người' after the province's target is reached too; 'đạt 112% kế hoạch' says of which plan.
    Without a target word, 'a/b' stays 'a of b' ('71/73 đảng bộ': 73 is the total)."""
    text = (
        "Đến tháng 6/2022, toàn tỉnh đã giảm được 697/620 biên chế phải giảm theo mục tiêu Đề án, đạt 112% kế hoạch.\n"
        "Toàn tỉnh đã giảm được 4243/3236 người phải giảm; Thành phố Chí Linh đã giảm 781 người.\n"
        "Năm 2023 có 71/73 đảng bộ cơ sở đăng ký đạt 4 tốt.\n"
    )
    meta = DocumentMeta(province="Hải Dương", issuer="Tỉnh ủy Hải Dương", issue_date=date(2022, 8, 4))
    labels = {o.value: o.indicator_label for o in extract_narrative([TextBlock(text, 1, "pdf_text")], meta)}
    assert labels[697] == "biên chế đã giảm" and labels[620] == "biên chế phải giảm"
    assert labels[112] == "tỷ lệ đạt kế hoạch biên chế phải giảm"
    assert labels[4243] == "người đã giảm" and labels[3236] == "người phải giảm"
    assert labels[781] == "người đã giảm"
    assert labels[73].startswith("tổng số đảng bộ cơ sở")


def _labels(text: str, method: str = "pdf_text") -> dict[float, tuple[str, str]]:
    meta = DocumentMeta(province="Lâm Đồng", issuer="Ủy ban nhân dân tỉnh Lâm Đồng", issue_date=date(2025, 12, 10))
    return {o.value: (o.indicator_label, o.unit) for o in extract_narrative([TextBlock(text, 1, method)], meta)}


def test_what_a_figure_counts_in_lists_rates_and_money() -> None:
    """Sentences of the Lâm Đồng 2025 PAR report (bc329) and the Hà Tĩnh OCR (001), each rule on its own figure."""
    labels = _labels(
        "Đến nay, tổng số TTHC thuộc phạm vi quản lý trên địa bàn tỉnh là 2.372 (trong đó, cấp tỉnh 1.946 TTHC, cấp xã 426 TTHC).\n"
        "Kết quả thực hiện số hóa hồ sơ, giấy tờ, kết quả giải quyết TTHC: Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC "
        "đạt 82%; tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa đạt 85,9%.\n"
        "Lũy kế giải ngân kế hoạch vốn đầu tư công đạt 9.037/17.454 tỷ đồng.\n"
        "Tỉnh Lâm Đồng đã thực hiện rà soát 77 văn bản QPPL, đã đề xuất và xử lý xong theo quy định.\n"
    )
    assert labels[1946] == ("TTHC", "count")  # not 'TTHC, cấp xã': that is the next figure's qualifier
    assert labels[82][0] == "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC"
    assert labels[85.9][0] == "tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa"
    assert labels[9037][1] == labels[17454][1] == "amount"
    assert labels[77][0] == "văn bản QPPL được rà soát"  # reviewed, not issued: another series of the noun


def test_what_an_administration_did_to_what_it_counts_is_part_of_the_label() -> None:
    """bc329: issued, appraised and completed are series of their own; a verb of the clause before is not."""
    labels = _labels(
        "Trong năm 2025, HĐND tỉnh đã ban hành 36 Nghị quyết QPPL; Sở Tư pháp đã thẩm định 268 dự thảo văn bản QPPL.\n"
        "Tổng số nhiệm vụ được giao là 123, đã hoàn thành đúng hạn 120/123 nhiệm vụ.\n"
        "Ủy ban nhân dân tỉnh đã ban hành kế hoạch triển khai, tổ chức 18 lớp bồi dưỡng cho cán bộ.\n"
    )
    assert labels[36][0] == "Nghị quyết QPPL được ban hành"
    assert labels[268][0] == "dự thảo văn bản QPPL được thẩm định"
    assert labels[120][0] == "nhiệm vụ được hoàn thành đúng hạn" and labels[123][0] == "tổng số nhiệm vụ"  # the denominator
    assert labels[18][0] == "lớp bồi dưỡng"  # 'ban hành' opened another clause of the sentence


def test_a_rating_in_a_list_is_a_breakdown_of_the_lists_noun() -> None:
    """'… đủ xếp loại 108, trong đó: Hoàn thành xuất sắc nhiệm vụ 21; hoàn thành tốt nhiệm vụ 80' (001, OCR)."""
    labels = _labels("Nam 2020: C6 108 to chirc co so dang, trong d6: Hoan thanh xuét sic nhiém vu 21; "
                     "hoan thanh t5t nhiém vu 80; hoan thanh nhiém vu 07.\n", "txt_ocr")
    assert labels[21][0] == "to chuc co so dang — Hoan thanh xuat sic nhiém vu"  # the mangled words read back
    assert labels[80][0].startswith("to chuc co so dang — hoan thanh t")  # the list's noun, not the previous rating
    from chiso.indicators.interpret import interpret

    assert interpret(labels[80][0]).breakdown == "rating=hoàn thành tốt nhiệm vụ"
    assert interpret(labels[80][0]).code == "to_chuc_co_so_dang"


def test_a_heading_run_into_the_line_is_the_next_figures_not_this_ones() -> None:
    """Phong Thổ's scan (489-BC/HU): OCR lost the line breaks before 'Học vấn phổ thông' and 'Tổng số cấp ủy viên'."""
    labels = _labels("đảng viên nữ 1.211 đồng chí; đảng viên là người dân tộc thiểu số 2.388 đồng chí Học vấn phổ thông "
                     "Tiểu học 338 đồng chí; chưa qua đào tạo 2.046 đồng chí Tổng số cấp ủy viên cấp cơ sở 246 đồng chí.\n",
                     "ocr_text")
    assert labels[2388][0] == "đảng viên là người dân tộc thiểu số (đồng chí)"  # not 'đồng chí Học vấn phổ thông …'
    assert labels[2046][0] == "chưa qua đào tạo (đồng chí)"
    assert "cấp cơ sở" in labels[246][0]  # 'cơ sở' and 'thiểu số' keep their 'số'


def test_a_second_place_after_a_comma_states_a_fact_of_its_own() -> None:
    """Seed 004: 'Tỉnh Tuyên Quang có 56.541 đảng viên, tỉnh Hà Giang có 70.124 đảng viên' — the second
    figure is Hà Giang's party members, not a number inside the first one's label ('21 thôn có 02 chi bộ')."""
    labels = _labels("Đầu nhiệm kỳ: Tỉnh Tuyên Quang có 56.541 đảng viên, tỉnh Hà Giang có 70.124 đảng viên.\n")
    assert labels[56541][0] == "đảng viên" and labels[70124][0] == "đảng viên"
    assert "02" in _labels("Toàn tỉnh có 21 thôn có 02 chi bộ.\n")[21][0]
