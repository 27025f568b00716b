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
from plan_workbooks import CLUSTERS, CRITERIA, INFO, TARGETS, plan_file

TODAY = dt.date(2026, 11, 27)
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


def _replace(rows: list[list], index: int, row: list) -> list[list]:
    return rows[:index] + [row] + rows[index + 1:]


TWO_CLUSTERS = CLUSTERS + [[99, "Cụm 2", "Thành phố Trà Vinh", None]]
# (rule, the plan's sheets changed, the Excel row and column of the issue, a fragment of its message)
RULE_CASES = [
    ("plan_sheet_missing", dict(drop=("Chỉ tiêu",)), None, None, "thiếu trang 'Chỉ tiêu'"),
    ("plan_province_missing", dict(info={"Kỳ báo cáo": "Năm 2024"}), None, None, "chưa ghi 'Đơn vị'"),
    ("plan_province_unknown", dict(info={**INFO, "Đơn vị": "Tỉnh Atlantis"}), None, None, "Tỉnh Trà Vinh (mã 84)"),
    ("plan_period_not_year", dict(info={**INFO, "Kỳ báo cáo": "Quý I/2024"}), None, None, "Năm 2024"),
    ("plan_province_unknown", dict(info={**INFO, "Kỳ báo cáo": "Năm 2025"}), None, None, "Tỉnh Vĩnh Long (mã 86)"),
    ("unit_not_valid_for_period", dict(clusters=CLUSTERS + [[99, "Cụm 2", "Phường Trà Vinh", None]]), 13, "Đơn vị",
     "năm thi đua 2024 kết thúc trước ngày 01/07/2025"),
    ("plan_column_missing", dict(criteria=[["Mã tiêu chí", "Tiêu chí", "Điểm tối đa"], ["TC1", "x", 1]]), None,
     None, "'Chỉ số'"),
    ("plan_no_rows", dict(criteria=CRITERIA[:1]), None, None, "Trang 'Tiêu chí' không có dòng"),
    ("plan_value_missing", dict(clusters=_replace(CLUSTERS, 3, [1, None, "Thành phố Trà Vinh", "842"])), 4,
     "Cụm thi đua", "Trang 'Cụm thi đua', ô B4 ('Cụm thi đua') để trống"),
    ("plan_unit_unknown", dict(clusters=CLUSTERS + [[99, "Cụm 2", "Huyện Atlantis", None]]), 13, "Đơn vị",
     "'Huyện Atlantis'"),
    ("plan_unit_unknown", dict(clusters=CLUSTERS + [[99, "Cụm 2", None, "886"]]), 13, "Mã đơn vị",
     "mã 886 là Huyện An Phú, tỉnh An Giang"),
    ("plan_unit_ambiguous", dict(clusters=CLUSTERS + [[99, "Cụm 2", "Duyên Hải", None]]), 13, "Đơn vị",
     "Huyện Duyên Hải (mã 850); Thị xã Duyên Hải (mã 851)"),
    ("plan_unit_in_two_clusters", dict(clusters=TWO_CLUSTERS), 13, "Cụm thi đua", "'Cụm 1' (dòng 4) và 'Cụm 2'"),
    ("plan_unit_without_cluster", dict(clusters=CLUSTERS[:-1]), None, None, "Huyện Duyên Hải (mã 850)"),
    ("plan_unit_not_in_cluster", dict(clusters=CLUSTERS[:-1]), 10, "Mã đơn vị", "Huyện Duyên Hải"),
    ("plan_unit_duplicate", dict(targets=TARGETS + [[None, "844", 1, 1, 1]]), 11, "Mã đơn vị", "dòng 4"),
    ("plan_criterion_duplicate", dict(criteria=CRITERIA + [[4, "tc1", "Lặp", "ocop_products_new", 5]]), 5,
     "Mã tiêu chí", "'tc1' đã có ở dòng 2"),
    ("plan_indicator_unknown", dict(criteria=_replace(CRITERIA, 1, [1, "TC1", "Giảm nghèo", "ho_ngheo", 40])), 2,
     "Chỉ số", "poverty_rate_reduction_pp, em_poverty_rate_reduction_pp"),
    ("plan_max_points_not_positive", dict(criteria=_replace(CRITERIA, 2, [2, "TC2", "NTM", "ntm_communes_new", 0])),
     3, "Điểm tối đa", "ghi 0"),
    ("plan_max_bonus_negative",
     dict(criteria=_replace(CRITERIA, 2, [2, "TC2", "NTM", "ntm_communes_new", 10, "-1"])), 3, "Điểm thưởng tối đa",
     "ghi -1"),
    ("plan_value_not_number",
     dict(criteria=_replace(CRITERIA, 2, [2, "TC2", "NTM", "ntm_communes_new", "mười"])), 3, "Điểm tối đa",
     "ô E3 ('Điểm tối đa') ghi 'mười'"),
    ("plan_criterion_column_unknown", dict(targets=[TARGETS[0] + ["TC9"]] + TARGETS[1:]), 1, "TC9",
     "cột 'TC9' không phải mã tiêu chí"),
    ("plan_criterion_without_column", dict(targets=[row[:4] for row in TARGETS]), None, None, "Tiêu chí 'TC3'"),
    ("plan_unit_without_targets", dict(targets=TARGETS[:-1]), None, None, "1 đơn vị: Huyện Duyên Hải (mã 850)"),
    ("plan_target_not_number", dict(targets=_replace(TARGETS, 2, ["Thị xã Duyên Hải", "851", "một rưỡi", 1, 100])),
     3, "TC1", "ô C3 ('TC1') ghi 'một rưỡi'"),
    ("plan_parameter_unknown", dict(parameters=[["Tham số", "Giá trị"], ["Điểm cộng", 3]]), 2, "Tham số",
     "'Điểm cộng'"),
    ("plan_parameter_invalid", dict(parameters=[["Tham số", "Giá trị"], ["Số Cờ thi đua mỗi cụm", "1,5"]]), 2,
     "Số Cờ thi đua mỗi cụm", "số nguyên"),
    ("plan_parameter_invalid", dict(parameters=[["Tham số", "Giá trị"], ["Tốt từ", 95]]), None, None,
     "Xuất sắc phải ≥ Tốt ≥ Hoàn thành"),
    ("plan_flag_unknown", dict(verified=[["Mã đơn vị", "Mã dấu hiệu"], ["844", "gian_lan"]]), 2, "Mã dấu hiệu",
     "households_jump"),
]


@pytest.mark.parametrize("rule,change,row,column,fragment", RULE_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(RULE_CASES)])
def test_each_plan_rule(tmp_path, reference, rule, change, row, column, fragment):
    plan = parse(plan_file(tmp_path, **change), reference)
    found = [i for i in plan.issues if i.rule == rule]
    assert found, plan.issues
    assert (found[0].row_number, found[0].column_name) == (row, column)
    assert fragment in found[0].message, found[0].message
    assert plan.family == PLAN_FAMILY
    if RULES[rule].severity == "error":
        assert plan.status == "rejected"
    else:
        assert plan.status == "accepted", plan.issues


def test_vietnamese_tolerances(tmp_path, reference):
    """Labels without diacritics or in other case, title rows, numbers written the Vietnamese way, a province
    by code, units by name without type, parameters by label with a note."""
    info = {"Don vi": "84", "ky bao cao": "2024", "Ngay lap": "20/01/2024"}
    clusters = [["KE HOACH"], ["cum", "DON VI"], ["cụm 1", "Trà Vinh"], ["Cụm 1", "Thị xã Duyên Hải"]] + [
        ["Cum 2", name] for name in ("Càng Long", "Cầu Kè", "Tiểu Cần", "Châu Thành", "Cầu Ngang", "Trà Cú",
                                     "Huyện Duyên Hải")]
    criteria = [["ma tieu chi", "noi dung", "chi so", "thang diem", "diem thuong toi da"],
                ["TC1", "Giảm nghèo", "Poverty_Rate_Reduction_PP", "12,5", "1.000"]]
    targets = [["don vi", "tc1"], ["Càng Long", "1,25"], ["Trà Vinh", "-"], ["Cầu Kè", "4.803"]]
    parameters = [["THAM SO", "GIA TRI"], ["Diem tru moi bao cao tre han [1]", "0,5"], ["xuất sắc từ", 85]]
    plan = parse(plan_file(tmp_path, info=info, clusters=clusters, criteria=criteria, targets=targets,
                           parameters=parameters), reference)
    # six units have no row in Chỉ tiêu: accepted, with a warning naming them
    assert rules(plan) == ["plan_unit_without_targets"] and plan.status == "accepted"
    assert plan.period.code == "2024" and plan.district.code == "84"
    assert {r["cluster"] for r in plan.tables["plan_clusters"]} == {"cụm 1", "Cum 2"}
    (criterion,) = plan.tables["plan_criteria"]
    assert (criterion["indicator"], criterion["max_points"], criterion["max_bonus"]) == (
        "poverty_rate_reduction_pp", 12.5, 1000)
    targets = {r["unit_code"]: r["target"] for r in plan.tables["plan_targets"]}
    assert (targets["844"], targets["842"], targets["845"], targets["846"]) == (1.25, 0, 4803, None)
    params = {r["key"]: r["value"] for r in plan.tables["plan_parameters"]}
    assert params["late_report_penalty"] == 0.5 and params["excellent_from_pct"] == 85
    assert params["missing_report_penalty"] == 5


def test_a_report_workbook_is_not_a_plan(reference):
    from helpers import SAMPLE_INBOX
    from pipelines.parsing.plan import is_plan_workbook
    from pipelines.parsing.results import Limits
    from pipelines.parsing.workbook import open_container

    with open_container(SAMPLE_INBOX / "844_cang-long_2022.xlsx", Limits()) as container:
        assert not is_plan_workbook(container.members)


def test_the_blank_template_parses_with_missing_data_only(tmp_path, reference):
    from pipelines.cli import main

    out = tmp_path / "ke_hoach.xlsx"
    assert main(["template", "--family", "emulation_plan", "--period", "2024", "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:6] == ["Thông tin", "Cụm thi đua", "Tiêu chí", "Chỉ tiêu", "Tham số", "Đã xác minh"]
    (dropdown,) = [v for v in wb["Tiêu chí"].data_validations.dataValidation if v.type == "list"]
    assert "D4" in str(dropdown.sqref) and "Danh mục" in dropdown.formula1
    (numbers,) = wb["Chỉ tiêu"].data_validations.dataValidation
    assert numbers.type == "decimal" and str(numbers.sqref) == "D4:Z12"
    catalogue = [wb["Danh mục"].cell(row, 1).value for row in range(2, 17)]
    assert catalogue[0] == "poverty_rate_reduction_pp" and catalogue[-1] == "reporting_on_time_pct"
    assert [wb["Tham số"].cell(row, 2).value for row in range(4, 11)] == [int(p.default) for p in PARAMETERS]
    plan = parse(out, reference)
    assert plan.status == "rejected" and (plan.district.code, plan.period.code) == ("84", "2024")
    assert {i.rule for i in plan.issues} == {"plan_value_missing", "plan_no_rows"}
    assert sum(i.rule == "plan_value_missing" for i in plan.issues) == 9  # one per unit without its cluster


def test_the_filled_template_round_trips(tmp_path, reference):
    from pipelines.parsing.plan_template import resolve_plan, write_plan_template

    province, year = resolve_plan(None, "Năm 2024", reference)
    out = write_plan_template(province, year, tmp_path / "ke_hoach.xlsx", reference)
    wb = openpyxl.load_workbook(out)
    clusters = wb["Cụm thi đua"]
    for row in range(4, 13):
        clusters.cell(row, 2).value = "Cụm 1" if clusters.cell(row, 4).value in ("842", "851") else "Cụm 2"
    criteria = wb["Tiêu chí"]
    criteria.append([1, "TC1", "Giảm tỷ lệ hộ nghèo", "poverty_rate_reduction_pp", 40, 4])
    criteria.append([2, "TC2", "Báo cáo đúng hạn", "reporting_on_time_pct", 10])
    targets = wb["Chỉ tiêu"]
    targets["D3"], targets["E3"] = "TC1", "TC2"
    for row in range(4, 13):
        targets.cell(row, 4).value, targets.cell(row, 5).value = 1.5, 100
    wb["Tham số"]["B4"] = 2
    wb["Đã xác minh"].append(["Huyện Cầu Kè", None, "stock_decreased", "đã kiểm tra"])
    wb.save(out)
    plan = parse(out, reference)
    assert plan.issues == [] and plan.status == "accepted"
    assert len(plan.tables["plan_clusters"]) == 9 and len(plan.tables["plan_targets"]) == 18
    assert {r["target"] for r in plan.tables["plan_targets"]} == {1.5, 100}
    params = {r["key"]: (r["value"], r["is_default"]) for r in plan.tables["plan_parameters"]}
    assert params["late_report_penalty"] == (2, False) and params["missing_report_penalty"] == (5, False)
    assert [(r["unit_code"], r["flag_code"]) for r in plan.tables["plan_cleared_flags"]] == [("845", "stock_decreased")]


def test_template_arguments(tmp_path, capsys):
    from pipelines.cli import main

    assert main(["template", "--family", "emulation_plan", "--period", "Quý I/2024",
                 "--out", str(tmp_path / "a.xlsx")]) == 3
    assert main(["template", "--family", "emulation_plan", "--period", "2025", "--province", "Trà Vinh",
                 "--out", str(tmp_path / "b.xlsx")]) == 3  # from 2025: Tỉnh Vĩnh Long
    assert main(["template", "--family", "emulation_plan", "--period", "2024", "--province", "Atlantis",
                 "--out", str(tmp_path / "c.xlsx")]) == 3
    assert main(["template", "--family", "poverty", "--period", "2023", "--out", str(tmp_path / "d.xlsx")]) == 3
    assert "--district" in capsys.readouterr().err


def test_sheets_are_recognised_without_diacritics(tmp_path, reference):
    from workbooks import write_workbook

    path = write_workbook(tmp_path / "plan.xlsx", INFO, {"CUM THI DUA": CLUSTERS, "tieu chi": CRITERIA,
                                                         "Chi Tieu": TARGETS})
    plan = parse(path, reference)
    assert (plan.family, plan.sheet, plan.status) == (PLAN_FAMILY, "CUM THI DUA", "accepted"), plan.issues
    assert len(plan.tables["plan_targets"]) == 27


def test_a_plan_sheet_beyond_the_limits_is_not_loaded(tmp_path, reference):
    from pipelines.parsing.results import Limits

    path = plan_file(tmp_path)
    (plan,) = parse_file(path, path.name, reference, today=TODAY, limits=Limits(max_rows=8))
    assert plan.status == "rejected" and "sheet_too_large" in rules(plan)
    assert all(rows == [] for rows in plan.tables.values())


def test_a_plan_sheet_with_a_stray_cell_far_out_is_not_loaded(tmp_path, reference):
    """The plan goes through the same container guard as reports: one cell at XFD3000 makes the used range
    3,000 × 16,384 cells, which is refused from the sheet XML instead of being allocated."""
    path = plan_file(tmp_path)
    book = openpyxl.load_workbook(path)
    book["Chỉ tiêu"]["XFD3000"] = "x"
    book.save(path)
    plan = parse(path, reference)
    assert plan.rejected
    too_large = [i for i in plan.issues if i.rule == "sheet_too_large"]
    assert len(too_large) == 1 and "A1:XFD3000" in too_large[0].message
