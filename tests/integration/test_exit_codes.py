"""Issue 10.7: exit 1 means 'the published warehouse is exactly as before'. A refresh that published and then
failed to export Parquet (or mirror to PostgreSQL) exits 4 and says so, in its summary, in `emulation summary`,
and in the asset check `in_step_with_warehouse`. (Exit 1 with the warehouse untouched: test_refresh.py and
test_removals.py.)"""

import shutil

import duckdb

from helpers import SAMPLE_INBOX, query
from pipelines.cli.exits import EXIT_OK, EXIT_SERVING_FAILED
from pipelines.cli.refresh import refresh
from pipelines.cli.summary import main_summary
from pipelines.serving.status import read_status

ORIGINAL = "845_cau-ke_2022.xlsx"
COPY = "845_cau-ke_2022 (copy).xlsx"  # sorts before the original by name


def test_parquet_failure_after_publishing_exits_4_and_says_so(tmp_path, monkeypatch, capsys):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    shutil.copy2(inbox / ORIGINAL, inbox / COPY)  # an identical copy that kept the modification time
    published = tmp_path / "warehouse" / "emulation.duckdb"

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pipelines.defs.publish.export_parquet", disk_full)
    assert refresh(inbox, published) == EXIT_SERVING_FAILED
    captured = capsys.readouterr()
    assert published.is_file()
    assert "was published, but a step after publishing failed" in captured.err
    assert "check warned: in_step_with_warehouse" in captured.err  # the asset check says it too
    assert "Serving: OUT OF STEP" in captured.out and "No space left on device" in captured.out
    assert "untouched" not in captured.err
    status = read_status(published)["outputs"]
    assert status["parquet"]["status"] == "failed" and status["postgres"]["status"] == "off"

    assert main_summary(published) == EXIT_OK
    assert "Parquet set is out of step" in capsys.readouterr().out

    # the identical copy with the same modification time is the duplicate, not the original
    con = duckdb.connect(str(published), read_only=True)
    try:
        statuses = dict(query(con, "SELECT file_name, status FROM marts.mart_report_submissions "
                                   "WHERE file_name IN (?, ?) AND family = 'poverty'", [ORIGINAL, COPY]))
    finally:
        con.close()
    assert statuses == {ORIGINAL: "accepted", COPY: "duplicate"}
