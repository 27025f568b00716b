"""Administrative units (GSO codes) of both lists, and the matching of unit names as clerks write them.

Two lists of units (docs/reorganisation.md): those of 2025-03-01 (provinces, districts, communes; periods ending
by 30 June 2025 are reported by a district) and those of 2025-07-01 (provinces and communes, no districts; later
periods are reported by a new commune or a new province).

One implementation of matching for both lists: by code first, then by name with or without its type, in either
Unicode form and with the tone mark anywhere.
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
    type: str  # 'Tỉnh', 'Thành phố', 'Huyện', 'Thị xã', 'Quận', 'Xã', 'Phường', 'Thị trấn', 'Đặc khu'
    parent_code: str  # a district's province, a commune's district (2025-03-01) or province (2025-07-01)
    level: str = ""  # 'province' | 'district' | 'commune'

    @property
    def full_name(self) -> str:
        return f"{self.type} {self.name}"


class MatchError(ValueError):
    """A name that matches no unit, or more than one."""

    def __init__(self, kind: str, text: str, candidates: list[Unit] | None = None, found: Unit | None = None):
        self.found = found  # 'not_valid_for_period': the unit as found on the other list
        # 'unknown' | 'ambiguous' | 'other_district' | 'other_province' | 'other_commune' (a new commune's own
        # report names another commune) | 'not_valid_for_period' (candidates: the units that report the period)
        self.kind = kind
        self.text = text
        self.candidates = candidates or []
        super().__init__(f"{kind}: {text}")


_TYPE_CANON = {fold(t): t for t in ("Tỉnh", "Huyện", "Thị xã", "Thành phố", "Quận", "Xã", "Phường", "Thị trấn",
                                    "Đặc khu")}

# The last day of the units of 2025-03-01: a period ending by then is reported by a district, a later one by a
# unit of 2025-07-01 (a new commune or a new province).
LAST_DAY_OF_DISTRICTS = dt.date(2025, 6, 30)

# Prefixes a clerk writes before a name, folded, mapped to the unit type they mean.
_DISTRICT_PREFIXES = (
    ("thanh pho", "Thành phố"), ("tp.", "Thành phố"), ("tp", "Thành phố"),
    ("thi xa", "Thị xã"), ("tx.", "Thị xã"), ("tx", "Thị xã"),
    ("huyen", "Huyện"), ("h.", "Huyện"), ("quan", "Quận"), ("q.", "Quận"),
)
_COMMUNE_PREFIXES = (
    ("thi tran", "Thị trấn"), ("tt.", "Thị trấn"), ("tt", "Thị trấn"),
    ("phuong", "Phường"), ("p.", "Phường"), ("p", "Phường"),
    ("xa", "Xã"), ("x.", "Xã"), ("dac khu", "Đặc khu"),
)
_PROVINCE_PREFIXES = (("tinh", "Tỉnh"), ("thanh pho", "Thành phố"), ("tp.", "Thành phố"), ("tp", "Thành phố"))
_WARD_NUMBER = re.compile(r"\d{1,2}")


@lru_cache(maxsize=1 << 16)  # every row's commune name is split, and the same names recur in every report
def _split_prefix(text: str, prefixes: tuple[tuple[str, str], ...]) -> tuple[str | None, str]:
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
    if _WARD_NUMBER.fullmatch(stripped):
        return str(int(stripped))
    return None


@dataclass
class AdminUnits:
    """The GSO list of provinces, districts and communes of 2025-03-01, indexed for matching."""

    provinces: dict[str, Unit] = field(default_factory=dict)
    districts: dict[str, Unit] = field(default_factory=dict)
    communes: dict[str, Unit] = field(default_factory=dict)
    communes_by_district: dict[str, list[Unit]] = field(default_factory=dict)

    @classmethod
    def from_csv(cls, path: Path) -> "AdminUnits":
        units = cls()
        for row in csv_rows(path):
            p, d, c = row["province_code"], row["district_code"], row["commune_code"]
            if p not in units.provinces:
                units.provinces[p] = Unit(p, row["province_name"], _canon_type(row["province_type"]), "",
                                          "province")
            if d not in units.districts:
                units.districts[d] = Unit(d, row["district_name"], _canon_type(row["district_type"]), p,
                                          "district")
            commune = Unit(c, row["commune_name"], _canon_type(row["commune_type"]), d, "commune")
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
        return _match_name(_district_text(name), self.districts_of(provinces), _DISTRICT_PREFIXES)

    def match_commune(self, district_code: str, name: str | None, code: str | None) -> Unit:
        """A commune of the district by code (wins) or by name; raises MatchError.

        A code that exists but belongs to another district raises MatchError('other_district').
        """
        try:
            return _match_member(self.communes, self.communes_by_district.get(district_code, []), district_code,
                                 name, code, "other_district")
        except MatchError as err:
            if code or err.kind != "unknown" or not name or not name.strip():
                raise
            # not in this district: is it a commune of another district of the same province?
            unit_type, bare = _split_prefix(name, _COMMUNE_PREFIXES)
            province = self.districts[district_code].parent_code if district_code in self.districts else None
            key = tone_key(bare)
            elsewhere = [u for u in self.communes.values()
                         if u.parent_code != district_code and tone_key(u.name) == key
                         and self.districts[u.parent_code].parent_code == province]
            if _ward_number(bare) is None and elsewhere and (unit_type is None
                                                             or any(u.type == unit_type for u in elsewhere)):
                raise MatchError("other_district", name, elsewhere) from None
            raise


@dataclass
class Units2025:
    """The units of 2025-07-01: provinces and their communes (xã, phường, đặc khu), no districts.

    Names are kept bare like the 2025-03-01 list ('Trà Vinh', type 'Phường'), so both lists match alike.
    """

    provinces: dict[str, Unit] = field(default_factory=dict)
    communes: dict[str, Unit] = field(default_factory=dict)
    communes_by_province: dict[str, list[Unit]] = field(default_factory=dict)
    old_province_codes: dict[str, list[str]] = field(default_factory=dict)  # the provinces each one took in

    @classmethod
    def from_csv(cls, path: Path) -> "Units2025":
        units = cls()
        for row in csv_rows(path):
            p = row["province_code"]
            if not row["commune_code"]:
                units.provinces[p] = _unit_2025(p, row["province_name"], row["province_type"], "", "province")
                units.old_province_codes[p] = [c for c in row["old_province_codes"].split(";") if c]
                continue
            commune = _unit_2025(row["commune_code"], row["commune_name"], row["commune_type"], p, "commune")
            units.communes[commune.code] = commune
            units.communes_by_province.setdefault(p, []).append(commune)
        return units

    def match_unit(self, name: str | None, code: str | None, provinces: list[str] | None) -> Unit:
        """A reporting unit, a province (2-digit code) or a commune (5-digit code), by code (wins) or by name,
        within the given provinces. A unit of another province raises MatchError('other_province')."""
        if code:
            key = _code_key(code)
            unit = self.provinces.get(key.zfill(2)) if len(key) <= 2 else (
                self.communes.get(key.zfill(5)) if len(key) in (4, 5) else None)
            if unit is None:
                raise MatchError("unknown", code)
            if provinces and (unit.parent_code or unit.code) not in provinces:
                raise MatchError("other_province", code, [unit])
            return unit
        if not name:
            raise MatchError("unknown", "")
        pool = [p for p in self.provinces.values() if not provinces or p.code in provinces]
        pool += [c for p in pool for c in self.communes_by_province.get(p.code, [])]
        return _match_name(_district_text(name), pool, _PROVINCE_PREFIXES + _COMMUNE_PREFIXES)

    def match_commune(self, province_code: str, name: str | None, code: str | None) -> Unit:
        """A commune of the province by code (wins) or by name; a commune of another province raises
        MatchError('other_province')."""
        return _match_member(self.communes, self.communes_by_province.get(province_code, []), province_code,
                             name, code, "other_province")


def _unit_2025(code: str, full_name: str, unit_type: str, parent_code: str, level: str) -> Unit:
    """A unit of the 2025-07-01 list, whose names include the type ('Phường Trà Vinh'): kept bare."""
    unit_type = _canon_type(unit_type)
    name = clean(full_name)
    if fold(name).startswith(fold(unit_type) + " "):
        name = name[len(unit_type):].strip()
    return Unit(code, name, unit_type, parent_code, level)


def _match_name(name: str, pool: list[Unit], prefixes: tuple[tuple[str, str], ...]) -> Unit:
    """A unit of the pool by its name as written, with or without its type ('TX Duyên Hải', 'Duyên Hải')."""
    unit_type, bare = _split_prefix(name, prefixes)
    if unit_type is not None:
        try:
            return _pick(name, bare, [u for u in pool if u.type == unit_type])
        except MatchError as err:
            if err.kind != "unknown":
                raise
    return _pick(name, clean(name), pool)


def _match_member(units: dict[str, Unit], members: list[Unit], parent_code: str, name: str | None,
                  code: str | None, outside: str) -> Unit:
    """A commune among `members` (those of one parent) by code (wins) or by name; a code of a commune with
    another parent raises MatchError(outside, code, [that commune])."""
    if code:
        key = _code_key(code)
        for candidate in (key, key.zfill(5)):
            unit = units.get(candidate)
            if unit is not None:
                if unit.parent_code != parent_code:
                    raise MatchError(outside, code, [unit])
                return unit
        raise MatchError("unknown", code)
    if not name or not name.strip():
        raise MatchError("unknown", "")
    unit_type, bare = _split_prefix(name, _COMMUNE_PREFIXES)
    attempts = [(unit_type, bare)] if unit_type is not None else []
    attempts.append((None, clean(name)))
    error: MatchError | None = None
    for wanted_type, wanted in attempts:
        pool = [u for u in members if wanted_type is None or u.type == wanted_type]
        try:
            number = _ward_number(wanted)
            if number is not None:
                return _pick(name, number, [u for u in pool if u.type == "Phường"])
            return _pick(name, wanted, pool)
        except MatchError as err:
            if err.kind == "ambiguous":
                raise
            error = error or err
    assert error is not None
    raise error


def csv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a reference CSV file (UTF-8, with or without BOM) as dicts by header."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


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


def province_of(unit: Unit) -> str:
    """The province code of a reporting unit: a district's or new commune's province, or the province itself."""
    return unit.code if unit.level == "province" else unit.parent_code


def reporting_level(unit: Unit) -> str:
    """The calendar's `reporting_level` of a unit's reports: 'district', or 'commune' for the units of 2025-07-01
    (a new commune's own report and a new province's compiled one)."""
    return "district" if unit.level == "district" else "commune"
