"""Reporting completeness and timeliness: each expected report on time, late or missing; reporting rates; the
overdue-report check naming the districts."""

import shutil

import openpyxl
import pytest

from helpers import SAMPLE_INBOX, query, refreshed
from pipelines.defs.publish import overdue_reports


def _set_report_date(path, text):
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Thông tin"]
    for row in sheet.iter_rows():
        if row[0].value == "Ngày lập":
            row[1].value = text
    workbook.save(path)


@pytest.fixture(scope="module")
def partial(tmp_path_factory):
    """Cầu Kè (845) never sent its 2023 annual workbook; Tiểu Cần (846) made its 2023-Q4 report late."""
    root = tmp_path_factory.mktemp("partial")
    inbox = root / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    (inbox / "845_cau-ke_2023.xlsx").unlink()
    _set_report_date(inbox / "846_tieu-can_2023-Q4.xlsx", "25/01/2024")  # due 10/01/2024
    with refreshed(inbox, root / "emulation.duckdb") as con:
        yield con


def test_each_expected_report_is_on_time_late_or_missing(partial):
    rows = dict(((f, p, d), s) for f, p, d, s in query(partial, """
        SELECT family, period, district_code, status FROM marts.mart_reporting_completeness"""))
    assert len(rows) == 9 * 14
    assert rows[("poverty", "2023", "845")] == "missing"
    assert rows[("savings", "2023", "845")] == "missing"
    assert rows[("infrastructure", "2023-Q4", "846")] == "late"
    assert sum(1 for s in rows.values() if s == "on_time") == 9 * 14 - 3
    (due, received) = query(partial, """SELECT due_date::VARCHAR, file_name FROM marts.mart_reporting_completeness
                                        WHERE family = 'infrastructure' AND period = '2023-Q4'
                                          AND district_code = '846'""")[0]
    assert due == "2024-01-10" and received == "846_tieu-can_2023-Q4.xlsx"


def test_late_report_is_a_warning_on_an_accepted_report(partial):
    (status, rule) = query(partial, """SELECT s.status, i.rule FROM marts.mart_report_submissions s
        JOIN marts.mart_report_issues i USING (file_name, sheet)
        WHERE s.file_name = '846_tieu-can_2023-Q4.xlsx'""")[0]
    assert (status, rule) == ("accepted", "report_late")


def test_reporting_rates_for_district_and_province(partial):
    rows = {u: (e, r, o) for u, e, r, o in query(partial, """
        SELECT unit_code, expected_reports, reporting_rate_pct, on_time_rate_pct FROM marts.mart_reporting_rates
        WHERE family = 'poverty' AND period = '2023'""")}
    assert rows["845"] == (1, 0.0, 0.0)
    assert rows["84"] == (9, pytest.approx(88.89), pytest.approx(88.89))
    (province_q4,) = query(partial, """SELECT on_time_rate_pct FROM marts.mart_reporting_rates
        WHERE family = 'infrastructure' AND period = '2023-Q4' AND unit_code = '84'""")[0]
    assert province_q4 == pytest.approx(88.89)


def test_overdue_check_names_the_missing_district(partial):
    import datetime as dt

    overdue = overdue_reports(partial, dt.date(2024, 6, 1))
    assert [(f, p, d) for f, p, _, d in overdue] == [("poverty", "2023", "Huyện Cầu Kè"),
                                                    ("savings", "2023", "Huyện Cầu Kè")]
