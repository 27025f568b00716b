"""The one Dagster instance of a warehouse: `emulation refresh`, `make dagster` (the UI, its schedule and
sensor) and `dagster job execute` all record their runs, materializations and checks in the same folder, so
the UI tells the whole story (settings.dagster_home: $DAGSTER_HOME, else warehouse/.dagster).

`python -m pipelines.defs.instance` prepares that folder and prints it (the Makefile sets DAGSTER_HOME from it).
"""

from __future__ import annotations

import fcntl
from pathlib import Path

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


if __name__ == "__main__":
    print(prepare_dagster_home())
