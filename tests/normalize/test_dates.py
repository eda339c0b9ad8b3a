from datetime import date

from chiso.normalize.dates import find_as_of_date, find_period, parse_date, parse_issue_date


def test_dates_in_words_and_digits():
    assert parse_date("Hải Dương, ngày 01 tháng 3 năm 2023") == date(2023, 3, 1)
    assert parse_date("ngày 29 tháng 01 năm 2024") == date(2024, 1, 29)
    assert parse_date("Đề án số 01-ĐA/TU ngày 29/8/2016") == date(2016, 8, 29)
    assert parse_date("không có ngày") is None


def test_issue_date_with_blank_day():
    assert parse_issue_date("Hà Tĩnh, ngày    tháng 10 năm 2021") == (date(2021, 10, 1), True)
    assert parse_issue_date("Phong Thổ, ngày 29 tháng 01 năm 2024") == (date(2024, 1, 29), False)


def test_as_of_dates():
    assert find_as_of_date("(Tính đến 31/7/2022)") == date(2022, 7, 31)
    assert find_as_of_date("(Tính đẻên 31/7/2022)") == date(2022, 7, 31)  # a scan's mangled 'đến'
    assert find_as_of_date("tính từ 1/1/2022 đến nay") is None  # from a date, not as of it
    assert find_as_of_date("2. Kết quả thực hiện (số liệu tính đến 30/6/2022)") == date(2022, 6, 30)
    assert find_as_of_date("Đến tháng 6/2022, toàn tỉnh đã giảm") == date(2022, 6, 30)
    assert find_as_of_date("TINH DEN 31/12/2023") == date(2023, 12, 31)
    assert find_as_of_date("Toàn tỉnh có 12 huyện") is None


def test_periods():
    assert find_period("nhiệm kỳ 2015 - 2020") == (date(2015, 1, 1), date(2020, 12, 31))
    assert find_period("Năm 2016 - 2021") == (date(2016, 1, 1), date(2021, 12, 31))
    assert find_period("Chỉ số CCHC năm 2022") == (date(2022, 1, 1), date(2022, 12, 31))
    assert find_period("không có năm") is None
