"""`emulation refresh` end to end: rejected reports do not stop the others, resubmissions, failures, the lock."""

import hashlib
import shutil

import duckdb
import pytest

from helpers import REFERENCE, SAMPLE_INBOX, query, refreshed
from pipelines.cli.refresh import EXIT_BUSY, EXIT_FAILED, EXIT_USAGE, refresh
from pipelines.storage.publish import WarehousePaths
from workbooks import CORPUS, POVERTY_HEADER, corpus_module, write_cang_long_correction, write_workbook

TRA_CU_CORRECTION = "849_tra-cu_2023_dieu-chinh-2-xa.xlsx"



@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The sample plus: a file that is not a workbook, a corrected resubmission, an exact duplicate, a
    rejected resubmission and a correction of two communes (Trà Cú 2023)."""
    root = tmp_path_factory.mktemp("mixed")
    inbox = root / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    (inbox / "ghi chú của huyện.xlsx").write_text("not a workbook")
    write_cang_long_correction(inbox)  # Càng Long corrects 2022, later than the original
    shutil.copy(inbox / "845_cau-ke_2022.xlsx", inbox / "845 cau ke 2022 (copy).xlsx")
    shutil.copy(CORPUS / "corrections" / TRA_CU_CORRECTION, inbox / TRA_CU_CORRECTION)
    write_workbook(inbox / "846_tieu-can_2022_sua.xlsx",
                   {"Mã đơn vị": "846", "Kỳ báo cáo": "Năm 2022", "Ngày lập": "01/03/2023"},
                   {"Giảm nghèo": [POVERTY_HEADER, [1, "Tiểu Cần", None, 100, 500, 1]]})
    with refreshed(inbox, root / "emulation.duckdb") as con:
        yield con


def test_rejected_file_is_listed_and_others_go_on(mixed):
    (row,) = query(mixed, """SELECT status, errors FROM marts.mart_report_submissions
                             WHERE file_name = 'ghi chú của huyện.xlsx'""")
    assert row == ("rejected", 1)
    (issue,) = query(mixed, """SELECT rule, severity FROM marts.mart_report_issues
                               WHERE file_name = 'ghi chú của huyện.xlsx'""")
    assert issue == ("file_unreadable", "error")
    assert query(mixed, """SELECT count(*) FROM marts.mart_report_submissions
                             WHERE status = 'accepted' AND district_code IS NOT NULL""")[0][0] == 201


def test_later_resubmission_supersedes(mixed):
    statuses = dict(query(mixed, """SELECT file_name, status FROM marts.mart_report_submissions
                                    WHERE family = 'poverty' AND district_code = '844' AND period = '2022'"""))
    assert statuses == {"844_cang-long_2022.xlsx": "superseded", "844_cang-long_2022_bổ sung.xlsx": "accepted"}
    (row,) = query(mixed, """SELECT total_households, poor_households FROM marts.mart_poverty
                             WHERE unit_code = '844' AND year = 2022""")
    assert row == (14 * 3000, 14 * 10)


def test_a_two_commune_correction_replaces_only_those_two_rows(mixed, sample_db):
    """Corrections merge row by row (spec v2): Trà Cú's two-commune correction of 2023 replaces those two
    communes; the district's other 15 communes stay in force from the original report."""
    corrected = corpus_module().TRA_CU_CORRECTION
    codes = list(corrected)
    sql = "SELECT total_households, poor_households FROM marts.mart_poverty WHERE unit_code = '{}' AND year = 2023"
    before = query(sample_db, sql.format("849"))[0]
    original = query(sample_db, """SELECT sum(total_households), sum(poor_households) FROM raw.poverty_rows
                                   WHERE file_name = '849_tra-cu_2023.xlsx' AND commune_code IN (?, ?)""", codes)[0]
    new = (sum(v[1] for v in corrected.values()), sum(v[2] for v in corrected.values()))
    after = query(mixed, sql.format("849"))[0]
    assert after == (before[0] - original[0] + new[0], before[1] - original[1] + new[1])
    assert after[0] > 40_000  # not the two communes alone (7,000 households)
    province = query(mixed, sql.format("84"))[0]
    assert province[0] == query(sample_db, sql.format("84"))[0][0] - original[0] + new[0]
    versions = query(mixed, """SELECT file_name, status, row_count, rows_in_force, in_force, superseded_by_file_name
                               FROM marts.mart_report_submissions
                               WHERE family = 'poverty' AND district_code = '849' AND period = '2023'
                               ORDER BY file_name""")
    assert versions == [("849_tra-cu_2023.xlsx", "partially_superseded", 17, 15, True, TRA_CU_CORRECTION),
                        (TRA_CU_CORRECTION, "accepted", 2, 2, True, None),
                        ("849_tra-cu_2023_sua.xlsx", "rejected", 0, 0, False, None)]
    # a correction listing only the communes it fixes is a normal, small report: no commune_missing for it
    issues = query(mixed, "SELECT rule FROM marts.mart_report_issues WHERE file_name = ?", [TRA_CU_CORRECTION])
    assert issues == []
    assert query(mixed, "SELECT warnings FROM marts.mart_report_submissions WHERE file_name = ?",
                 [TRA_CU_CORRECTION]) == [(0,)]
    # the in-force rows: 15 from the original, 2 from the correction
    rows = dict(query(mixed, """SELECT file_name, count(*) FROM intermediate.int_poverty_rows
                                WHERE district_code = '849' AND period = '2023' GROUP BY ALL"""))
    assert rows == {"849_tra-cu_2023.xlsx": 15, TRA_CU_CORRECTION: 2}


def test_duplicate_changes_nothing(mixed, sample_db):
    statuses = dict(query(mixed, """SELECT file_name, status FROM marts.mart_report_submissions
                                    WHERE family = 'poverty' AND district_code = '845' AND period = '2022'"""))
    assert statuses == {"845_cau-ke_2022.xlsx": "accepted", "845 cau ke 2022 (copy).xlsx": "duplicate"}
    sql = "SELECT poor_households FROM marts.mart_poverty WHERE unit_code = '845' AND year = 2022"
    assert query(mixed, sql) == query(sample_db, sql)


def test_rejected_resubmission_replaces_nothing(mixed, sample_db):
    (row,) = query(mixed, """SELECT status FROM marts.mart_report_submissions
                             WHERE file_name = '846_tieu-can_2022_sua.xlsx'""")
    assert row == ("rejected",)
    (issue,) = query(mixed, """SELECT rule, row_number, column_name FROM marts.mart_report_issues
                               WHERE file_name = '846_tieu-can_2022_sua.xlsx' AND severity = 'error'""")
    assert issue == ("poor_exceeds_total", 2, "Số hộ nghèo")
    sql = "SELECT poor_households FROM marts.mart_poverty WHERE unit_code = '846' AND year = 2022"
    assert query(mixed, sql) == query(sample_db, sql)


def test_province_follows_the_corrected_district(mixed, sample_db):
    sql = "SELECT poor_households FROM marts.mart_poverty WHERE unit_code = '{}' AND year = 2022"
    old_844 = query(sample_db, sql.format("844"))[0][0]
    assert query(mixed, sql.format("84"))[0][0] == 5404 - old_844 + 140


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_failed_refresh_leaves_published_warehouse_untouched(tmp_path, sample_warehouse):
    published = tmp_path / "emulation.duckdb"
    shutil.copy(sample_warehouse, published)
    before = _digest(published)
    broken_reference = tmp_path / "reference"
    shutil.copytree(REFERENCE, broken_reference)
    (broken_reference / "reporting_calendar.csv").unlink()
    assert refresh(SAMPLE_INBOX, published, broken_reference) == EXIT_FAILED
    assert _digest(published) == before


def test_second_refresh_is_refused_while_one_runs(tmp_path):
    published = tmp_path / "emulation.duckdb"
    paths = WarehousePaths(published)
    paths.build_dir.mkdir()
    running_log = paths.build_dir / "refresh.log"
    running_log.write_text("the running refresh's dbt output\n")
    with paths.refresh_lock():
        assert refresh(SAMPLE_INBOX, published) == EXIT_BUSY
    assert not published.exists()
    # the refused refresh touched nothing of the running one: its log, its build area
    assert running_log.read_text() == "the running refresh's dbt output\n"


def test_missing_inbox_is_a_usage_error(tmp_path):
    assert refresh(tmp_path / "nowhere", tmp_path / "emulation.duckdb") == EXIT_USAGE


def test_outliers_flag_the_corrected_report(mixed):
    rows = query(mixed, """SELECT file_name, count(*) FROM marts.mart_report_issues
                           WHERE rule = 'outlier' GROUP BY ALL ORDER BY 1""")
    flagged = dict(rows)
    # the correction sets every commune to 3,000 households: far from 2021 and from 2023 for most communes
    assert set(flagged) == {"844_cang-long_2022_bổ sung.xlsx", "844_cang-long_2023.xlsx"}
    (warnings,) = query(mixed, """SELECT warnings FROM marts.mart_report_submissions
                                  WHERE file_name = '844_cang-long_2022_bổ sung.xlsx'""")[0]
    assert warnings >= flagged["844_cang-long_2022_bổ sung.xlsx"]
    (message, severity) = query(mixed, """SELECT message, severity FROM marts.mart_report_issues
                                          WHERE rule = 'outlier' ORDER BY file_name, row_number LIMIT 1""")[0]
    assert severity == "warning" and "kỳ trước" in message


def test_refresh_with_nothing_changed_is_a_no_op(tmp_path, sample_warehouse, sample_db, capsys):
    published = tmp_path / "emulation.duckdb"
    shutil.copy(sample_warehouse, published)
    before = _digest(published)
    assert refresh(SAMPLE_INBOX, published) == 0
    captured = capsys.readouterr()
    (accepted,) = query(sample_db, "SELECT count(*) FROM marts.mart_report_submissions WHERE status = 'accepted'")[0]
    assert "Nothing changed" in captured.err and f"{accepted} accepted" in captured.out
    assert _digest(published) == before


def test_changed_file_is_not_a_no_op(tmp_path, sample_warehouse):
    from pipelines.storage.state import fingerprint, published_state
    import datetime as dt

    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    stored = published_state(sample_warehouse)
    today = dt.date.fromisoformat(stored["today"])
    assert fingerprint(inbox, REFERENCE, today) == stored  # same content: recognised by hash, not by path/mtime
    (inbox / "844_cang-long_2022.xlsx").write_bytes(b"changed")
    assert fingerprint(inbox, REFERENCE, today) != stored
    assert fingerprint(SAMPLE_INBOX, REFERENCE, today + dt.timedelta(days=1)) != stored


def test_unchanged_files_are_not_read_again_and_the_result_equals_a_full_rebuild(tmp_path, sample_warehouse,
                                                                                  capsys):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)  # same names, content and modification times as the sample
    write_cang_long_correction(inbox)
    incremental = tmp_path / "incremental" / "emulation.duckdb"
    incremental.parent.mkdir()
    shutil.copy(sample_warehouse, incremental)
    assert refresh(inbox, incremental) == 0
    unchanged = sum(1 for _ in SAMPLE_INBOX.iterdir())  # every sample file; the correction is a new file
    assert unchanged == 216  # 213 report workbooks and the 2022, 2023 and 2025 plans
    assert f"1 files read, {unchanged} unchanged files taken from the published warehouse" in capsys.readouterr().err
    full = tmp_path / "full" / "emulation.duckdb"
    assert refresh(inbox, full) == 0
    assert f"{unchanged + 1} files read, 0 unchanged" in capsys.readouterr().err

    con = duckdb.connect(str(incremental), read_only=True)
    con.execute("ATTACH ? AS full_build (READ_ONLY)", [str(full)])
    for table in ("mart_poverty", "mart_infrastructure", "mart_savings", "mart_report_submissions",
                  "mart_report_issues", "mart_reporting_completeness"):
        only_one_side = con.execute(f"""SELECT count(*) FROM (
            (SELECT * FROM marts.{table} EXCEPT ALL SELECT * FROM full_build.marts.{table})
            UNION ALL
            (SELECT * FROM full_build.marts.{table} EXCEPT ALL SELECT * FROM marts.{table}))""").fetchone()[0]
        assert only_one_side == 0, table
    assert query(con, "SELECT poor_households FROM marts.mart_poverty WHERE unit_code = '844' AND year = 2022") \
        == [(140,)]
    con.close()


def test_refresh_log_is_plain_text(sample_warehouse):
    """dbt's output in refresh.log is read in an editor: node lines, no terminal colour codes."""
    log = (sample_warehouse.parent / ".build" / "refresh.log").read_text()
    assert "mart_poverty" in log
    assert "\x1b[" not in log
