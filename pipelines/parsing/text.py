"""Vietnamese text as clerks type it: label folding, numbers, yes/no cells and report periods.

Pure functions, no I/O: everything here is unit-tested without Dagster or dbt.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass

# Combining marks that carry a Vietnamese tone (the rest — circumflex, breve, horn — shape the vowel).
_TONE_MARKS = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)  # the same labels, names and numbers recur in every report
def clean(text: object) -> str:
    """NFC text with every run of whitespace (line breaks, non-breaking spaces) made one space."""
    if text is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ")).strip()


@lru_cache(maxsize=1 << 16)  # the same labels, names and numbers recur in every report
def fold(text: object) -> str:
    """Case-, diacritics- and whitespace-insensitive key: 'Hoà  Tân\\n' and 'hoa tan' fold alike."""
    decomposed = unicodedata.normalize("NFD", clean(text).lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)  # the same labels, names and numbers recur in every report
def tone_key(text: object) -> str:
    """Key that keeps every diacritic but ignores where the tone mark sits and the Unicode form.

    'Hoà' and 'Hòa' (tone on the o or on the a), in NFC or NFD, give the same key; 'Hòa' and 'Hoa' do not.
    """
    words = []
    for word in clean(text).lower().split(" "):
        tones = ""
        shaped = []
        for ch in unicodedata.normalize("NFD", word):
            if ch in _TONE_MARKS:
                tones += _TONE_MARKS[ch]
            else:
                shaped.append(ch)
        words.append(unicodedata.normalize("NFC", "".join(shaped)) + tones)
    return " ".join(words)


# ---------------------------------------------------------------------------------------------- numbers

class NumberError(ValueError):
    """A cell that should hold a number does not."""


_DASHES = {"-", "–", "—", "−"}
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_PLAIN = re.compile(r"^\d+(\.\d+)?$")


def is_thousands_dot(text: str) -> bool:
    """True for text such as '4.803' that a person means as 4803 but a computer reads as 4.803."""
    return "." in text and bool(_THOUSANDS_DOT.match(text.strip().lstrip("-")))  # `in`: most cells have no dot


@lru_cache(maxsize=1 << 16, typed=True)  # every value cell; the same figures ('0', '1', '12,5') recur
def parse_number(text: str) -> float:
    """Read a number typed the Vietnamese way: '4.803' = 4803, '12,5' = 12.5, '1.234,5', '-' = 0.

    Raises NumberError for anything else. A single dot followed by other than three digits ('12.5')
    can only be a decimal mark and is read as one.
    """
    raw = clean(text)
    s = raw.replace(" ", "")
    if s in _DASHES:
        return 0.0
    negative = False
    if s[:1] in _DASHES and len(s) > 1:
        negative, s = True, s[1:]
    elif s.startswith("+"):
        s = s[1:]
    if "," in s:
        if s.count(",") > 1:
            raise NumberError(raw)
        whole, _, frac = s.partition(",")
        if "." in whole and not _THOUSANDS_DOT.match(whole):
            raise NumberError(raw)
        s = whole.replace(".", "") + "." + frac
        if not frac.isdigit():
            raise NumberError(raw)
    elif _THOUSANDS_DOT.match(s):
        s = s.replace(".", "")
    if not _PLAIN.match(s):
        raise NumberError(raw)
    value = float(s)
    return -value if negative else value


_YES = {fold(v) for v in ("x", "có", "đạt", "1", "true", "yes")}
_NO = {fold(v) for v in ("", "không", "chưa đạt", "0", "false", "no")}


def parse_yes_no(text: object) -> bool:
    """'x', 'Có', 'Đạt', '1', 'TRUE' are yes; blank, 'Không', 'Chưa đạt', '0', 'FALSE' are no."""
    key = fold(text)
    if key.endswith(".0") and key[:-2] in ("0", "1"):
        key = key[:-2]
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(clean(text))


# ---------------------------------------------------------------------------------------------- periods

@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: a year, a half-year, a quarter or a month."""

    year: int
    type: str  # 'year' | 'half' | 'quarter' | 'month'
    number: int | None = None  # half 1-2, quarter 1-4, month 1-12

    @property
    def code(self) -> str:
        if self.type == "year":
            return str(self.year)
        if self.type == "half":
            return f"{self.year}-H{self.number}"
        if self.type == "quarter":
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def quarter(self) -> int | None:
        return self.number if self.type == "quarter" else None

    @property
    def first_day(self) -> dt.date:
        months = {"year": 1, "half": 6, "quarter": 3, "month": 1}[self.type]
        start_month = 1 if self.type == "year" else (self.number - 1) * months + 1
        return dt.date(self.year, start_month, 1)

    @property
    def last_day(self) -> dt.date:
        months = {"year": 12, "half": 6, "quarter": 3, "month": 1}[self.type]
        start = self.first_day
        month_after = start.month + months
        year_after = start.year + (month_after - 1) // 12
        return dt.date(year_after, (month_after - 1) % 12 + 1, 1) - dt.timedelta(days=1)


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_NUM = r"(\d{1,2}|iv|i{1,3})"
_PERIOD_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:nam )?(\d{4})$"), "year"),
    (re.compile(r"^6 thang dau nam (\d{4})$"), "h1"),
    (re.compile(r"^6 thang cuoi nam (\d{4})$"), "h2"),
    (re.compile(r"^h([12]) ?[/-] ?(\d{4})$"), "half"),
    (re.compile(r"^(\d{4}) ?- ?h([12])$"), "half_rev"),
    (re.compile(r"^(?:quy|q) ?" + _NUM + r" ?(?:/|-|nam) ?(\d{4})$"), "quarter"),
    (re.compile(r"^(\d{4}) ?- ?q([1-4])$"), "quarter_rev"),
    (re.compile(r"^(?:thang )?(\d{1,2}) ?[/-] ?(\d{4})$"), "month"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month_rev"),
]


def parse_period(text: object) -> Period:
    """Read a period as clerks write it; raises ValueError when it is none of the accepted forms."""
    key = fold(text).replace(" nam ", " nam ")
    key = re.sub(r"\s*/\s*", "/", key)
    for pattern, kind in _PERIOD_PATTERNS:
        m = pattern.match(key)
        if not m:
            continue
        if kind == "year":
            return Period(int(m.group(1)), "year")
        if kind in ("h1", "h2"):
            return Period(int(m.group(1)), "half", int(kind[1]))
        if kind == "half":
            return Period(int(m.group(2)), "half", int(m.group(1)))
        if kind == "half_rev":
            return Period(int(m.group(1)), "half", int(m.group(2)))
        if kind == "quarter":
            n = m.group(1)
            q = _ROMAN.get(n) or int(n)
            if 1 <= q <= 4:
                return Period(int(m.group(2)), "quarter", q)
            break
        if kind == "quarter_rev":
            return Period(int(m.group(1)), "quarter", int(m.group(2)))
        if kind in ("month", "month_rev"):
            month, year = (m.group(1), m.group(2)) if kind == "month" else (m.group(2), m.group(1))
            if 1 <= int(month) <= 12:
                return Period(int(year), "month", int(month))
            break
    raise ValueError(clean(text))


# no text matches two of these, so the order is only speed: first an Excel date cell as fastexcel gives it
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def parse_date(value: object) -> dt.date:
    """A date cell: an Excel date, or text 'dd/mm/yyyy'. Raises ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean(value)
    # a date cell formatted as a number: Excel's serial day count (1 = 1900-01-01, with its 1900 leap day)
    serial = re.fullmatch(r"(\d{5})(\.0+)?", text)
    if serial and 20_000 <= int(serial.group(1)) <= 80_000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(serial.group(1)))
    # 'Ngày 05 tháng 01 năm 2023'
    m = re.match(r"^ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})$", fold(text))
    if m:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


# ---------------------------------------------------------------------------------------------- numbers in messages

def number_vi(value: float, decimals: int = 6) -> str:
    """A number written the Vietnamese way, for messages: 6.000, -1.234.567, 12,5 (at most `decimals` decimals)."""
    value = round(float(value), decimals)
    if value.is_integer():
        return f"{int(value):,}".replace(",", ".")
    text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def count_vi(n: int) -> str:
    """A whole number written the Vietnamese way: 12.345."""
    return number_vi(n)


def mb_vi(size: int) -> str:
    """Bytes as megabytes, the Vietnamese way: 20 or 1,5."""
    return number_vi(size / 2**20, decimals=1)
