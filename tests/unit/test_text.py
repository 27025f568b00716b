"""Numbers, labels, yes/no cells and periods as clerks type them."""

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.parsing.text import (NumberError, Period, fold, parse_date, parse_number, parse_period, parse_yes_no,
                            tone_key)


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


# ---------------------------------------------------------------------------------------------- properties

def vietnamese(value: Decimal, places: int, group: str = ".") -> str:
    """A decimal written the Vietnamese way: '.' (or a space) groups thousands, ',' is the decimal mark."""
    sign = "-" if value < 0 else ""
    whole, _, frac = f"{abs(value):.{places}f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", group)
    return sign + grouped + ("," + frac if frac else "")


@given(st.decimals(min_value=-10**12, max_value=10**12, places=3, allow_nan=False, allow_infinity=False),
       st.integers(min_value=1, max_value=3), st.sampled_from([".", " ", "\u00a0"]))
def test_vietnamese_decimals_round_trip(value, places, group):
    value = round(value, places)
    text = vietnamese(value, places, group)
    assert parse_number(text) == pytest.approx(float(value), rel=1e-12, abs=1e-9), text


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["-", "–", ""]),
       st.sampled_from(["", " ", "  "]))
def test_integers_with_sign_and_padding(n, sign, pad):
    grouped = f"{n:,}".replace(",", ".")
    value = parse_number(pad + sign + grouped + pad)
    assert value == (-n if sign and n else n)


@given(st.integers(min_value=1000, max_value=10**9))
def test_a_single_dot_group_of_three_digits_is_thousands_never_a_fraction(n):
    text = f"{n:,}".replace(",", ".")
    assert parse_number(text) == n  # '4.803' is 4803, as clerks mean it


@given(st.text(alphabet="abcxyzđĐ-–,. ", min_size=1, max_size=8).filter(lambda t: any(c.isalpha() for c in t)))
def test_text_with_letters_is_never_a_number(text):
    with pytest.raises(NumberError):
        parse_number(text)


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@given(st.integers(min_value=2000, max_value=2099), st.integers(min_value=1, max_value=4),
       st.sampled_from(["Quý {r}/{y}", "Quý {r} năm {y}", "Quý {q}/{y}", "Q{q}/{y}", "{y}-Q{q}", "Quý {r} - {y}",
                        "quý {q} năm {y}", "Q{q} / {y}", "Quý {r} / {y}"]),
       st.sampled_from([str, str.upper, str.lower]), st.sampled_from(["NFC", "NFD"]))
def test_quarter_forms(year, quarter, form, case, normal):
    text = unicodedata.normalize(normal, case(form.format(r=ROMAN[quarter], q=quarter, y=year)))
    assert parse_period(text) == Period(year, "quarter", quarter), text


@given(st.integers(min_value=2000, max_value=2099), st.sampled_from(["Năm {y}", "{y}", "NĂM {y}", "nam {y}"]))
def test_year_forms(year, form):
    assert parse_period(form.format(y=year)) == Period(year, "year")


@pytest.mark.parametrize("text, value", [
    ("10/01/2023", dt.date(2023, 1, 10)), ("2023-01-10 00:00:00", dt.date(2023, 1, 10)),
    ("10-01-2023", dt.date(2023, 1, 10)), ("10.01.2023", dt.date(2023, 1, 10)),
    ("Ngày 10 tháng 01 năm 2023", dt.date(2023, 1, 10)),
    ("44936", dt.date(2023, 1, 10)), ("44936.0", dt.date(2023, 1, 10)),  # a date cell shown as a number
])
def test_dates(text, value):
    assert parse_date(text) == value


@pytest.mark.parametrize("text", ["đầu tháng 1", "32/01/2023", "2023", "123"])
def test_bad_dates(text):
    with pytest.raises(ValueError):
        parse_date(text)


@given(st.sampled_from(["x", "X", "Có", "CÓ", "có", "Đạt", "ĐẠT", "đạt", "1", "1.0", "TRUE", "true", "True"]),
       st.sampled_from(["NFC", "NFD"]), st.sampled_from(["", " ", "\u00a0"]))
def test_yes_cells(text, normal, pad):
    assert parse_yes_no(pad + unicodedata.normalize(normal, text) + pad) is True


@given(st.sampled_from(["", "Không", "KHÔNG", "không", "Chưa đạt", "CHƯA ĐẠT", "0", "0.0", "FALSE", "false"]),
       st.sampled_from(["NFC", "NFD"]))
def test_no_cells(text, normal):
    assert parse_yes_no(unicodedata.normalize(normal, text)) is False
