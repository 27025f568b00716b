"""Readers are never blocked and never see a mix; a killed refresh changes nothing; refreshes don't overlap."""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from helpers import SAMPLE_INBOX, query
from pipelines.cli.refresh import EXIT_BUSY, refresh
from pipelines.storage.publish import WarehousePaths
from workbooks import write_cang_long_correction

EMULATION = str(Path(sys.executable).with_name("emulation"))
POOR_844_2022 = "SELECT poor_households FROM marts.mart_poverty WHERE unit_code = '844' AND year = 2022"
SUPERSET_LIKE = f"""
import sys, time
from sqlalchemy import create_engine, text
engine = create_engine("duckdb:///" + sys.argv[1], connect_args={{"read_only": True}})
for _ in range(5):
    with engine.connect() as connection:  # one connection per query, as Superset opens them
        print(connection.execute(text("{POOR_844_2022}")).scalar())
    time.sleep(0.2)
"""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _start_refresh(inbox: Path, published: Path) -> subprocess.Popen:
    return subprocess.Popen([EMULATION, "refresh", "--inbox", str(inbox), "--warehouse", str(published)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(predicate, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        time.sleep(0.1)


@pytest.fixture()
def corrected_inbox(tmp_path) -> Path:
    """The sample with Càng Long's 2022 poverty report corrected (10 poor households per commune)."""
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    write_cang_long_correction(inbox)
    return inbox


def test_killed_refresh_concurrent_refresh_and_held_reader(tmp_path, sample_warehouse, corrected_inbox):
    published = tmp_path / "wh" / "emulation.duckdb"
    published.parent.mkdir()
    shutil.copy(sample_warehouse, published)
    before = _digest(published)
    paths = WarehousePaths(published)

    reader = duckdb.connect(str(published), read_only=True)  # a BI tool holding the warehouse open
    old_value = query(reader, POOR_844_2022)[0][0]

    first = _start_refresh(corrected_inbox, published)
    try:
        # wait until the first refresh is building (its build database exists), then start a second one
        _wait_for(lambda: paths.build_db.exists())
        second = _start_refresh(corrected_inbox, published)
        out, err = second.communicate(timeout=120)
        assert second.returncode == EXIT_BUSY, (out, err)
        assert "another refresh" in err
        # let the first refresh get into dbt; meanwhile a BI tool (another process) queries through SQLAlchemy
        # with duckdb-engine, as Superset does
        _wait_for(lambda: (paths.dbt_target / "partial_parse.msgpack").exists() or first.poll() is not None)
        bi = subprocess.run([sys.executable, "-c", SUPERSET_LIKE, str(published)], capture_output=True, text=True,
                            timeout=120)
        assert bi.returncode == 0, bi.stderr
        assert bi.stdout.split() == [str(old_value)] * 5
        assert first.poll() is None, "the refresh finished before it could be killed"
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()

    # nothing changed: same bytes, and the reader still reads the same consistent data
    assert _digest(published) == before
    assert query(reader, POOR_844_2022)[0][0] == old_value

    # the next refresh needs no clean-up, and publishes while the reader holds the old file open
    assert refresh(corrected_inbox, published, wait_seconds=30) == 0
    assert _digest(published) != before
    assert query(reader, POOR_844_2022)[0][0] == old_value  # the held reader keeps its consistent old view
    reader.close()
    fresh = duckdb.connect(str(published), read_only=True)
    assert query(fresh, POOR_844_2022)[0][0] == 140  # a new reader sees the new warehouse
    fresh.close()
    assert not paths.build_db.exists()


def test_refresh_waits_for_a_running_one_when_asked(tmp_path):
    published = tmp_path / "emulation.duckdb"
    paths = WarehousePaths(published)
    with paths.refresh_lock():
        started = time.monotonic()
        assert refresh(SAMPLE_INBOX, published, wait_seconds=0.5) == EXIT_BUSY
        assert time.monotonic() - started >= 0.5
