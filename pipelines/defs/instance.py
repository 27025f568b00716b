"""The one Dagster instance of a warehouse: `emulation refresh`, `make dagster` (the UI, its schedule and
sensor) and `dagster job execute` all record their runs, materializations and checks in the same folder, so
the UI tells the whole story (settings.dagster_home: $DAGSTER_HOME, else warehouse/.dagster).

`python -m pipelines.defs.instance` prepares that folder and prints it (the Makefile sets DAGSTER_HOME from it).
"""

from __future__ import annotations

import fcntl
import sqlite3
from contextlib import ExitStack, closing, contextmanager
from pathlib import Path
from typing import Iterator

from ..settings import dagster_home

DAGSTER_YAML = """\
# Dagster's instance configuration for this warehouse (created by the emulation project; see README "Dagster UI").
# Runs, event logs and schedules are kept in SQLite files in this folder. No telemetry: the project runs offline
# (and on office machines that must not call out).
telemetry:
  enabled: false
"""


def prepare_dagster_home(published: Path | None = None) -> Path:
    """Create the instance folder with a dagster.yaml (Dagster warns without one); return it."""
    home = dagster_home(published)
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    return home


def warehouse_instance(published: Path | None = None):
    """The persistent DagsterInstance of `published`'s instance folder, without touching os.environ.

    `DagsterInstance.local_temp(tempdir=folder)` is Dagster's public way to open the instance kept in a given
    folder: with a folder given it reads that folder's dagster.yaml and keeps its storage there, exactly what
    `DagsterInstance.get()` does with DAGSTER_HOME=folder (the name only means no folder is created when given).
    """
    from dagster import DagsterInstance

    home = prepare_dagster_home(published)
    # Opening a new folder creates its SQLite databases: two refreshes of a new warehouse started at once must
    # not both create them (held only while opening; a run takes the refresh lock itself)
    with open(home / ".open.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        return DagsterInstance.local_temp(tempdir=str(home))


# Dagster's SQLite files in an instance folder with the default storage (`history/`) that a run writes all along:
# the runs table, the index of events, and the run's own events (`history/runs/<run id>.db`)
HISTORY_DATABASES = ("history/runs.db", "history/runs/index.db")
RUN_EVENTS = "history/runs/{run_id}.db"


def _synchronous_normal(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")


@contextmanager
def run_history_writes(home: Path, run_id: str) -> Iterator[None]:
    """While the run `run_id` records its events in the instance folder `home`: fewer disk flushes, the same
    records.

    Dagster's SQLite storage opens a new connection for every event it records and closes it after one insert:
    a refresh records about 1,200 events (every dbt test is an asset check: planned, evaluated, output) through
    about 2,500 connections. With SQLite's defaults each one costs several flushes to disk (fdatasync): the
    commit, and, as the connection closing is the last one open on its file, copying the write-ahead log back
    into the database and deleting it. On a busy disk that was most of what a refresh spent beyond dbt
    (benchmarks/README.md): about 10,000 flushes for the embedded sample.

    Two plain SQLite settings remove almost all of them, for the duration of the run only:
    - this process keeps one idle connection open to each database the run writes, so Dagster's own
      connections are never the last to close: the log is copied back as SQLite does by default, every 1,000
      pages, and when this context closes its connections. The run's own database is created here, empty and
      in write-ahead-log mode (as Dagster would), so that it can be held open from the start; Dagster creates
      its tables at the run's first event as it does in any new file;
    - `PRAGMA synchronous=NORMAL` on Dagster's connections: in write-ahead-log mode the database stays
      consistent after a crash of the process or of the machine; a power cut can lose the last events
      written, not corrupt the file (https://www.sqlite.org/pragma.html#pragma_synchronous).
    With another storage configured in dagster.yaml (no `history/runs/index.db`), only the second applies.
    """
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    event.listen(Engine, "connect", _synchronous_normal)
    with ExitStack() as stack:
        stack.callback(event.remove, Engine, "connect", _synchronous_normal)
        paths = [home / name for name in HISTORY_DATABASES if (home / name).is_file()]
        if (home / HISTORY_DATABASES[1]).is_file():
            run_events = home / RUN_EVENTS.format(run_id=run_id)
            with closing(sqlite3.connect(run_events)) as new:
                new.execute("PRAGMA journal_mode=WAL")
            paths.append(run_events)
        for path in paths:
            con = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, isolation_level=None)
            stack.callback(con.close)
            con.execute("SELECT count(*) FROM sqlite_master").fetchall()  # opens the file and its log
        yield


if __name__ == "__main__":
    print(prepare_dagster_home())
