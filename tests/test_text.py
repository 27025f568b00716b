"""Numbers, labels, yes/no cells and periods as clerks type them."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.text import NumberError, Period, fold, parse_number, parse_period, parse_yes_no, tone_key


@pytest.mark.parametrize("text, value", [
    ("4.803", 4803), ("12,5", 12.5), ("1.234,5", 1234.5), ("1 234", 1234), ("-", 0), ("–", 0),
    ("0", 0), ("12.5", 12.5), ("1.234.567", 1234567), ("-3", -3), (" 7 ", 7), ("1\u00a0000", 1000),
])
def test_vietnamese_numbers(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["abc", "1,2,3", "12,", "1.23.4", "x1", "", "1.2,3,4"])
def test_not_numbers(text):
    with pytest.raises(NumberError):
        parse_number(text)


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_grouping_round_trips(n):
    grouped = f"{n:,}".replace(",", ".")
    assert parse_number(grouped) == n


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_decimal_comma_round_trips(whole, cents):
    text = f"{whole:,}".replace(",", ".") + f",{cents:02d}"
    assert parse_number(text) == pytest.approx(whole + cents / 100)


def test_fold_ignores_case_diacritics_and_spaces():
    assert fold("Tổng  số\nhộ") == fold("tong so ho") == "tong so ho"
    assert fold("Đạt chuẩn NTM") == "dat chuan ntm"


def test_tone_key_ignores_tone_placement_and_unicode_form():
    assert tone_key("Hoà Tân") == tone_key("Hòa Tân") == tone_key(unicodedata.normalize("NFD", "Hòa Tân"))
    assert tone_key("Hòa") != tone_key("Hoa")
    assert tone_key("Thủy") == tone_key("Thuỷ")


@given(st.sampled_from(["Hòa Ân", "Đại Phước", "Nguyệt Hóa", "Thuận Hòa", "Trường Long Hòa", "Lưu Nghiệp Anh"]),
       st.sampled_from(["NFC", "NFD"]), st.booleans())
def test_names_match_in_any_form(name, form, upper):
    variant = unicodedata.normalize(form, name.upper() if upper else name)
    assert tone_key(variant) == tone_key(name)
    assert fold(variant) == fold(name)


@pytest.mark.parametrize("text, code, kind", [
    ("Năm 2022", "2022", "year"), ("2022", "2022", "year"), ("NAM 2022", "2022", "year"),
    ("6 tháng đầu năm 2023", "2023-H1", "half"), ("6 tháng cuối năm 2023", "2023-H2", "half"),
    ("H1/2023", "2023-H1", "half"),
    ("Quý 3/2023", "2023-Q3", "quarter"), ("Quý III/2023", "2023-Q3", "quarter"),
    ("Quý III năm 2023", "2023-Q3", "quarter"), ("Q3/2023", "2023-Q3", "quarter"), ("2023-Q3", "2023-Q3", "quarter"),
    ("quý iv/2022", "2022-Q4", "quarter"), ("Quy IV / 2022", "2022-Q4", "quarter"),
    ("Tháng 3/2023", "2023-03", "month"), ("03/2023", "2023-03", "month"), ("2023-03", "2023-03", "month"),
])
def test_periods(text, code, kind):
    period = parse_period(text)
    assert period.code == code
    assert period.type == kind
    assert parse_period(period.code) == period


@pytest.mark.parametrize("text", ["Quý V/2023", "Tháng 13/2023", "năm ngoái", "", "2023-Q5"])
def test_bad_periods(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_period_bounds():
    assert Period(2023, "quarter", 3).last_day.isoformat() == "2023-09-30"
    assert Period(2023, "half", 2).first_day.isoformat() == "2023-07-01"
    assert Period(2022, "year").last_day.isoformat() == "2022-12-31"
    assert Period(2024, "month", 2).last_day.isoformat() == "2024-02-29"


@pytest.mark.parametrize("text, value", [("x", True), ("X", True), ("Có", True), ("Đạt", True), ("1", True),
                                         ("TRUE", True), ("", False), ("Không", False), ("Chưa đạt", False),
                                         ("0", False), ("FALSE", False), (None, False)])
def test_yes_no(text, value):
    assert parse_yes_no(text) is value


def test_yes_no_refuses_other_text():
    with pytest.raises(ValueError):
        parse_yes_no("có lẽ")
