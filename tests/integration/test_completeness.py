"""Reporting completeness and timeliness: each expected report on time, late or missing; reporting rates; the
overdue-report check naming the districts."""

import shutil

import openpyxl
import pytest

from helpers import SAMPLE_INBOX, query, refreshed
from pipelines.defs.publish import overdue_reports


def _set_info(path, **values):
    """Set keys of the 'Thông tin' sheet ('Ngày lập', 'Kỳ báo cáo': give them as ngay_lap=, ky_bao_cao=)."""
    keys = {"ngay_lap": "Ngày lập", "ky_bao_cao": "Kỳ báo cáo"}
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Thông tin"]
    for row in sheet.iter_rows():
        for key, text in values.items():
            if row[0].value == keys[key]:
                row[1].value = text
    workbook.save(path)


# the calendar (seeds/reference/reporting_calendar.csv) of the districts: poverty and savings 2021-2024,
# infrastructure 2022-Q1 to 2025-Q2; the sample has every one of them (later periods are the new communes')
EXPECTED_PER_DISTRICT = 4 + 4 + 14
NOT_SENT_IN_THE_SAMPLE = 0
NEW_UNIT_PERIODS = 1 + 1 + 5  # poverty and savings 2025, infrastructure 2025-Q3 to 2026-Q3: the new communes
LATE_IN_THE_SAMPLE = ("infrastructure", "2023-Q2", "850")  # 850_h-duyen-hai_2023-Q2.xlsx, made 18/07/2023


@pytest.fixture(scope="module")
def partial(tmp_path_factory):
    """Cầu Kè (845) never sent its 2023 annual workbook; Tiểu Cần (846) made its 2023-Q4 report late;
    Châu Thành (847) sent a 2021-Q4 report, a period the calendar does not list, and a 2025-Q3 report, after
    the districts were dissolved."""
    root = tmp_path_factory.mktemp("partial")
    inbox = root / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    (inbox / "845_cau-ke_2023.xlsx").unlink()
    _set_info(inbox / "846_tieu-can_2023-Q4.xlsx", ngay_lap="25/01/2024")  # due 10/01/2024
    shutil.copy(inbox / "847_chau-thanh_2022-Q1.xlsx", inbox / "847_chau-thanh_2021-Q4.xlsx")
    _set_info(inbox / "847_chau-thanh_2021-Q4.xlsx", ngay_lap="06/01/2022", ky_bao_cao="Quý IV/2021")
    shutil.copy(inbox / "847_chau-thanh_2023-Q4.xlsx", inbox / "847_chau-thanh_2025-Q3.xlsx")
    _set_info(inbox / "847_chau-thanh_2025-Q3.xlsx", ngay_lap="06/10/2025", ky_bao_cao="Quý III/2025")
    with refreshed(inbox, root / "emulation.duckdb") as con:
        yield con


def test_each_expected_report_is_on_time_late_or_missing(partial):
    rows = dict(((f, p, d), s) for f, p, d, s in query(partial, """
        SELECT family, period, district_code, status FROM marts.mart_reporting_completeness
        WHERE unit_level = 'district'"""))
    assert len(rows) == 9 * EXPECTED_PER_DISTRICT
    # after 1 July 2025 the calendar expects the 41 new communes of the former Trà Vinh (no district)
    communes = query(partial, """SELECT count(*), count(DISTINCT unit_code), count(district_code)
                                 FROM marts.mart_reporting_completeness WHERE unit_level = 'commune'""")
    assert communes == [(41 * NEW_UNIT_PERIODS, 41, 0)]
    assert rows[("poverty", "2023", "845")] == "missing"
    assert rows[("savings", "2023", "845")] == "missing"
    assert rows[("infrastructure", "2023-Q4", "846")] == "late"
    assert rows[LATE_IN_THE_SAMPLE] == "late"
    assert sum(1 for s in rows.values() if s == "missing") == NOT_SENT_IN_THE_SAMPLE + 2
    assert sum(1 for s in rows.values() if s == "on_time") == 9 * EXPECTED_PER_DISTRICT - NOT_SENT_IN_THE_SAMPLE - 4
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

    overdue = overdue_reports(partial, dt.date(2024, 3, 1))  # before 2024-Q1 is due (10/04/2024)
    assert [(f, p, d) for f, p, _, d in overdue] == [("poverty", "2023", "Huyện Cầu Kè"),
                                                    ("savings", "2023", "Huyện Cầu Kè")]


def test_periods_the_sample_never_sent_are_overdue_now(partial):
    """The calendar runs to the present and so does the sample: of the districts' periods (to 2025-Q2), only
    what Cầu Kè did not send here is overdue; the check `no_overdue_reports` warns about it."""
    import datetime as dt

    overdue = overdue_reports(partial, dt.date(2026, 12, 1))
    periods = [(f, p, districts) for f, p, _, districts in overdue if p < "2025"]
    assert periods == [("poverty", "2023", "Huyện Cầu Kè"), ("savings", "2023", "Huyện Cầu Kè")]


def test_report_for_a_period_not_in_the_calendar_is_a_warning_and_no_completeness_row(partial):
    (status,) = query(partial, """SELECT status FROM marts.mart_report_submissions
                                  WHERE file_name = '847_chau-thanh_2021-Q4.xlsx'""")[0]
    assert status == "accepted"
    (rule, severity, message) = query(partial, """SELECT rule, severity, message FROM marts.mart_report_issues
                                                  WHERE file_name = '847_chau-thanh_2021-Q4.xlsx'
                                                    AND rule = 'period_not_in_calendar'""")[0]
    assert (rule, severity) == ("period_not_in_calendar", "warning")
    assert "2021-Q4" in message and "lịch báo cáo" in message
    assert query(partial, """SELECT count(*) FROM marts.mart_reporting_completeness
                             WHERE period = '2021-Q4'""") == [(0,)]


def test_a_district_report_after_the_reorganisation_is_refused_naming_the_new_units(partial):
    (status,) = query(partial, """SELECT status FROM marts.mart_report_submissions
                                  WHERE file_name = '847_chau-thanh_2025-Q3.xlsx'""")[0]
    assert status == "rejected"
    ((message,),) = query(partial, """SELECT message FROM marts.mart_report_issues
                                      WHERE file_name = '847_chau-thanh_2025-Q3.xlsx'
                                        AND rule = 'unit_not_valid_for_period'""")
    assert "Huyện Châu Thành" in message and "Tỉnh Vĩnh Long" in message
    assert "Xã Châu Thành (mã 29374)" in message  # one of the new communes Châu Thành's communes became
    # the new communes' 2025-Q3 completeness is untouched by the refused report
    assert query(partial, """SELECT status, count(*) FROM marts.mart_reporting_completeness
                             WHERE period = '2025-Q3' GROUP BY ALL""") == [("on_time", 41)]
