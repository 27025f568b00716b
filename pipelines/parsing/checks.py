"""The rules that look at a whole row, a report's total row, or its timeliness."""

from __future__ import annotations

from .families import FAMILIES, NUMBER_KINDS, Column
from .units import province_of
from .results import Context, ParsedReport, RawRow
from .rules import issue
from .text import count_vi, number_vi
from .values import convert


def check_row(family: str, row: dict, flag, cell_at) -> None:
    """The rules across a row's values; `cell_at(column)` says where a value is ('ô D7')."""
    spec = FAMILIES[family]
    for rule in spec.at_most:
        value, limit = row.get(rule.column), row.get(rule.limit)
        if value is not None and limit is not None and value > limit:
            what, total_what = spec.column(rule.column).noun_vi, spec.column(rule.limit).noun_vi
            flag(rule.rule, rule.column, what=what, what_cap=what[:1].upper() + what[1:], value=count_vi(value),
                 total_what=total_what, total=count_vi(limit), total_cell=cell_at(rule.limit))
    own_checks = ROW_CHECKS.get(family)
    if own_checks is not None:
        own_checks(row, flag, cell_at)


def check_ntm_levels(row: dict, flag, cell_at) -> None:
    """Infrastructure: NTM flags apply to communes (Xã) only, and a higher NTM level needs the standard one."""
    unit = row.get("_unit")
    flags = [k for k in ("ntm_standard", "ntm_advanced", "ntm_model") if row.get(k)]
    if unit is not None and unit.type != "Xã":
        if flags:
            flag("ntm_not_applicable", flags[0], value=unit.full_name, unit_type=unit.type.lower())
        for k in ("ntm_standard", "ntm_advanced", "ntm_model"):
            row[k] = None
        return
    if not row.get("ntm_standard"):
        for k, what in (("ntm_advanced", "NTM nâng cao"), ("ntm_model", "NTM kiểu mẫu")):
            if row.get(k):
                flag("ntm_without_standard", k, what=what, standard_cell=cell_at("ntm_standard"))


# A family's own row checks, beyond the comparisons declared in its `at_most` (families.py)
ROW_CHECKS = {"infrastructure": check_ntm_levels}


def check_total(report: ParsedReport, rows: list[dict], total: RawRow, columns: dict[str, Column],
                 labels: dict[str, str], multipliers: dict[str, int], csv_values: bool,
                 letters: dict[str, str] | None = None) -> None:
    for name, column in columns.items():
        cell = total.cells.get(name)
        if column.kind not in NUMBER_KINDS or cell is None or cell.text in (None, ""):
            continue
        stated = convert(cell, column, multipliers.get(name, 1_000_000), csv_values, lambda *a, **k: None)
        if stated is None:
            continue
        computed = sum(r[name] for r in rows if r.get(name) is not None)
        tolerance = 0.5 if column.kind == "count" else max(0.011, abs(computed) * 1e-6)
        unit = 1
        if column.kind == "money":
            unit = 1 if csv_values else multipliers.get(name, 1_000_000)  # the header's unit, as the clerk wrote
            tolerance = max(multipliers.get(name, 1_000_000) * 0.05, abs(computed) * 1e-6)
        if abs(stated - computed) > tolerance:
            letter = (letters or {}).get(name)
            where = f"ô {letter}{total.row_number}" if letter else f"dòng {total.row_number}"
            report.issues.append(issue("total_row_mismatch", row=total.row_number, column=labels.get(name, name),
                                       address=f"{letter}{total.row_number}" if letter else None, cell=where,
                                       stated=number_vi(stated / unit, 2), computed=number_vi(computed / unit, 2)))


def check_timeliness(report: ParsedReport, ctx: Context) -> None:
    """The calendar entry of the report (by its unit's province and reporting level): its due date."""
    unit = report.unit
    if report.rejected or unit is None or report.period is None or report.family is None:
        return
    entry = ctx.reference.calendar_entry(unit, report.family, report.period.code)
    if entry is None or not ctx.reference.expected(unit, entry):
        units = ctx.reference.units if unit.level == "district" else ctx.reference.units_2025
        code = province_of(unit)
        province = units.provinces.get(code)
        where = f"{province.type.lower()} {province.name}" if province else f"tỉnh {code}"
        if entry is not None:  # a new commune outside the calendar's old province
            old = ctx.reference.units.provinces.get(entry.old_province_code)
            old_name = f"{old.type.lower()} {old.name}" if old else f"tỉnh {entry.old_province_code}"
            where += f" (chỉ các xã, phường trên địa bàn {old_name} cũ)"
        report.issues.append(issue("period_not_in_calendar", period=report.period.code,
                                   family_vi=FAMILIES[report.family].vi, province=where))
        return
    submitted = report.report_date or report.received_at.date()
    if submitted > entry.due_date:
        report.issues.append(issue("report_late", period=report.period.code,
                                   submitted=submitted.strftime("%d/%m/%Y"), due=entry.due_date.strftime("%d/%m/%Y")))
