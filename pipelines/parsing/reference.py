"""Reference data: the unit lists (units.py), the reporting calendar, savings categories and the crosswalk between
the communes of the two lists, loaded once per reference folder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .text import Period, fold
from .units import (LAST_DAY_OF_DISTRICTS, AdminUnits, MatchError, Unit, Units2025, csv_rows, province_of,
                    reporting_level)


@dataclass(frozen=True)
class CalendarEntry:
    province_code: str
    family: str
    period: str
    period_type: str
    due_date: dt.date
    reporting_level: str = "district"  # 'district' (units of 2025-03-01) | 'commune' (units of 2025-07-01)
    old_province_code: str = ""  # 'commune': only new communes that took in this old province's communes


def load_calendar(path: Path) -> tuple[CalendarEntry, ...]:
    return tuple(CalendarEntry(r["province_code"], r["family"], r["period"], r["period_type"],
                               dt.date.fromisoformat(r["due_date"]), r.get("reporting_level") or "district",
                               r.get("old_province_code") or "")
                 for r in csv_rows(path))


@dataclass(frozen=True)
class SavingsCategory:
    category: str
    name_vi: str
    labels: tuple[str, ...]


def load_savings_categories(path: Path) -> list[SavingsCategory]:
    return [SavingsCategory(r["category"], r["name_vi"], tuple(r["labels"].split("|"))) for r in csv_rows(path)]


@dataclass
class Crosswalk:
    """Old commune -> new commune (commune_crosswalk_2025-07-01.csv); an old commune split between new ones has
    several. The few old codes absent from the old commune list are island districts (they had no communes)."""

    new_of_old: dict[str, list[str]] = field(default_factory=dict)
    old_of_new: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_csv(cls, path: Path) -> "Crosswalk":
        crosswalk = cls()
        for row in csv_rows(path):
            old, new = row["old_commune_code"], row["new_commune_code"]
            crosswalk.new_of_old.setdefault(old, []).append(new)
            crosswalk.old_of_new.setdefault(new, []).append(old)
        return crosswalk


@dataclass(frozen=True)
class Reference:
    """Everything ingest needs to know besides the reports themselves.

    Frozen, with a tuple of frozen calendar entries: what follows from the calendar alone is computed once.
    """

    units: AdminUnits
    calendar: tuple[CalendarEntry, ...]
    savings_categories: list[SavingsCategory]
    units_2025: Units2025 = field(default_factory=Units2025)
    crosswalk: Crosswalk = field(default_factory=Crosswalk)

    def __post_init__(self) -> None:
        object.__setattr__(self, "calendar", tuple(self.calendar))  # given a list: a copy that cannot change

    @property
    def provinces(self) -> list[str]:
        """Provinces whose districts report (those the calendar names with reporting level 'district')."""
        return list(self._provinces_at["district"])

    @property
    def provinces_2025(self) -> list[str]:
        """New provinces whose units report (those the calendar names with reporting level 'commune')."""
        return list(self._provinces_at["commune"])

    @cached_property
    def _provinces_at(self) -> dict[str, tuple[str, ...]]:
        """Reporting level -> the provinces the calendar names at that level, sorted."""
        return {level: tuple(sorted({e.province_code for e in self.calendar if e.reporting_level == level}))
                for level in ("district", "commune")}

    def match_reporting_unit(self, name: str | None, code: str | None, period: Period | None) -> Unit:
        """The unit a report is from, on the list of its period: a district of `provinces` for a period ending
        by 30 June 2025, a new commune or new province of `provinces_2025` for a later one (without a period,
        whichever list has it). Raises MatchError; 'not_valid_for_period' when the unit is only on the other
        list (`found` is that unit, the candidates the units that report the period instead)."""
        def old() -> Unit:
            return self.units.match_district(name, code, self.provinces)

        def new() -> Unit:
            return self.units_2025.match_unit(name, code, self.provinces_2025)

        first, other = (new, old) if period is not None and period.last_day > LAST_DAY_OF_DISTRICTS else (old, new)
        try:
            return first()
        except MatchError as err:
            if err.kind == "ambiguous":
                raise
            try:
                found = other()
            except MatchError:
                raise err from None
        if period is None:
            return found
        raise MatchError("not_valid_for_period", code or name or "", self.units_instead(found), found=found)

    def units_instead(self, unit: Unit) -> list[Unit]:
        """The units of the other list that cover this one: for a district, the new communes its communes became
        and their new province; for a new commune, the districts of its old communes; for a new province, the
        reporting districts of the provinces it took in."""
        if unit.level == "district":
            new_codes = {new for old in self.units.communes_by_district.get(unit.code, [])
                         for new in self.crosswalk.new_of_old.get(old.code, [])}
            new_codes |= set(self.crosswalk.new_of_old.get(unit.code, []))  # an island district became a đặc khu
            communes = sorted((self.units_2025.communes[c] for c in new_codes), key=lambda u: u.code)
            provinces = sorted({c.parent_code for c in communes})
            return communes + [self.units_2025.provinces[p] for p in provinces]
        if unit.level == "commune":
            old_codes = self.crosswalk.old_of_new.get(unit.code, [])
            codes = {self.units.communes[c].parent_code if c in self.units.communes else c for c in old_codes}
            return sorted((self.units.districts[c] for c in codes if c in self.units.districts), key=lambda u: u.code)
        districts = self.units.districts_of(self.units_2025.old_province_codes.get(unit.code, []))
        reporting = [d for d in districts if d.parent_code in self.provinces]
        return sorted(reporting or districts, key=lambda u: u.code)

    def calendar_entry(self, unit: Unit, family: str, period: str) -> CalendarEntry | None:
        """The calendar's entry for a unit's report: by the unit's province and reporting level."""
        return self._entry(province_of(unit), reporting_level(unit), family, period)

    def due_date(self, province_code: str, family: str, period: str,
                 reporting_level: str = "district") -> dt.date | None:
        """The due date of a province's reports at this reporting level ('district' | 'commune')."""
        entry = self._entry(province_code, reporting_level, family, period)
        return entry.due_date if entry else None

    def _entry(self, province_code: str, level: str, family: str, period: str) -> CalendarEntry | None:
        return self._entries.get((province_code, level, family, period))

    @cached_property
    def _entries(self) -> dict[tuple[str, str, str, str], CalendarEntry]:
        """The calendar by (province, reporting level, family, period): the first entry of each."""
        entries: dict[tuple[str, str, str, str], CalendarEntry] = {}
        for e in self.calendar:
            entries.setdefault((e.province_code, e.reporting_level, e.family, e.period), e)
        return entries

    def communes_reported_by(self, unit: Unit, family: str, period: str) -> list[Unit]:
        """The communes a report of this unit has a row for: a district's communes, a new commune itself, a new
        province's communes — those the calendar expects when it names an old province (`old_province_code`:
        for Tỉnh Vĩnh Long, the 41 communes of the former Trà Vinh), else all of them."""
        if unit.level == "district":
            return self.units.communes_by_district.get(unit.code, [])
        if unit.level == "commune":
            return [unit]
        communes = self.units_2025.communes_by_province.get(unit.code, [])
        entry = self.calendar_entry(unit, family, period)
        return [c for c in communes if entry is None or self.expected(c, entry)]

    def expected(self, unit: Unit, entry: CalendarEntry) -> bool:
        """Whether the calendar entry expects this unit's report: with an `old_province_code`, only the new
        communes that took in communes of that old province (and the new province itself)."""
        if unit.level != "commune" or not entry.old_province_code:
            return True
        return any(self.units.districts[self.units.communes[old].parent_code].parent_code == entry.old_province_code
                   for old in self.crosswalk.old_of_new.get(unit.code, []) if old in self.units.communes)

    def match_row_commune(self, unit: Unit, name: str | None, code: str | None) -> Unit:
        """The commune a data row of this unit's report names (code wins), on the unit's list. A new commune's
        own report may only name itself: another commune raises MatchError('other_commune', …, [it])."""
        if unit.level == "district":
            return self.units.match_commune(unit.code, name, code)
        if unit.level == "province":
            return self.units_2025.match_commune(unit.code, name, code)
        found = self.units_2025.match_commune(unit.parent_code, name, code)
        if found != unit:
            raise MatchError("other_commune", code or name or "", [found])
        return found


@lru_cache(maxsize=4)
def load_reference(reference_dir: Path) -> Reference:
    return Reference(
        units=AdminUnits.from_csv(reference_dir / "admin_units.csv"),
        calendar=load_calendar(reference_dir / "reporting_calendar.csv"),
        savings_categories=load_savings_categories(reference_dir / "savings_categories.csv"),
        units_2025=Units2025.from_csv(reference_dir / "admin_units_2025-07-01.csv"),
        crosswalk=Crosswalk.from_csv(reference_dir / "commune_crosswalk_2025-07-01.csv"),
    )
