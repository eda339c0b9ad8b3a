import unicodedata

from chiso.normalize.labels import MAX_CODE_LENGTH, indicator_code
from chiso.normalize.text import clean, fold


def test_fold_is_accent_and_case_insensitive():
    assert fold("Huyện ủy Kim Thành") == fold("HUYEN UY KIM THANH") == "huyen uy kim thanh"
    assert fold("Đảng bộ") == "dang bo"
    assert fold(unicodedata.normalize("NFD", "Thừa Thiên Huế")) == "thua thien hue"


def test_clean_is_nfc_with_single_spaces():
    text = clean(unicodedata.normalize("NFD", "\xa0HÀ  GIANG\n"))
    assert text == "HÀ GIANG"
    assert unicodedata.is_normalized("NFC", text)


def test_indicator_codes_are_stable_and_bounded():
    assert indicator_code("Tổng số chi bộ thôn, KDC") == "tong_so_chi_bo_thon_kdc"
    long_a = "Người hoạt động không chuyên trách xã / Số phải giảm theo mục tiêu Đề án / Đạt %"
    long_b = long_a.replace("Đạt %", "Tỷ lệ")
    assert len(indicator_code(long_a)) <= MAX_CODE_LENGTH
    assert indicator_code(long_a) != indicator_code(long_b)
    assert indicator_code(long_a) == indicator_code(long_a)
