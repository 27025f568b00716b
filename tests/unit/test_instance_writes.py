"""`run_history_writes` (pipelines/defs/instance.py): while a run records its events, Dagster's SQLite connections
write with `synchronous=NORMAL` and closing one of them does not copy the write-ahead log back (an idle
connection of ours stays open); afterwards everything is as SQLite's defaults have it."""

import sqlite3

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from pipelines.defs.instance import HISTORY_DATABASES, RUN_EVENTS, run_history_writes

FULL, NORMAL = 2, 1


def _history(home):
    """An instance folder with the two databases, in write-ahead-log mode as Dagster creates them."""
    for name in HISTORY_DATABASES:
        path = home / name
        path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(path)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE events (x)")
        con.commit()
        con.close()
    return home / HISTORY_DATABASES[1]


def _write_once(path) -> int:
    """What Dagster does per event: a new engine and connection, one insert, close; returns `synchronous`."""
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.connect() as conn:
        level = conn.execute(text("PRAGMA synchronous")).scalar()
        conn.execute(text("INSERT INTO events VALUES (1)"))
        conn.commit()
    engine.dispose()
    return level


def test_writes_during_a_run_keep_the_log_and_flush_less(tmp_path):
    index = _history(tmp_path)
    wal = index.with_name(index.name + "-wal")
    run_events = tmp_path / RUN_EVENTS.format(run_id="r1")
    with run_history_writes(tmp_path, "r1"):
        assert _write_once(index) == NORMAL
        assert wal.exists()  # not the last connection: the log was not copied back and removed
        # the run's own database: created empty, in write-ahead-log mode, for Dagster to create its tables in
        assert sqlite3.connect(run_events).execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert sqlite3.connect(run_events).execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    assert not wal.exists()  # our connection was the last: SQLite checkpointed as it closed
    assert _write_once(index) == FULL  # the setting ends with the run
    assert sqlite3.connect(index).execute("SELECT count(*) FROM events").fetchone() == (2,)


def test_an_instance_without_the_default_storage_is_left_alone(tmp_path):
    with run_history_writes(tmp_path, "r1"):  # no history/ folder: nothing opened, nothing created
        pass
    assert not (tmp_path / "history").exists()
