"""Reference data: administrative units (GSO codes), the reporting calendar, savings categories.

Matching of district and commune names as clerks write them lives here too: by code first, then by name
with or without its type, in either Unicode form and with the tone mark anywhere.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .text import clean, fold, tone_key


@dataclass(frozen=True)
class Unit:
    code: str
    name: str  # bare name as in the GSO list: 'Càng Long', '1' for Phường 1
    type: str  # 'Huyện', 'Thị xã', 'Thành phố', 'Quận', 'Xã', 'Phường', 'Thị trấn'
    parent_code: str

    @property
    def full_name(self) -> str:
        return f"{self.type} {self.name}"


class MatchError(ValueError):
    """A name that matches no unit, or more than one."""

    def __init__(self, kind: str, text: str, candidates: list[Unit] | None = None):
        self.kind = kind  # 'unknown' | 'ambiguous' | 'other_district' | 'other_province'
        self.text = text
        self.candidates = candidates or []
        super().__init__(f"{kind}: {text}")


_TYPE_CANON = {fold(t): t for t in ("Huyện", "Thị xã", "Thành phố", "Quận", "Xã", "Phường", "Thị trấn")}

# Prefixes a clerk writes before a name, folded, mapped to the unit type they mean.
_DISTRICT_PREFIXES = [
    ("thanh pho", "Thành phố"), ("tp.", "Thành phố"), ("tp", "Thành phố"),
    ("thi xa", "Thị xã"), ("tx.", "Thị xã"), ("tx", "Thị xã"),
    ("huyen", "Huyện"), ("h.", "Huyện"), ("quan", "Quận"), ("q.", "Quận"),
]
_COMMUNE_PREFIXES = [
    ("thi tran", "Thị trấn"), ("tt.", "Thị trấn"), ("tt", "Thị trấn"),
    ("phuong", "Phường"), ("p.", "Phường"), ("p", "Phường"),
    ("xa", "Xã"), ("x.", "Xã"),
]


def _split_prefix(text: str, prefixes: list[tuple[str, str]]) -> tuple[str | None, str]:
    """('Thị trấn', 'Định An') from 'TT. Định An'; (None, text) when there is no type prefix."""
    original = clean(text)
    folded = fold(original)
    for prefix, unit_type in prefixes:
        if not folded.startswith(prefix):
            continue
        rest = folded[len(prefix):]
        # a prefix ends with '.', or is followed by a space, or (a ward) by its number
        if prefix.endswith(".") or rest.startswith(" ") or (unit_type == "Phường" and rest[:1].isdigit()):
            for i in range(1, len(original) + 1):
                if fold(original[:i]) == prefix:
                    bare = original[i:].strip(" .")
                    if bare:
                        return unit_type, bare
                    break
    return None, original


_AUTHORITY = ("uy ban nhan dan", "ubnd")  # 'UBND huyện Càng Long': the district's People's Committee
_PROVINCE_SUFFIX = re.compile(r"\s*[,;\-–(]\s*(tinh|thanh pho truc thuoc trung uong)\s.*$")


def _district_text(text: str) -> str:
    """'UBND huyện Càng Long, tỉnh Trà Vinh' -> 'huyện Càng Long'."""
    original = clean(text)
    folded = fold(original)
    suffix = _PROVINCE_SUFFIX.search(folded)
    if suffix and suffix.start() > 0:
        original = _cut(original, suffix.start())
        folded = fold(original)
    for prefix in _AUTHORITY:
        if folded.startswith(prefix + " "):
            for i in range(1, len(original) + 1):
                if fold(original[:i]) == prefix:
                    return original[i:].strip()
    return original


def _cut(original: str, folded_length: int) -> str:
    """The start of `original` whose folded form is `folded_length` characters long."""
    for i in range(len(original) + 1):
        if len(fold(original[:i])) >= folded_length:
            return original[:i].strip()
    return original


def _ward_number(name: str) -> str | None:
    """'01' -> '1', '1' -> '1'; None when the name is not a number."""
    stripped = name.strip()
    if re.fullmatch(r"\d{1,2}", stripped):
        return str(int(stripped))
    return None


@dataclass
class AdminUnits:
    """The GSO list of provinces, districts and communes, indexed for matching."""

    provinces: dict[str, Unit] = field(default_factory=dict)
    districts: dict[str, Unit] = field(default_factory=dict)
    communes: dict[str, Unit] = field(default_factory=dict)
    communes_by_district: dict[str, list[Unit]] = field(default_factory=dict)

    @classmethod
    def from_csv(cls, path: Path) -> "AdminUnits":
        units = cls()
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                p, d, c = row["province_code"], row["district_code"], row["commune_code"]
                if p not in units.provinces:
                    units.provinces[p] = Unit(p, row["province_name"], _canon_type(row["province_type"]), "")
                if d not in units.districts:
                    units.districts[d] = Unit(d, row["district_name"], _canon_type(row["district_type"]), p)
                commune = Unit(c, row["commune_name"], _canon_type(row["commune_type"]), d)
                units.communes[c] = commune
                units.communes_by_district.setdefault(d, []).append(commune)
        return units

    def districts_of(self, province_codes: list[str] | None) -> list[Unit]:
        return [u for u in self.districts.values() if not province_codes or u.parent_code in province_codes]

    def match_district(self, name: str | None, code: str | None, provinces: list[str] | None) -> Unit:
        """A district by GSO code (wins) or by name, within the given provinces.

        A code of a district in another province raises MatchError('other_province', code, [that district]).
        """
        if code:
            key = _code_key(code)
            for candidate in (key, key.zfill(3)):
                if candidate in self.districts:
                    unit = self.districts[candidate]
                    if provinces and unit.parent_code not in provinces:
                        raise MatchError("other_province", code, [unit])
                    return unit
            raise MatchError("unknown", code)
        if not name:
            raise MatchError("unknown", "")
        pool = self.districts_of(provinces)
        name = _district_text(name)
        unit_type, bare = _split_prefix(name, _DISTRICT_PREFIXES)
        if unit_type is not None:
            try:
                return _pick(name, bare, [u for u in pool if u.type == unit_type])
            except MatchError as err:
                if err.kind != "unknown":
                    raise
        return _pick(name, clean(name), pool)

    def match_commune(self, district_code: str, name: str | None, code: str | None) -> Unit:
        """A commune of the district by code (wins) or by name; raises MatchError.

        A code that exists but belongs to another district raises MatchError('other_district').
        """
        if code:
            key = _code_key(code)
            for candidate in (key, key.zfill(5)):
                unit = self.communes.get(candidate)
                if unit is not None:
                    if unit.parent_code != district_code:
                        raise MatchError("other_district", code, [unit])
                    return unit
            raise MatchError("unknown", code)
        if not name or not name.strip():
            raise MatchError("unknown", "")
        district_pool = self.communes_by_district.get(district_code, [])
        unit_type, bare = _split_prefix(name, _COMMUNE_PREFIXES)
        attempts = [(unit_type, bare)] if unit_type is not None else []
        attempts.append((None, clean(name)))
        error: MatchError | None = None
        for wanted_type, wanted in attempts:
            pool = [u for u in district_pool if wanted_type is None or u.type == wanted_type]
            try:
                number = _ward_number(wanted)
                if number is not None:
                    return _pick(name, number, [u for u in pool if u.type == "Phường"])
                return _pick(name, wanted, pool)
            except MatchError as err:
                if err.kind == "ambiguous":
                    raise
                error = error or err
        # not in this district: is it a commune of another district of the same province?
        province = self.districts[district_code].parent_code if district_code in self.districts else None
        key = tone_key(bare)
        elsewhere = [u for u in self.communes.values()
                     if u.parent_code != district_code and tone_key(u.name) == key
                     and self.districts[u.parent_code].parent_code == province]
        if _ward_number(bare) is None and elsewhere and (unit_type is None or any(u.type == unit_type for u in elsewhere)):
            raise MatchError("other_district", name, elsewhere)
        assert error is not None
        raise error


def _code_key(code: str) -> str:
    text = str(code).strip()
    if text.endswith(".0"):
        text = text[:-2]
    return text


def _canon_type(text: str) -> str:
    return _TYPE_CANON.get(fold(text), text.strip())


def _pick(original: str, bare: str, pool: list[Unit]) -> Unit:
    """Exact match on the tone-insensitive key first, then diacritics-insensitive; ambiguity is an error."""
    for key_fn in (tone_key, fold):
        key = key_fn(bare)
        hits = [u for u in pool if key_fn(u.name) == key]
        if not hits:
            hits = [u for u in pool if key_fn(u.full_name) == key_fn(original)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise MatchError("ambiguous", original, hits)
    raise MatchError("unknown", original)


@dataclass(frozen=True)
class CalendarEntry:
    province_code: str
    family: str
    period: str
    period_type: str
    due_date: dt.date
    reporting_level: str = "district"  # 'district' (units of 2025-03-01) | 'commune' (units of 2025-07-01)
    old_province_code: str = ""  # 'commune': only new communes that took in this old province's communes


def load_calendar(path: Path) -> list[CalendarEntry]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [
            CalendarEntry(r["province_code"], r["family"], r["period"], r["period_type"],
                          dt.date.fromisoformat(r["due_date"]), r.get("reporting_level") or "district",
                          r.get("old_province_code") or "")
            for r in csv.DictReader(f)
        ]


@dataclass(frozen=True)
class SavingsCategory:
    category: str
    name_vi: str
    labels: tuple[str, ...]


def load_savings_categories(path: Path) -> list[SavingsCategory]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [SavingsCategory(r["category"], r["name_vi"], tuple(r["labels"].split("|")))
                for r in csv.DictReader(f)]


@dataclass
class Reference:
    """Everything ingest needs to know besides the reports themselves."""

    units: AdminUnits
    calendar: list[CalendarEntry]
    savings_categories: list[SavingsCategory]

    @property
    def provinces(self) -> list[str]:
        """Provinces whose districts report (those the calendar names with reporting level 'district')."""
        return sorted({e.province_code for e in self.calendar if e.reporting_level == "district"})

    def due_date(self, province_code: str, family: str, period: str) -> dt.date | None:
        for e in self.calendar:
            if e.province_code == province_code and e.family == family and e.period == period:
                return e.due_date
        return None


@lru_cache(maxsize=4)
def load_reference(reference_dir: Path) -> Reference:
    return Reference(
        units=AdminUnits.from_csv(reference_dir / "admin_units.csv"),
        calendar=load_calendar(reference_dir / "reporting_calendar.csv"),
        savings_categories=load_savings_categories(reference_dir / "savings_categories.csv"),
    )
