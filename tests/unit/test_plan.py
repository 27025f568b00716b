"""The emulation plan workbook (Kế hoạch thi đua): recognised by its sheets, parsed into the plan tables, its
rules, its Vietnamese tolerances and the template that round-trips."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from pipelines.parsing.files import parse_file
from pipelines.parsing.plan_spec import PARAMETERS, PLAN_FAMILY
from pipelines.parsing.rules import RULES
from workbooks import write_workbook

TODAY = dt.date(2026, 11, 27)
INFO = {"Đơn vị": "Tỉnh Trà Vinh", "Kỳ báo cáo": "Năm 2024", "Ngày lập": "15/01/2024"}
CLUSTERS = [["KẾ HOẠCH THI ĐUA NĂM 2024"], [], ["STT", "Cụm thi đua", "Đơn vị", "Mã đơn vị"],
            [1, "Cụm 1", "Thành phố Trà Vinh", "842"], [2, "Cụm 1", "Thị xã Duyên Hải", "851"]] + [
    [3 + i, "Cụm 2", None, str(code)] for i, code in enumerate(range(844, 851))]
CRITERIA = [["STT", "Mã tiêu chí", "Tiêu chí", "Chỉ số", "Điểm tối đa", "Điểm thưởng tối đa"],
            [1, "TC1", "Giảm tỷ lệ hộ nghèo", "poverty_rate_reduction_pp", 40, 4],
            [2, "TC2", "Xã nông thôn mới", "ntm_communes_new", "30", None],
            [3, "TC3", "Báo cáo đúng hạn", "reporting_on_time_pct", "12,5", "2,5"]]
TARGETS = [["Đơn vị", "Mã đơn vị", "TC1", "TC2", "TC3"],
           ["Thành phố Trà Vinh", "842", "0,5", None, 100],
           ["Thị xã Duyên Hải", "851", 1.5, 1, 100]] + [
    [None, str(code), "1,5", 2, 100] for code in range(844, 851)]


def plan_file(tmp_path: Path, name: str = "ke_hoach_2024.xlsx", *, info: dict | None = None,
              drop: tuple[str, ...] = (), **sheets: list[list]) -> Path:
    content = {"Cụm thi đua": CLUSTERS, "Tiêu chí": CRITERIA, "Chỉ tiêu": TARGETS}
    for key, rows in sheets.items():
        content[{"clusters": "Cụm thi đua", "criteria": "Tiêu chí", "targets": "Chỉ tiêu", "parameters": "Tham số",
                 "verified": "Đã xác minh"}[key]] = rows
    for key in drop:
        content.pop(key)
    return write_workbook(tmp_path / name, INFO if info is None else info, content)


def parse(path: Path, reference):
    (plan,) = parse_file(path, path.name, reference, today=TODAY)
    return plan


def rules(plan) -> list[str]:
    return [i.rule for i in plan.issues]


def test_a_valid_plan_parses_into_its_tables(tmp_path, reference):
    plan = parse(plan_file(tmp_path, verified=[["Đơn vị", "Mã dấu hiệu", "Ghi chú"],
                                                ["Huyện Càng Long", "households_jump", "đã xác minh, sáp nhập ấp"]]),
                 reference)
    assert plan.issues == []
    assert (plan.family, plan.sheet, plan.district.code, plan.period.code, plan.report_date, plan.status) == (
        PLAN_FAMILY, "Cụm thi đua", "84", "2024", dt.date(2024, 1, 15), "accepted")
    clusters = {(r["cluster"], r["unit_code"]) for r in plan.tables["plan_clusters"]}
    assert clusters == {("Cụm 1", "842"), ("Cụm 1", "851")} | {("Cụm 2", str(c)) for c in range(844, 851)}
    assert plan.tables["plan_clusters"][0] == {"sheet": "Cụm thi đua", "row_number": 4, "cluster": "Cụm 1",
                                               "unit_code": "842", "unit_name": "Thành phố Trà Vinh"}
    assert [(r["criterion_code"], r["indicator"], r["max_points"], r["max_bonus"], r["order"])
            for r in plan.tables["plan_criteria"]] == [
        ("TC1", "poverty_rate_reduction_pp", 40, 4, 1), ("TC2", "ntm_communes_new", 30, 0, 2),
        ("TC3", "reporting_on_time_pct", 12.5, 2.5, 3)]
    targets = {(r["unit_code"], r["criterion_code"]): r["target"] for r in plan.tables["plan_targets"]}
    assert len(targets) == 9 * 3
    assert targets[("842", "TC1")] == 0.5 and targets[("842", "TC2")] is None  # not applicable to the city
    assert targets[("844", "TC1")] == 1.5 and targets[("851", "TC2")] == 1
    params = {r["key"]: (r["value"], r["is_default"]) for r in plan.tables["plan_parameters"]}
    assert params == {p.key: (p.default, True) for p in PARAMETERS}
    assert plan.tables["plan_cleared_flags"] == [{"sheet": "Đã xác minh", "row_number": 2, "unit_code": "844",
                                                  "flag_code": "households_jump",
                                                  "note": "đã xác minh, sáp nhập ấp"}]
    assert plan.row_count == 9 + 3 + 27 + len(PARAMETERS) + 1
