"""Parsing district reports: values, row numbers, rules."""

import datetime as dt
from pathlib import Path

import pytest

from helpers import SAMPLE_INBOX
from pipelines.parsing.files import parse_file
from workbooks import CANG_LONG_INFO, poverty_sheet, write_workbook

TODAY = dt.date(2026, 11, 27)


def parse(path: Path, reference):
    return parse_file(path, path.name, reference, today=TODAY)


def rules(report):
    return [(i.rule, i.row_number, i.column_name) for i in report.issues]


def test_sample_workbook_holds_two_reports(reference):
    reports = parse(SAMPLE_INBOX / "844_cang-long_2022.xlsx", reference)
    assert [(r.family, r.sheet, r.period.code, r.district.code, r.status) for r in reports] == [
        ("poverty", "Giảm nghèo", "2022", "844", "accepted"), ("savings", "Tiết kiệm", "2022", "844", "accepted")]
    poverty = reports[0]
    assert len(poverty.rows) == 14  # every commune of Càng Long
    assert dt.date(2023, 1, 5) <= poverty.report_date <= dt.date(2023, 1, 12)
    assert poverty.rows[0]["row_number"] == 5  # header on row 4, data from row 5
    assert sum(r["poor_households"] for r in poverty.rows) == 414
    assert poverty.issues == []


def test_header_below_title_rows_and_excel_row_numbers(tmp_path, reference):
    path = write_workbook(tmp_path / "a.xlsx", CANG_LONG_INFO, {"Giảm nghèo": poverty_sheet([
        [1, "Xã Đại Phúc", None, "2.500", 30, 40],
        [2, "Thị trấn Càng Long", "29266", 4803.0, "12", "-"],
        ["", "Tổng cộng", "", 7303, 42, 40],
        [], ["", "Người lập biểu"],
    ], title_rows=3)})
    (report,) = parse(path, reference)
    assert report.status == "accepted", report.issues
    assert [(r["row_number"], r["commune_code"], r["total_households"], r["poor_households"],
             r["near_poor_households"]) for r in report.rows] == [(5, "29293", 2500, 30, 40), (6, "29266", 4803, 12, 0)]
    assert ("commune_missing", None, None) in rules(report)


def test_poor_greater_than_total_is_rejected_with_row_and_column(tmp_path, reference):
    path = write_workbook(tmp_path / "b.xlsx", CANG_LONG_INFO, {"Giảm nghèo": poverty_sheet([
        [1, "Đại Phúc", None, 100, 130, 10], [2, "Mỹ Cẩm", None, 100, 5, "abc"]])})
    (report,) = parse(path, reference)
    assert report.status == "rejected"
    assert ("poor_exceeds_total", 4, "Số hộ nghèo") in rules(report)
    assert ("value_not_number", 5, "Số hộ cận nghèo") in rules(report)


def test_ambiguous_commune_names_both_candidates(tmp_path, reference):
    info = {"Mã đơn vị": "849", "Kỳ báo cáo": "2022"}
    path = write_workbook(tmp_path / "c.xlsx", info, {"Giảm nghèo": poverty_sheet([[1, "Định An", None, 10, 1, 1]])})
    (report,) = parse(path, reference)
    (found,) = [i for i in report.issues if i.rule == "commune_ambiguous"]
    assert "29462" in found.message and "29494" in found.message and found.row_number == 4


def test_ambiguous_district_is_an_error_naming_both(tmp_path, reference):
    path = write_workbook(tmp_path / "d.xlsx", {"Đơn vị": "Duyên Hải", "Kỳ báo cáo": "2022"},
                          {"Giảm nghèo": poverty_sheet([[1, "Long Toàn", None, 10, 1, 1]])})
    (report,) = parse(path, reference)
    (found,) = [i for i in report.issues if i.rule == "district_ambiguous"]
    assert "850" in found.message and "851" in found.message


def test_number_cell_with_three_decimals_is_not_thousands(tmp_path, reference):
    info = {"Đơn vị": "TP. Trà Vinh", "Kỳ báo cáo": "Quý IV/2022"}
    header = ["Tên xã", "Đường GTNT xây mới, nâng cấp (km)", "Vốn đầu tư (tỷ đồng)", "Nhân dân đóng góp"]
    path = write_workbook(tmp_path / "e.xlsx", info, {"Hạ tầng": [
        header, ["P.1", 4.803, "1,5", 100], ["Phường 3", "4.803", 2, "-"]]})
    (report,) = parse(path, reference)
    assert report.status == "accepted", report.issues
    assert [(r["commune_code"], r["rural_road_km"], r["investment_vnd"], r["people_contribution_vnd"])
            for r in report.rows] == [("29239", 4.803, 1_500_000_000, 100_000_000), ("29242", 4803.0, 2_000_000_000, 0)]
    assert ("money_unit_missing", 1, "Nhân dân đóng góp") in rules(report)


def test_wrong_period_type_and_future_period(tmp_path, reference):
    quarter = write_workbook(tmp_path / "f.xlsx", {"Mã đơn vị": "844", "Kỳ báo cáo": "Quý 1/2022"},
                             {"Giảm nghèo": poverty_sheet([[1, "Đại Phúc", None, 10, 1, 1]])})
    assert "period_wrong_type" in [i.rule for i in parse(quarter, reference)[0].issues]
    future = write_workbook(tmp_path / "g.xlsx", {"Mã đơn vị": "844", "Kỳ báo cáo": "Năm 2027"},
                            {"Giảm nghèo": poverty_sheet([[1, "Đại Phúc", None, 10, 1, 1]])})
    assert "period_in_future" in [i.rule for i in parse(future, reference)[0].issues]


def test_total_row_mismatch_is_a_warning(tmp_path, reference):
    path = write_workbook(tmp_path / "h.xlsx", CANG_LONG_INFO, {"Giảm nghèo": poverty_sheet([
        [1, "Đại Phúc", None, 100, 10, 5], ["", "Tổng cộng", "", 101, 10, 5]])})
    (report,) = parse(path, reference)
    assert report.status == "accepted"
    assert ("total_row_mismatch", 5, "Tổng số hộ") in rules(report)


def test_not_a_workbook(tmp_path, reference):
    path = tmp_path / "note.xlsx"
    path.write_text("this is not a workbook")
    (report,) = parse(path, reference)
    assert report.status == "rejected" and rules(report) == [("file_unreadable", None, None)]


@pytest.mark.parametrize("encoding, sep, bom", [("utf-8", ",", False), ("utf-8", ";", True), ("cp1258", ";", False)])
def test_long_csv(tmp_path, reference, encoding, sep, bom):
    lines = ["district_code,period,family,item,indicator,value",
             "844,2022,poverty,29293,total_households,2500",
             "844,2022,poverty,29293,poor_households,30",
             "844,2022,poverty,29293,near_poor_households,40",
             "844,2022,savings,regular_spending,planned_savings_vnd,1500000000",
             "844,2022,savings,regular_spending,achieved_savings_vnd,1450000000.5"]
    text = "\n".join(line.replace(",", sep) for line in lines) + "\n"
    data = ("\ufeff" if bom else "") + text
    path = tmp_path / "report.csv"
    path.write_bytes(data.encode(encoding) if encoding != "utf-8" or not bom else data.encode("utf-8"))
    reports = parse(path, reference)
    assert [(r.family, r.status) for r in reports] == [("poverty", "accepted"), ("savings", "accepted")]
    assert reports[0].rows[0]["total_households"] == 2500 and reports[0].rows[0]["row_number"] == 2
    assert reports[1].rows[0]["achieved_savings_vnd"] == 1_450_000_000


def test_every_rule_has_a_test():
    """Each rule of the catalogue is asserted by some test (the outlier rule is checked in dbt)."""
    from pipelines.parsing.rules import RULES

    tests = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.parent.rglob("test_*.py"))
    assert [code for code in RULES if f'"{code}"' not in tests and code != "outlier"] == []


def test_all_problems_of_a_report_are_listed_at_once(tmp_path, reference):
    path = write_workbook(tmp_path / "m.xlsx", CANG_LONG_INFO, {"Giảm nghèo": poverty_sheet([
        [1, "Đại Phúc", None, 100, 130, 10], [2, "Mỹ Cẩm", None, 100, -5, "abc"], [3, "Xã Bình Minh", None, 1, 1, 1],
        [4, "Đại Phúc", None, 10, 1, 1]])})
    (report,) = parse(path, reference)
    assert rules(report) == [("poor_exceeds_total", 4, "Số hộ nghèo"), ("value_negative", 5, "Số hộ nghèo"),
                             ("value_not_number", 5, "Số hộ cận nghèo"), ("commune_unknown", 6, "Xã, phường, thị trấn"),
                             ("commune_duplicate", 7, "Xã, phường, thị trấn"), ("commune_missing", None, None)]


def test_unexpected_failure_is_a_refusal_not_a_crash(tmp_path, reference, monkeypatch):
    """Whatever goes wrong inside the parser, the file is refused with a message and the run goes on."""
    import pipelines.parsing.workbook as workbook

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(workbook, "read_rows", broken)
    path = write_workbook(tmp_path / "a.xlsx", CANG_LONG_INFO,
                          {"Giảm nghèo": poverty_sheet([[1, "Đại Phúc", None, 1, 1, 1]])})
    (report,) = parse(path, reference)
    assert rules(report) == [("file_unreadable", None, None)] and "boom" in report.issues[0].message


@pytest.mark.parametrize("period, family, sheet_rows", [
    ("Năm 2020", "Giảm nghèo", poverty_sheet([[1, "Xã Đại Phúc", None, 100, 5, 10]])),
    ("Quý III/2021", "Hạ tầng", None),
])
def test_period_not_in_the_calendar_is_a_warning(tmp_path, reference, period, family, sheet_rows):
    """2020 (poverty) and 2021-Q3 (infrastructure) are not in the calendar: accepted, with no due date."""
    if sheet_rows is None:
        sheet_rows = [["STT", "Xã, phường, thị trấn", "Mã xã", "Đường GTNT xây mới, nâng cấp (km)",
                       "Vốn đầu tư (triệu đồng)", "Đạt chuẩn NTM", "Sản phẩm OCOP (lũy kế)"],
                      [1, "Xã Đại Phúc", None, 1.5, 100, "x", 3]]
    path = write_workbook(tmp_path / "p.xlsx", {"Mã đơn vị": "844", "Kỳ báo cáo": period, "Ngày lập": "05/01/2026"},
                          {family: sheet_rows})
    (report,) = parse(path, reference)
    assert report.status == "accepted", report.issues
    assert ("period_not_in_calendar", None, None) in rules(report)
    assert not any(i.rule == "report_late" for i in report.issues)
    (message,) = [i.message for i in report.issues if i.rule == "period_not_in_calendar"]
    assert report.period.code in message and "tỉnh Trà Vinh" in message and "lịch báo cáo" in message


def test_dbt_knows_the_same_report_families_as_the_parser():
    """dbt's accepted family values (var report_families) are the parser's FAMILIES, in the same order."""
    import yaml

    from pipelines.parsing.families import FAMILIES
    from pipelines.settings import DBT_PROJECT_DIR

    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    assert project["vars"]["report_families"] == list(FAMILIES)
    # the emulation plan is listed among the submissions but is not a report family
    from pipelines.parsing.plan_spec import PLAN_FAMILY

    assert project["vars"]["document_families"] == [PLAN_FAMILY] and PLAN_FAMILY not in FAMILIES


def test_a_section_heading_under_the_header_is_not_a_second_header_row(tmp_path, reference):
    """'I | Khu vực thị trấn' right under a one-row header is a heading of the data, not sub-labels."""
    path = write_workbook(tmp_path / "h.xlsx", CANG_LONG_INFO, {"Giảm nghèo": poverty_sheet([
        ["I", "Khu vực thị trấn"],
        [1, "Thị trấn Càng Long", "29266", 4803, 12, 0],
        ["II", "Khu vực nông thôn"],
        [2, "Xã Đại Phúc", None, 2500, 30, 40],
    ])})
    (report,) = parse(path, reference)
    assert report.status == "accepted", report.issues
    assert [(r["row_number"], r["commune_code"]) for r in report.rows] == [(5, "29266"), (7, "29293")]


def test_a_subtotal_row_does_not_end_the_table(tmp_path, reference):
    path = write_workbook(tmp_path / "s.xlsx", CANG_LONG_INFO, {"Giảm nghèo": poverty_sheet([
        [1, "Thị trấn Càng Long", "29266", 4803, 12, 0],
        ["", "Cộng", "", 4803, 12, 0],
        [2, "Xã Đại Phúc", None, 2500, 30, 40],
        ["", "Tổng", "", 7000, 42, 40],  # only the last total row is checked: 7.303 households
        [], ["", "Người lập biểu"],
    ])})
    (report,) = parse(path, reference)
    assert [r["commune_code"] for r in report.rows] == ["29266", "29293"]
    assert ("total_row_mismatch", 7, "Tổng số hộ") in rules(report)
    assert [i.rule for i in report.issues].count("total_row_mismatch") == 1
