"""The rules that look at a whole row, a report's total row, or its timeliness."""

from __future__ import annotations

from .families import FAMILIES, NUMBER_KINDS, Column
from .results import Context, ParsedReport, RawRow
from .rules import issue
from .values import convert


def check_row(family: str, row: dict, flag) -> None:
    if family == "poverty":
        total, poor, near = row.get("total_households"), row.get("poor_households"), row.get("near_poor_households")
        em, em_poor, em_near = row.get("em_households"), row.get("em_poor_households"), row.get("em_near_poor_households")
        if total is not None and poor is not None and poor > total:
            flag("poor_exceeds_total", "poor_households", poor=poor, total=total)
        if total is not None and near is not None and near > total:
            flag("near_poor_exceeds_total", "near_poor_households", near_poor=near, total=total)
        checks = [
            ("em_households", em, "Số hộ DTTS", total, "tổng số hộ"),
            ("em_poor_households", em_poor, "Số hộ nghèo DTTS", em, "số hộ DTTS"),
            ("em_poor_households", em_poor, "Số hộ nghèo DTTS", poor, "số hộ nghèo"),
            ("em_near_poor_households", em_near, "Số hộ cận nghèo DTTS", em, "số hộ DTTS"),
            ("em_near_poor_households", em_near, "Số hộ cận nghèo DTTS", near, "số hộ cận nghèo"),
        ]
        for column, value, what, limit, limit_what in checks:
            if value is not None and limit is not None and value > limit:
                flag("em_exceeds_total", column, what=what, value=value, total_what=limit_what, total=limit)
    elif family == "infrastructure":
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
                    flag("ntm_without_standard", k, what=what)


def check_total(report: ParsedReport, rows: list[dict], total: RawRow, columns: dict[str, Column],
                 labels: dict[str, str], multipliers: dict[str, int], csv_values: bool) -> None:
    for name, column in columns.items():
        cell = total.cells.get(name)
        if column.kind not in NUMBER_KINDS or cell is None or cell.text in (None, ""):
            continue
        stated = convert(cell, column, multipliers.get(name, 1_000_000), csv_values, lambda *a, **k: None)
        if stated is None:
            continue
        computed = sum(r[name] for r in rows if r.get(name) is not None)
        tolerance = 0.5 if column.kind == "count" else max(0.011, abs(computed) * 1e-6)
        if column.kind == "money":
            tolerance = max(multipliers.get(name, 1_000_000) * 0.05, abs(computed) * 1e-6)
        if abs(stated - computed) > tolerance:
            report.issues.append(issue("total_row_mismatch", row=total.row_number, column=labels.get(name, name),
                                       stated=number_vi(stated), computed=number_vi(computed)))


def number_vi(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def check_timeliness(report: ParsedReport, ctx: Context) -> None:
    if report.rejected or report.district is None or report.period is None or report.family is None:
        return
    due = ctx.reference.due_date(report.district.parent_code, report.family, report.period.code)
    if due is None:
        province = ctx.reference.units.provinces.get(report.district.parent_code)
        where = f"{province.type.lower()} {province.name}" if province else f"tỉnh {report.district.parent_code}"
        report.issues.append(issue("period_not_in_calendar", period=report.period.code,
                                   family_vi=FAMILIES[report.family].vi, province=where))
        return
    submitted = report.report_date or report.received_at.date()
    if submitted > due:
        report.issues.append(issue("report_late", period=report.period.code,
                                   submitted=submitted.strftime("%d/%m/%Y"), due=due.strftime("%d/%m/%Y")))

