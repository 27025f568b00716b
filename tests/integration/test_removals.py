"""Issue 10.1: an empty, half-synced or mis-mounted inbox never wipes the published warehouse.

A refresh that would drop reports in force because their files left the inbox is refused (exit 1, the
published file byte-identical, the message names how many reports, which files and how to proceed), unless
removals are allowed explicitly (`--allow-removals`)."""

import hashlib
import shutil

import duckdb
import pytest

from helpers import SAMPLE_INBOX, query
from pipelines.cli.refresh import EXIT_FAILED, EXIT_OK, refresh

GONE = "844_cang-long_2022.xlsx"


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def published(tmp_path, sample_warehouse):
    path = tmp_path / "warehouse" / "emulation.duckdb"
    path.parent.mkdir()
    shutil.copy(sample_warehouse, path)
    return path


@pytest.fixture
def inbox_without_one(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    (inbox / GONE).unlink()
    return inbox


def test_empty_inbox_is_refused_and_the_warehouse_untouched(tmp_path, published, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    before = _digest(published)
    assert refresh(empty, published) == EXIT_FAILED
    err = capsys.readouterr().err
    assert _digest(published) == before
    con = duckdb.connect(str(published), read_only=True)
    try:
        ((reports, files, first),) = query(con, "SELECT count(*), count(DISTINCT file_name), min(file_name) "
                                                "FROM marts.mart_report_submissions "
                                                "WHERE status IN ('accepted', 'partially_superseded')")
    finally:
        con.close()
    assert reports > 100 and files > 90
    assert f"refusing to remove {reports} report(s) in force: {files} file(s)" in err
    assert first == "29242_phuong-tra-vinh_2025-Q3.xlsx"  # the list is sorted by file name
    assert first in err and f"… ({files - 10} more)" in err
    assert "--allow-removals" in err and "untouched" in err


def test_one_file_removed_is_refused_naming_it_then_allowed(inbox_without_one, published, capsys):
    before = _digest(published)
    assert refresh(inbox_without_one, published) == EXIT_FAILED
    err = capsys.readouterr().err
    assert _digest(published) == before
    # one workbook, two reports in force from it (its poverty and savings sheets)
    assert "refusing to remove 2 report(s) in force: 1 file(s)" in err and GONE in err
    assert "Failure:" not in err  # the message, not the exception's class

    assert refresh(inbox_without_one, published, allow_removals=True) == EXIT_OK
    assert f"removing 2 report(s) in force of 1 file(s) no longer in the inbox (removals allowed): {GONE}" \
        in capsys.readouterr().err
    con = duckdb.connect(str(published), read_only=True)
    try:
        assert query(con, "SELECT count(*) FROM marts.mart_report_submissions WHERE file_name = ?", [GONE]) == [(0,)]
    finally:
        con.close()
    # what is published now is the new normal: the same inbox again is a no-op, not a refusal
    assert refresh(inbox_without_one, published) == EXIT_OK


def test_renamed_file_is_not_a_removal(tmp_path, published, capsys):
    """Only content that is gone counts: a file renamed (same sha256) passes the guard."""
    from pipelines.storage.removals import check_removals
    from pipelines.storage.state import fingerprint
    import datetime as dt

    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    (inbox / GONE).rename(inbox / "renamed.xlsx")
    hashes = fingerprint(inbox, tmp_path, dt.date(2024, 6, 1))["inbox"]
    assert check_removals(published, inbox, hashes, allow=False) == []
