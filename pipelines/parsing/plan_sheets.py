"""Reading the sheets of a plan workbook: a grid with Excel addresses, header rows, numbers, units.

Tolerances are those of the reports: labels matched without case and diacritics (`text.fold`), Vietnamese
numbers (`text.parse_number`, with the stored-as-number probe of `workbook.load_grid`), title rows above the
header, units matched like districts in reports (code wins; ambiguity names the candidates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .header import HEADER_SEARCH_ROWS, is_column_numbers
from .plan_spec import PlanColumn
from .reference import Reference
from .units import LAST_DAY_OF_DISTRICTS, MatchError, Unit
from .text import NumberError, clean, fold, parse_number
from .workbook import Grid
from .xlsx import SheetLayout, column_letters

_FLOAT = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def label_key(text: object) -> str:
    """A header or key cell, folded, without a trailing colon or asterisk ('Mã tiêu chí (*):' -> 'ma tieu chi')."""
    key = fold(text).strip(" :*")
    return re.sub(r"\s*\(\*\)$", "", key).strip(" :*")


@dataclass
class PlanSheet:
    """One sheet of the plan: its name as written, its cells as text, where they sit in Excel."""

    name: str
    grid: Grid
    layout: SheetLayout

    def text(self, c: int | None, r: int) -> str:
        if c is None:
            return ""
        value = self.grid.columns[c][r]
        return clean(value) if value is not None else ""

    def error(self, c: int, r: int) -> str | None:
        return self.layout.error_cells.get((self.excel_row(r), self.layout.first_col + c))

    def excel_row(self, r: int) -> int:
        return self.layout.first_row + r

    def address(self, c: int, r: int) -> str:
        return f"{column_letters(self.layout.first_col + c)}{self.excel_row(r)}"

    def where(self, c: int, r: int, label: str) -> str:
        return f"Trang '{self.name}', ô {self.address(c, r)} ('{label}')"

    def number(self, c: int, r: int) -> float:
        """The cell as a number; NumberError when it is not one (the caller checks emptiness first)."""
        text = self.text(c, r)
        numeric = self.grid.numeric.get(c)
        if (numeric and numeric[r]) or re.fullmatch(r"-?\d+(\.\d+)?[eE][-+]?\d+", text):
            if _FLOAT.fullmatch(text):
                return float(text)
        return parse_number(text)

    def data_rows(self, first: int) -> list[int]:
        """Row indexes below a header: numbering rows and empty rows left out."""
        if first < self.grid.height and is_column_numbers(self.grid, first):
            first += 1
        return [r for r in range(first, self.grid.height)
                if any(col[r] is not None and clean(col[r]) for col in self.grid.columns)]


@dataclass
class PlanHeader:
    row: int  # grid row index
    columns: dict[str, int]  # canonical name -> grid column
    labels: dict[str, str]  # canonical name -> the header as written


def find_plan_header(sheet: PlanSheet, columns: tuple[PlanColumn, ...], *, unit: bool = False
                     ) -> tuple[PlanHeader | None, list[str]]:
    """The first row naming every required column (and, with `unit`, the unit's name or code); else the
    labels of the required columns missing from the best row."""
    required = [c for c in columns if c.required]
    best: list[str] | None = None
    for r in range(min(sheet.grid.height, HEADER_SEARCH_ROWS)):
        header = PlanHeader(r, {}, {})
        for c, col in enumerate(sheet.grid.columns):
            if col[r] is None:
                continue
            key = label_key(col[r])
            for column in columns:
                if column.name not in header.columns and key in {fold(label) for label in column.labels}:
                    header.columns[column.name] = c
                    header.labels[column.name] = clean(col[r])
                    break
        missing = [f"'{c.labels[0]}'" for c in required if c.name not in header.columns]
        if unit and "unit_name" not in header.columns and "unit_code" not in header.columns:
            missing.append("'Đơn vị' hoặc 'Mã đơn vị'")
        if not missing:
            return header, []
        if best is None or len(missing) < len(best):
            best = missing
    return None, best or [f"'{c.labels[0]}'" for c in required]


def first_year_of_communes() -> int:
    """Plans from this year on are on the communes of 2025-07-01 (the year ends after 30 June 2025)."""
    return LAST_DAY_OF_DISTRICTS.year


def plan_units(reference: Reference, province: Unit, year: int) -> list[Unit]:
    """The units that compete in a province's plan for a year (spec emulation-scoring.md, `Cụm thi đua`): its
    districts up to 2024; from 2025 the communes of the 2025-07-01 list the reporting calendar expects of the
    province in the year (Tỉnh Vĩnh Long: the 41 of the former Trà Vinh), all its communes when it expects none."""
    if year < first_year_of_communes():
        return sorted(reference.units.districts_of([province.code]), key=lambda u: u.code)
    expected: dict[str, Unit] = {}
    for entry in reference.calendar:
        if (entry.province_code == province.code and entry.reporting_level == "commune"
                and entry.period[:4] == str(year)):
            expected |= {c.code: c for c in reference.communes_reported_by(province, entry.family, entry.period)}
    communes = list(expected.values()) or reference.units_2025.communes_by_province.get(province.code, [])
    return sorted(communes, key=lambda u: u.code)


def match_unit(reference: Reference, province: Unit, year: int, name: str, code: str) -> Unit:
    """A unit of the province for the year (code wins): a district up to 2024, a commune of the 2025-07-01 list
    from 2025. Raises MatchError; 'not_valid_for_period' when it is a unit of the other list (`found`, with the
    units of the year that cover it as candidates: reference.units_instead)."""
    if not code and name.isdigit():
        name, code = "", name
    communes = year >= first_year_of_communes()
    try:
        if communes:
            return reference.units_2025.match_commune(province.code, name or None, code or None)
        return reference.units.match_district(name or None, code or None, [province.code])
    except MatchError as err:
        if err.kind == "ambiguous":
            raise
        try:  # a unit of the other list? (without a period: whichever list has it, districts first)
            found = reference.match_reporting_unit(name or None, code or None, None)
        except MatchError:
            raise err from None
        if found.level != ("district" if communes else "commune"):
            raise
        instead = [u for u in reference.units_instead(found) if u.level != "province"]
        raise MatchError("not_valid_for_period", code or name, instead, found=found) from None


def unit_problem(err: MatchError, reference: Reference, year: int) -> tuple[str, dict]:
    """The rule and parameters for a unit that did not match (not `not_valid_for_period`)."""
    if err.kind == "ambiguous":
        return "plan_unit_ambiguous", {"candidates": "; ".join(f"{u.full_name} (mã {u.code})"
                                                               for u in err.candidates),
                                       "types": "Xã, Phường" if year >= first_year_of_communes()
                                       else "Huyện, Thị xã, Thành phố"}
    detail = ""
    if err.kind == "other_province" and err.candidates:
        unit = err.candidates[0]
        units = reference.units_2025 if year >= first_year_of_communes() else reference.units
        province = units.provinces.get(unit.parent_code)
        detail = f" (mã {unit.code} là {unit.full_name}" + (f", {province.type.lower()} {province.name})"
                                                              if province else ")")
    example = ("Xã Càng Long", "29266") if year >= first_year_of_communes() else ("Huyện Càng Long", "844")
    return "plan_unit_unknown", {"detail": detail, "example_name": example[0], "example_code": example[1]}


_PROVINCE_PREFIX = re.compile(r"^(uy ban nhan dan|ubnd)?\s*(tinh|thanh pho|tp\.?)?\s*")


def plan_provinces(reference: Reference, year: int | None) -> list[Unit]:
    """The provinces a plan of the year may be for: those whose districts report (up to 2024), those whose new
    units report (from 2025: the provinces of 2025-07-01)."""
    if year is not None and year >= first_year_of_communes():
        return [reference.units_2025.provinces[c] for c in reference.provinces_2025
                if c in reference.units_2025.provinces]
    return [reference.units.provinces[c] for c in reference.provinces if c in reference.units.provinces]


def match_province(reference: Reference, name: str | None, code: str | None, year: int | None = None
                   ) -> Unit | None:
    """The plan's province by code or name ('84', 'Trà Vinh', 'Tỉnh Trà Vinh'), among the provinces of the year
    (`plan_provinces`; 'Tỉnh Vĩnh Long' / 86 from 2025)."""
    provinces = plan_provinces(reference, year)
    for text in (code, name):
        if text and clean(text).isdigit():
            return next((p for p in provinces if int(p.code) == int(clean(text))), None)
    if name:
        key = _PROVINCE_PREFIX.sub("", fold(name)).strip()
        return next((p for p in provinces if fold(p.name) == key or fold(p.full_name) == fold(name)), None)
    return None


def as_number(sheet: PlanSheet, c: int, r: int) -> float | None:
    """The cell as a number, None when it is not one."""
    try:
        return sheet.number(c, r)
    except NumberError:
        return None
