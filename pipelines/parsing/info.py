"""A report's identity: the unit, period and date from its `Thông tin` sheet (or a CSV's columns)."""

from __future__ import annotations

import fastexcel

from .families import FAMILIES, PERIOD_TYPE_VI
from .units import LAST_DAY_OF_DISTRICTS, MatchError, Unit, province_of
from .results import Context, IssueList, ParsedReport
from .rules import Issue, issue
from .text import Period, clean, fold, parse_date, parse_period
from .xlsx import sheet_columns

INFO_SHEET = "thong tin"
_INFO_KEYS = {
    "district_name": ("Đơn vị", "Tên đơn vị", "Đơn vị báo cáo"),
    "district_code": ("Mã đơn vị", "Mã huyện"),
    "period": ("Kỳ báo cáo", "Kỳ"),
    "report_date": ("Ngày lập", "Ngày báo cáo"),
    "prepared_by": ("Người lập",),
}
_INFO_KEY_OF = {fold(label): key for key, labels in _INFO_KEYS.items() for label in labels}


def read_info(reader: fastexcel.ExcelReader, sheet: str) -> dict[str, str]:
    """Key/value rows of the 'Thông tin' sheet, in any order and any columns.

    The key is the first cell of a row that names one ('Đơn vị', 'Kỳ báo cáo:'), the value the first
    non-empty cell to its right; 'Kỳ báo cáo: Năm 2022' in one cell works too.
    """
    columns, height = sheet_columns(reader, sheet, dtypes="string")
    info: dict[str, str] = {}
    for r in range(height):
        cells = [col[r] for col in columns]
        for c, text in enumerate(cells):
            if text is None or not clean(text):
                continue
            key = _INFO_KEY_OF.get(fold(text).rstrip(":").strip())
            value = next((clean(v) for v in cells[c + 1:] if v is not None and clean(v)), None)
            if key is None and ":" in text:
                before, _, after = text.partition(":")
                key, value = _INFO_KEY_OF.get(fold(before).strip()), clean(after) or value
            if key is not None:
                if key not in info and value:
                    info[key] = value
                break
    return info


def apply_header(report: ParsedReport, info: dict[str, str], ctx: Context) -> None:
    """Reporting unit, period and report date from the 'Thông tin' sheet (or the CSV columns).

    The period decides the list of units (docs/reorganisation.md): ending by 30 June 2025, a district reports;
    later, a new commune (its own figures) or a new province (compiled).
    """
    if isinstance(report.issues, IssueList):  # the first step of every report that knows the limits
        report.issues.cap = ctx.limits.max_issues_per_rule
    spec = FAMILIES[report.family] if report.family else None
    period_issues = []  # listed after the unit's, as the sheet reads ('Đơn vị' above 'Kỳ báo cáo')
    period_text = info.get("period")
    if not period_text:
        period_issues.append(issue("period_missing"))
    else:
        try:
            report.period = parse_period(period_text)
        except ValueError:
            period_issues.append(issue("period_invalid", value=period_text))
        else:
            period = report.period
            if spec and period.type != spec.period_type:
                period_issues.append(issue("period_wrong_type", value=period_text, family_vi=spec.vi,
                                           expected_vi=PERIOD_TYPE_VI[spec.period_type]))
            elif period.last_day >= ctx.today:
                period_issues.append(issue("period_in_future", period=period.code,
                                           end=period.last_day.strftime("%d/%m/%Y")))
    # a period already refused does not decide the list of units: its own error says what to fix
    _apply_unit(report, info, ctx, None if period_issues else report.period)
    report.issues.extend(period_issues)
    if info.get("report_date"):
        try:
            report.report_date = parse_date(info["report_date"])
        except ValueError:
            report.issues.append(issue("report_date_invalid", value=info["report_date"]))
        else:
            received = report.received_at
            if report.report_date > received.date():
                report.issues.append(issue(
                    "report_date_after_received", date=report.report_date.strftime("%d/%m/%Y"),
                    received=received.strftime("%H:%M ngày %d/%m/%Y"), example=received.strftime("%d/%m/%Y")))
    report.prepared_by = info.get("prepared_by")


def _apply_unit(report: ParsedReport, info: dict[str, str], ctx: Context, period: Period | None) -> None:
    """The reporting unit (`report.unit`; `report.district` too for a district), on the list of the period
    (without one, the list that has the unit: the period's own error says what to fix)."""
    code, name = info.get("district_code"), info.get("district_name")
    if not code and not name:
        report.issues.append(issue("district_missing"))
        return
    value = code or name
    after = period is not None and period.last_day > LAST_DAY_OF_DISTRICTS
    try:
        unit = ctx.reference.match_reporting_unit(name, code, period)
    except MatchError as err:
        if err.kind == "not_valid_for_period":
            report.issues.append(_not_valid_for_period(value, err, period))
        elif err.kind == "ambiguous":
            report.issues.append(issue("unit_ambiguous" if after else "district_ambiguous", value=value,
                                       candidates=describe_units(err.candidates)))
        else:
            detail = ""
            if err.kind == "other_province" and err.candidates:
                unit = err.candidates[0]
                units = ctx.reference.units_2025 if after else ctx.reference.units
                province = units.provinces.get(province_of(unit))
                where = f", {province.type.lower()} {province.name}" if province and unit != province else ""
                detail = f" (mã {unit.code} là {unit.full_name}{where}, không thuộc tỉnh báo cáo)"
            report.issues.append(issue("unit_unknown" if after else "district_unknown", value=value, detail=detail))
        return
    report.unit = unit
    report.district = unit if unit.level == "district" else None
    if report.family == "savings" and unit.level == "province":
        report.issues.append(issue("savings_from_province", unit=unit.full_name))


def _not_valid_for_period(value: str, err: MatchError, period: Period) -> Issue:
    """`unit_not_valid_for_period` for a report: the unit as found, and the units that report the period instead."""
    if err.found.level == "district":
        who = "đơn vị sau sắp xếp (mỗi xã, phường báo cáo số liệu của mình, hoặc tỉnh gửi bản tổng hợp các xã)"
    else:
        who = "huyện, thị xã, thành phố (đơn vị trước sắp xếp)"
    return not_valid_for_period(
        value, err, place="trang 'Thông tin'", period_vi=f"kỳ báo cáo {period.code}", who=f"{who} lập báo cáo",
        candidates_vi="Các đơn vị báo cáo kỳ này trên địa bàn đó",
        fix="Ghi 'Đơn vị' và 'Mã đơn vị' của đơn vị lập báo cáo ở trang 'Thông tin' (lệnh 'emulation template' "
            "tạo mẫu đúng cho đơn vị và kỳ), hoặc sửa 'Kỳ báo cáo' nếu ghi nhầm kỳ.")


def not_valid_for_period(value: str, err: MatchError, *, place: str, period_vi: str, who: str, candidates_vi: str,
                         fix: str, **cell: object) -> Issue:
    """`unit_not_valid_for_period`: `value` (at `place`) is `err.found`, a unit of the other list than the period's
    (`period_vi`), which is reported (or competed in) by `who`; `candidates_vi` introduces the candidates of `err`.
    Used by reports (`Thông tin`) and emulation plans (a unit's cell; `cell`: row, column, address of the issue)."""
    found = err.found
    if found.level == "district":
        unit_when, period_when = "đơn vị trước ngày 01/07/2025 (không còn cấp huyện)", "kết thúc sau ngày 30/06/2025"
    else:
        unit_when, period_when = "đơn vị từ ngày 01/07/2025", "kết thúc trước ngày 01/07/2025"
    return issue("unit_not_valid_for_period", value=value, place=place, unit=f"{found.full_name} (mã {found.code})",
                 unit_when=unit_when, period_vi=period_vi, period_when=period_when, who=who,
                 candidates_vi=candidates_vi, candidates=describe_units(err.candidates) or "không có", fix=fix,
                 **cell)


def describe_units(units: list[Unit]) -> str:
    return "; ".join(f"{u.full_name} (mã {u.code})" for u in units)

