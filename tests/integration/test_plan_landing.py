"""Issue 13 item 1 end to end: the sample plus emulation plans in one inbox. The plans land in raw.plan_*, a later
plan (later Ngày lập) supersedes the earlier, a broken plan is rejected and listed with its issues, and the
reports are unaffected."""

import shutil

import pytest

from helpers import SAMPLE_INBOX, query, refreshed
from plan_workbooks import CLUSTERS, INFO, plan_file


@pytest.fixture(scope="module")
def plan_warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("plan_inbox")
    inbox = root / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    plans = inbox / "ke-hoach"
    plans.mkdir()
    first = {**INFO, "Kỳ báo cáo": "Năm 2023", "Ngày lập": "10/01/2023"}
    plan_file(plans, "ke_hoach_2023.xlsx", info=first)
    plan_file(plans, "ke_hoach_2023_sua.xlsx", info={**first, "Ngày lập": "20/01/2023"},
              parameters=[["Tham số", "Giá trị"], ["Số Bằng khen mỗi cụm", 3]])
    plan_file(plans, "ke_hoach_2022_loi.xlsx", info={**first, "Kỳ báo cáo": "Năm 2022"},
              clusters=CLUSTERS + [[99, "Cụm 2", "Thành phố Trà Vinh", "842"]])
    with refreshed(inbox, root / "emulation.duckdb") as con:
        yield con


def test_plans_are_submissions_resolved_like_reports(plan_warehouse):
    rows = query(plan_warehouse, """SELECT file_name, sheet, period, district_code, status, errors, row_count
                                    FROM marts.mart_report_submissions WHERE family = 'emulation_plan'
                                    ORDER BY file_name""")
    assert rows == [
        ("84_ke-hoach-thi-dua_2022.xlsx", "Cụm thi đua", "2022", "84", "accepted", 0, 9 + 6 + 54 + 7),
        # the sample's 2023 plan (Ngày lập 13/01/2023) is superseded by the later one (20/01/2023)
        ("84_ke-hoach-thi-dua_2023.xlsx", "Cụm thi đua", "2023", "84", "superseded", 0, 9 + 7 + 63 + 7),
        # 2025: Tỉnh Vĩnh Long's plan on its 41 communes of the former Trà Vinh
        ("86_ke-hoach-thi-dua_2025.xlsx", "Cụm thi đua", "2025", "86", "accepted", 0, 41 + 7 + 41 * 7 + 7),
        ("ke-hoach/ke_hoach_2022_loi.xlsx", "Cụm thi đua", "2022", "84", "rejected", 1, 0),
        ("ke-hoach/ke_hoach_2023.xlsx", "Cụm thi đua", "2023", "84", "superseded", 0, 9 + 3 + 27 + 7),
        ("ke-hoach/ke_hoach_2023_sua.xlsx", "Cụm thi đua", "2023", "84", "accepted", 0, 9 + 3 + 27 + 7),
    ]


def test_the_plan_tables_land_with_lineage(plan_warehouse):
    (report_id,) = query(plan_warehouse, """SELECT report_id FROM marts.mart_report_submissions
                                            WHERE family = 'emulation_plan' AND in_force AND period = '2023'""")[0]
    clusters = query(plan_warehouse, """SELECT cluster, count(*) FROM raw.plan_clusters WHERE report_id = ?
                                        GROUP BY cluster ORDER BY cluster""", [report_id])
    assert clusters == [("Cụm 1", 2), ("Cụm 2", 7)]
    assert query(plan_warehouse, """SELECT file_name, sheet, row_number, province_code, year FROM raw.plan_clusters
                                    WHERE report_id = ? AND unit_code = '842'""", [report_id]) == [
        ("ke-hoach/ke_hoach_2023_sua.xlsx", "Cụm thi đua", 4, "84", 2023)]
    assert query(plan_warehouse, """SELECT criterion_code, indicator, max_points, "order" FROM raw.plan_criteria
                                    WHERE report_id = ? ORDER BY "order" """, [report_id]) == [
        ("TC1", "poverty_rate_reduction_pp", 40, 1), ("TC2", "ntm_communes_new", 30, 2),
        ("TC3", "reporting_on_time_pct", 12.5, 3)]
    assert query(plan_warehouse, """SELECT target FROM raw.plan_targets WHERE report_id = ? AND unit_code = '842'
                                    ORDER BY criterion_code""", [report_id]) == [(0.5,), (None,), (100,)]
    assert query(plan_warehouse, """SELECT value, is_default FROM raw.plan_parameters
                                    WHERE report_id = ? AND key = 'merits_per_cluster'""", [report_id]) == [(3, False)]
    # only plans the ingest accepted land rows (the sample's three and the test's two); the rejected one lands none
    assert query(plan_warehouse, "SELECT count(DISTINCT report_id), count(*) FROM raw.plan_clusters") == [
        (5, 36 + 41)]
    assert query(plan_warehouse, "SELECT count(*) FROM raw.plan_cleared_flags") == [(0,)]


def test_the_broken_plan_is_listed_with_its_issues(plan_warehouse):
    issues = query(plan_warehouse, """SELECT family, rule, row_number, column_name, report_status, message
                                      FROM marts.mart_report_issues
                                      WHERE file_name = 'ke-hoach/ke_hoach_2022_loi.xlsx'""")
    assert [i[:5] for i in issues] == [("emulation_plan", "plan_unit_in_two_clusters", 13, "Cụm thi đua",
                                        "rejected")]
    assert "Thành phố Trà Vinh" in issues[0][5] and "'Cụm 1' (dòng 4)" in issues[0][5]


def test_the_reports_are_unaffected(plan_warehouse):
    counts = dict(query(plan_warehouse, """SELECT status, count(*) FROM marts.mart_report_submissions
                                           WHERE family <> 'emulation_plan' AND district_code IS NOT NULL
                                           GROUP BY status"""))  # the districts' reports (to 2025-Q2)
    assert counts == {"accepted": 198, "superseded": 1, "rejected": 1}
    assert query(plan_warehouse, """SELECT year, poor_households FROM marts.mart_poverty
                                    WHERE unit_code = '84' AND unit_level = 'province' ORDER BY year""") == [
        (2021, 10_207), (2022, 5_404), (2023, 3_440), (2024, 2_310)]
