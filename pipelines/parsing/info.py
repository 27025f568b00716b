"""A report's identity: the unit, period and date from its `Thông tin` sheet (or a CSV's columns)."""

from __future__ import annotations

import fastexcel
import polars as pl

from .families import FAMILIES, PERIOD_TYPE_VI
from .reference import MatchError, Unit
from .results import Context, IssueList, ParsedReport
from .rules import issue
from .text import clean, fold, parse_date, parse_period

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
    frame = pl.DataFrame(reader.load_sheet(sheet, header_row=None, dtypes="string"))
    info: dict[str, str] = {}
    columns = [s.to_list() for s in frame.get_columns()]
    for r in range(frame.height):
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
    """District, period and report date from the 'Thông tin' sheet (or the CSV columns)."""
    if isinstance(report.issues, IssueList):  # the first step of every report that knows the limits
        report.issues.cap = ctx.limits.max_issues_per_rule
    spec = FAMILIES[report.family] if report.family else None
    code, name = info.get("district_code"), info.get("district_name")
    if not code and not name:
        report.issues.append(issue("district_missing"))
    else:
        try:
            report.district = ctx.reference.units.match_district(name, code, ctx.reference.provinces)
        except MatchError as err:
            value = code or name
            if err.kind == "ambiguous":
                report.issues.append(issue("district_ambiguous", value=value, candidates=describe_units(err.candidates)))
            else:
                detail = ""
                if err.kind == "other_province" and err.candidates:
                    unit = err.candidates[0]
                    province = ctx.reference.units.provinces.get(unit.parent_code)
                    where = f", {province.type.lower()} {province.name}" if province else ""
                    detail = f" (mã {unit.code} là {unit.full_name}{where}, không thuộc tỉnh báo cáo)"
                report.issues.append(issue("district_unknown", value=value, detail=detail))
    period_text = info.get("period")
    if not period_text:
        report.issues.append(issue("period_missing"))
    else:
        try:
            period = parse_period(period_text)
        except ValueError:
            report.issues.append(issue("period_invalid", value=period_text))
        else:
            if spec and period.type != spec.period_type:
                report.issues.append(issue("period_wrong_type", value=period_text, family_vi=spec.vi,
                                           expected_vi=PERIOD_TYPE_VI[spec.period_type]))
            elif period.last_day >= ctx.today:
                report.issues.append(issue("period_in_future", period=period.code,
                                           end=period.last_day.strftime("%d/%m/%Y")))
            report.period = period
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


def describe_units(units: list[Unit]) -> str:
    return "; ".join(f"{u.full_name} (mã {u.code})" for u in units)

