"""The emulation plan workbook (`Kế hoạch thi đua`): recognised by its sheets, parsed into one submission.

A plan is one `ParsedPlan` (a `ParsedReport` with family `emulation_plan`, the province as its unit and the year
as its period) whose rows are the tables `raw.plan_clusters`, `raw.plan_criteria`, `raw.plan_targets`,
`raw.plan_parameters`, `raw.plan_cleared_flags`. It goes the way reports go: listed in
`raw.report_submissions` / `raw.report_issues`, rejected whole on a blocking error, and a later plan for the same
year (later `Ngày lập`) supersedes the earlier in dbt (`int_report_versions`). The sheets are read in
`plan_tables.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import fastexcel

from .families import FAMILIES
from .info import INFO_SHEET, read_info
from .plan_sheets import PlanSheet, match_province, plan_provinces
from .plan_spec import OPTIONAL_SHEETS, PLAN_FAMILY, REQUIRED_SHEETS
from .results import Context, ParsedReport
from .rules import issue
from .text import count_vi, fold, parse_date, parse_period
from .workbook import Container, FileRefused, SheetTooLarge, _LOAD_ERRORS, _too_large_issue, load_grid

PLAN_TABLE_NAMES = ("plan_clusters", "plan_criteria", "plan_targets", "plan_parameters", "plan_cleared_flags")


@dataclass
class ParsedPlan(ParsedReport):
    """A plan workbook: a submission of family `emulation_plan` whose rows are the plan's tables."""

    tables: dict[str, list[dict]] = field(default_factory=lambda: {name: [] for name in PLAN_TABLE_NAMES})

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


_PLAN_SHEETS = {fold(s) for s in REQUIRED_SHEETS}
_FAMILY_SHEETS = {fold(f.sheet) for f in FAMILIES.values()}


def is_plan_workbook(sheets: Iterable[str]) -> bool:
    """Whether a workbook with these sheets is a plan: it has the sheet `Cụm thi đua`, or two of `Cụm thi đua`,
    `Tiêu chí`, `Chỉ tiêu`, and no report sheet."""
    names = {fold(name) for name in sheets}
    if names & _FAMILY_SHEETS:
        return False
    return fold(REQUIRED_SHEETS[0]) in names or len(names & _PLAN_SHEETS) >= 2


def parse_plan(path: Path, file_name: str, sha: str, received: dt.datetime, ctx: Context,
               container: Container) -> list[ParsedReport]:
    """The plan in a workbook whose container `open_container` checked, as one submission. Raises FileRefused as
    `parse_workbook` does."""
    from .plan_tables import read_tables

    limits = ctx.limits
    wanted = {fold(s) for s in REQUIRED_SHEETS + OPTIONAL_SHEETS} | {INFO_SHEET}
    members = container.members
    layouts = container.lay_out([n for n in members if fold(n) in wanted])
    by_fold = {fold(name): name for name in layouts}
    first_sheet = next((by_fold[fold(s)] for s in REQUIRED_SHEETS if fold(s) in by_fold), None)
    plan = ParsedPlan(file_name, first_sheet, sha, received, family=PLAN_FAMILY)
    try:
        reader = fastexcel.read_excel(path)
    except _LOAD_ERRORS as err:
        raise FileRefused("file_unreadable", detail=f"tệp .xlsx bị hỏng ({str(err)[:200]})") from None

    info_name = by_fold.get(INFO_SHEET)
    if info_name is None:
        plan.issues.append(issue("info_sheet_missing"))
    else:
        _apply_info(plan, _read_info(plan, reader, info_name, layouts, ctx), ctx)
    missing = [s for s in REQUIRED_SHEETS if fold(s) not in by_fold]
    if missing:
        plan.issues.append(issue("plan_sheet_missing", sheets=", ".join(f"'{s}'" for s in missing),
                                 present=", ".join(f"'{s}'" for s in members) or "không có"))
        return [plan]
    if plan.district is None or plan.period is None or plan.rejected:
        return [plan]  # without the province and year the units cannot be matched
    sheets: dict[str, PlanSheet | None] = {}
    for spec_name in REQUIRED_SHEETS + OPTIONAL_SHEETS:
        name = by_fold.get(fold(spec_name))
        if name is None:
            continue
        too_large = _too_large_issue(name, layouts[name], limits)
        if too_large is not None:
            plan.issues.append(too_large)
            continue
        try:
            sheets[spec_name] = PlanSheet(name, load_grid(reader, name, layouts[name], ctx), layouts[name])
        except SheetTooLarge as big:
            plan.issues.append(issue("sheet_too_large", sheet=name, detail=f"{count_vi(big.rows)} dòng"))
        except _LOAD_ERRORS as err:
            plan.issues.append(issue("file_unreadable", detail=f"không đọc được trang '{name}' ({err})"))
    if all(s in sheets for s in REQUIRED_SHEETS):
        read_tables(plan, sheets, ctx)
    return [plan]


def _read_info(plan: ParsedPlan, reader, name: str, layouts, ctx: Context) -> dict[str, str] | None:
    too_large = _too_large_issue(name, layouts[name], ctx.limits)
    if too_large is not None:
        plan.issues.append(too_large)
        return None
    try:
        return read_info(reader, name)
    except _LOAD_ERRORS as err:
        plan.issues.append(issue("file_unreadable", detail=f"không đọc được trang '{name}' ({err})"))
        return None


def _apply_info(plan: ParsedPlan, info: dict[str, str] | None, ctx: Context) -> None:
    """Year, province and `Ngày lập` from `Thông tin`. The year decides the list the province is on: up to 2024
    a province whose districts report, from 2025 a province of 2025-07-01 ('Tỉnh Vĩnh Long', 86)."""
    if info is None:
        return
    text = info.get("period")
    period_issues = []  # listed after the province's, as the sheet reads
    if not text:
        period_issues.append(issue("period_missing"))
    else:
        try:
            period = parse_period(text)
        except ValueError:
            period_issues.append(issue("period_invalid", value=text))
        else:
            if period.type != "year":
                period_issues.append(issue("plan_period_not_year", value=text))
            else:
                plan.period = period
    name, code = info.get("district_name"), info.get("district_code")
    year = plan.period.year if plan.period else None
    if not name and not code:
        plan.issues.append(issue("plan_province_missing"))
    else:
        plan.district = match_province(ctx.reference, name, code, year)
        if plan.district is None:
            names = ", ".join(f"{p.full_name} (mã {p.code})" for p in plan_provinces(ctx.reference, year))
            plan.issues.append(issue("plan_province_unknown", value=code or name, provinces=names))
    plan.issues.extend(period_issues)
    if info.get("report_date"):
        try:
            plan.report_date = parse_date(info["report_date"])
        except ValueError:
            plan.issues.append(issue("report_date_invalid", value=info["report_date"]))
    plan.prepared_by = info.get("prepared_by")
