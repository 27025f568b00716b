"""Dagster resources: where the inbox, reference data and warehouse are, the refresh lock, and dbt."""


import datetime as dt
from contextlib import ExitStack
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext
from dagster_dbt import DbtCliResource
from pydantic import PrivateAttr

from ..settings import (DBT_EXECUTABLE, DBT_PROJECT_DIR, dbt_log_level_file, default_inbox, default_reference, default_warehouse,
                        today_in_vietnam)
from ..storage.publish import WarehousePaths

OWNER = "team:data-engineering"


class WarehouseResource(ConfigurableResource):
    """Where the inbox, the reference data and the published warehouse are (empty = the defaults/env vars)."""

    inbox: str = ""
    warehouse: str = ""
    reference: str = ""
    today: str = ""  # ISO date that counts as today for overdue checks; empty = today in Viet Nam
    # let a refresh drop reports in force whose files left the inbox (storage/removals.py); else it refuses
    allow_removals: bool = False

    def today_date(self) -> dt.date:
        return dt.date.fromisoformat(self.today) if self.today else today_in_vietnam()

    def inbox_dir(self) -> Path:
        return Path(self.inbox).resolve() if self.inbox else default_inbox()

    def reference_dir(self) -> Path:
        return Path(self.reference).resolve() if self.reference else default_reference()

    def paths(self) -> WarehousePaths:
        return WarehousePaths(Path(self.warehouse).resolve() if self.warehouse else default_warehouse())


class RefreshLockResource(ConfigurableResource):
    """Holds the warehouse's refresh lock for a whole run (runs execute in one process), so two refreshes of
    the same warehouse — from the command line, the schedule, the sensor or the UI — never overlap.

    A run that finds the lock taken waits up to `wait_seconds`, then fails with a clear message.
    """

    warehouse: WarehouseResource
    wait_seconds: float = 0
    _held: ExitStack | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        from ..cli.paths import output_file_problem  # a message, not a traceback, for an unusable path

        published = self.warehouse.paths().published
        problem = output_file_problem(published, create_folder=True)
        if problem is not None:
            raise RuntimeError(f"cannot use warehouse {published}: {problem.en} (set EMULATION_WAREHOUSE or the "
                               "resource config warehouse.warehouse)")
        self._held = ExitStack()
        self._held.enter_context(self.warehouse.paths().refresh_lock(self.wait_seconds))

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._held is not None:
            self._held.close()
            self._held = None


def resources(inbox: str = "", warehouse: str = "", reference: str = "", wait_seconds: float = 900,
              allow_removals: bool = False) -> dict:
    """Resources of a refresh. Runs from the UI, the schedule or the sensor wait up to 15 minutes for a
    refresh of the same warehouse that is already running."""
    location = WarehouseResource(inbox=inbox, warehouse=warehouse, reference=reference,
                                 allow_removals=allow_removals)
    return {
        "warehouse": location,
        "refresh_lock": RefreshLockResource(warehouse=location, wait_seconds=wait_seconds),
        # No run_results.json / manifest.json per refresh: Dagster reads dbt's event stream, not its artifacts.
        # dbt's own log file (<warehouse dir>/.build/dbt_target/dbt.log) gets warnings and errors only: writing
        # every SQL statement there costs about a second per refresh; DBT_LOG_LEVEL_FILE=debug brings it back.
        # No colour codes: dbt's output goes to refresh.log, read in an editor, not a terminal.
        "dbt": DbtCliResource(project_dir=str(DBT_PROJECT_DIR), profiles_dir=str(DBT_PROJECT_DIR),
                              dbt_executable=DBT_EXECUTABLE,
                              global_config_flags=["--no-write-json", "--no-use-colors",
                                                   "--log-level-file", dbt_log_level_file()]),
    }
