"""Issues 10.1 and 10.8, the pure parts: the removal guard's comparison, odd inbox entries (links, FIFOs, files
that vanish), too-large files judged by size first, the serving status file, a summary of a year without
households."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest

from helpers import REFERENCE, SAMPLE_INBOX
from pipelines.parsing import files
from pipelines.parsing.inbox import inbox_files, parse_inbox
from pipelines.storage.removals import (LostFile, RemovalRefused, allowed_by_tag, check_removals, lost_reports,
                                        removal_message)
from pipelines.storage.state import fingerprint

SAMPLE_FILE = "844_cang-long_2022.xlsx"


# ------------------------------------------------------------------------------------------------ removal guard

def test_lost_reports_compares_names_and_content():
    in_force = {"a.xlsx": ("sha-a", 3), "b.xlsx": ("sha-b", 1), "c.xlsx": ("sha-c", 2)}
    # a.xlsx unchanged, b.xlsx renamed (same content elsewhere), c.xlsx gone
    assert lost_reports(in_force, {"a.xlsx": "sha-a", "b (renamed).xlsx": "sha-b"}) == [LostFile("c.xlsx", 2)]
    # the same name with new content is a correction, not a removal
    assert lost_reports(in_force, {"a.xlsx": "x", "b.xlsx": "y", "c.xlsx": "z"}) == []
    assert lost_reports(in_force, {}) == [LostFile("a.xlsx", 3), LostFile("b.xlsx", 1), LostFile("c.xlsx", 2)]
    assert lost_reports({}, {}) == []


def test_removal_message_names_count_files_and_the_way_out(tmp_path):
    lost = [LostFile(f"f{i:02}.xlsx", 2) for i in range(12)]
    message = removal_message(lost, tmp_path)
    assert "24 report(s) in force" in message and "12 file(s)" in message
    assert "f00.xlsx" in message and "f09.xlsx" in message and "f10.xlsx" not in message and "… (2 more)" in message
    assert "--allow-removals" in message and "emulation/allow_removals=true" in message and str(tmp_path) in message


def test_check_removals_refuses_unless_allowed(tmp_path):
    published = tmp_path / "emulation.duckdb"
    con = duckdb.connect(str(published))
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE TABLE marts.mart_report_submissions AS SELECT * FROM (VALUES "
                "('a.xlsx', 'sha-a', 'accepted', true), ('a.xlsx', 'sha-a', 'accepted', true), "
                "('r.xlsx', 'sha-r', 'rejected', false), ('s.xlsx', 'sha-s', 'superseded', false), "
                "('p.xlsx', 'sha-p', 'partially_superseded', true)) t(file_name, sha256, status, in_force)")
    con.close()
    with pytest.raises(RemovalRefused) as refused:
        check_removals(published, tmp_path, {}, allow=False)
    # rejected and superseded reports are not in force; a partially superseded one still has rows in force
    assert refused.value.lost == [LostFile("a.xlsx", 2), LostFile("p.xlsx", 1)]
    assert check_removals(published, tmp_path, {}, allow=True) == [LostFile("a.xlsx", 2), LostFile("p.xlsx", 1)]
    assert check_removals(published, tmp_path, {"a.xlsx": "sha-a", "p.xlsx": "sha-p"}, allow=False) == []
    assert check_removals(tmp_path / "none.duckdb", tmp_path, {}, allow=False) == []  # nothing published yet


def test_allow_removals_tag_and_flag():
    assert allowed_by_tag({"emulation/allow_removals": "true"}) and allowed_by_tag({"emulation/allow_removals": "1"})
    assert not allowed_by_tag({}) and not allowed_by_tag(None) and not allowed_by_tag({"emulation/allow_removals": "no"})
    from pipelines.cli import build_parser

    assert build_parser().parse_args(["refresh", "--allow-removals"]).allow_removals is True
    assert build_parser().parse_args(["refresh"]).allow_removals is False


# ------------------------------------------------------------------------------------------------ odd entries

def test_fifo_and_symlink_are_listed_and_refused_with_a_reason(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy2(SAMPLE_INBOX / SAMPLE_FILE, inbox / SAMPLE_FILE)
    os.mkfifo(inbox / "pipe.xlsx")
    os.symlink(SAMPLE_INBOX / SAMPLE_FILE, inbox / "link.xlsx")
    assert [p.name for p in inbox_files(inbox)] == [SAMPLE_FILE, "link.xlsx", "pipe.xlsx"]
    state = fingerprint(inbox, REFERENCE, __import__("datetime").date(2024, 6, 1))  # never blocks on the FIFO
    assert set(state["inbox"]) == {SAMPLE_FILE, "link.xlsx", "pipe.xlsx"}
    reports = {r.file_name: r for r in parse_inbox(inbox, REFERENCE, hashes=state["inbox"])}
    assert reports[SAMPLE_FILE].status == "accepted"
    for name, reason in (("pipe.xlsx", "FIFO"), ("link.xlsx", "symlink")):
        (issue,) = reports[name].issues
        assert reports[name].status == "rejected" and issue.rule == "file_unreadable" and reason in issue.message


def test_file_vanishing_while_the_inbox_is_hashed(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copy2(SAMPLE_INBOX / SAMPLE_FILE, inbox / name)
    real = files.file_sha256

    def vanishing(path):  # b.xlsx is deleted between the listing and its hashing
        if path.name == "b.xlsx":
            path.unlink()
        return real(path)

    monkeypatch.setattr(files, "file_sha256", vanishing)
    state = fingerprint(inbox, REFERENCE, __import__("datetime").date(2024, 6, 1))
    assert set(state["inbox"]) == {"a.xlsx"}
    # gone after hashing, before parsing: a rejected report saying so, not a traceback
    monkeypatch.setattr(files, "file_sha256", real)
    (report,) = files.parse_file(inbox / "b.xlsx", "b.xlsx", None, sha256="0" * 64)
    assert report.status == "rejected" and "xoá" in report.issues[0].message


def test_too_large_file_is_judged_by_size_not_hashed_whole(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    junk = inbox / "junk.xlsx"
    with open(junk, "wb") as f:
        f.truncate(3 * 1024 ** 3)  # a sparse 3 GB file
    monkeypatch.setattr(files, "file_sha256", lambda path: pytest.fail(f"{path} hashed whole"))
    today = __import__("datetime").date(2024, 6, 1)
    first = fingerprint(inbox, REFERENCE, today)["inbox"]
    assert first == fingerprint(inbox, REFERENCE, today)["inbox"] and set(first) == {"junk.xlsx"}
    (report,) = parse_inbox(inbox, REFERENCE, hashes=first)
    assert report.issues[0].rule == "file_too_large" and report.sha256 == first["junk.xlsx"]


# ------------------------------------------------------------------------------------------------ serving, summary

def _tiny_warehouse(path, poverty_rows):
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts; CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw.refresh_state AS SELECT '{}' AS fingerprint, 0 AS files, "
                "TIMESTAMP '2024-06-01 10:00:00' AS built_at")
    con.execute("CREATE TABLE marts.mart_report_submissions (file_name VARCHAR, sheet VARCHAR, status VARCHAR)")
    con.execute("INSERT INTO marts.mart_report_submissions VALUES ('a.xlsx', 'Giảm nghèo', 'accepted')")
    con.execute("CREATE TABLE marts.mart_report_issues (file_name VARCHAR, sheet VARCHAR, severity VARCHAR, "
                "rule VARCHAR, message VARCHAR, row_number INTEGER)")
    con.execute("CREATE TABLE marts.mart_poverty (unit_level VARCHAR, year INTEGER, total_households BIGINT, "
                "poor_households BIGINT, poverty_rate_pct DOUBLE, near_poor_households BIGINT, "
                "near_poverty_rate_pct DOUBLE, poor_households_change BIGINT, poverty_rate_change_pp DOUBLE, "
                "units_reported BIGINT, units_expected BIGINT, complete BOOLEAN, unit_name VARCHAR, "
                "unit_code VARCHAR)")
    con.executemany("INSERT INTO marts.mart_poverty VALUES ('province', ?, ?, ?, ?, ?, ?, ?, ?, 9, 9, true, "
                    "'Tỉnh Trà Vinh', '84')", poverty_rows)
    con.execute("CREATE TABLE marts.mart_poverty_2025_units (unit_level VARCHAR, unit_name VARCHAR, year INTEGER, "
                "coverage_pct DOUBLE)")
    con.close()


def test_summary_of_a_year_without_households(tmp_path, capsys):
    from pipelines.cli.summary import main_summary

    published = tmp_path / "emulation.duckdb"
    _tiny_warehouse(published, [(2022, 0, 0, None, 0, None, None, None),
                                (2023, 100, 5, 5.0, 10, 10.0, 5, None)])
    assert main_summary(published) == 0
    out = capsys.readouterr().out
    assert "2022    9/9          0       0      -         0      -" in out and "2023    9/9        100" in out


def test_serving_status_says_which_output_is_out_of_step(tmp_path):
    from pipelines.cli.summary import summary_text
    from pipelines.serving.status import out_of_step, record_output, record_published

    published = tmp_path / "emulation.duckdb"
    _tiny_warehouse(published, [(2023, 100, 5, 5.0, 10, 10.0, None, None)])
    assert out_of_step(published) == []  # nothing recorded (a copied warehouse): nothing claimed
    record_published(published)
    assert [o for o, _ in out_of_step(published)] == ["parquet", "postgres"]
    record_output(published, "parquet")
    record_output(published, "postgres", enabled=False)
    assert out_of_step(published) == [] and "OUT OF STEP" not in summary_text(published)
    record_published(published)  # a new publish whose Parquet export fails
    record_output(published, "parquet", OSError("disk full"))
    record_output(published, "postgres", enabled=False)
    (problem,) = out_of_step(published)
    assert problem[0] == "parquet" and "disk full" in problem[1]
    assert "OUT OF STEP" in summary_text(published) and "disk full" in summary_text(published)
