"""The Dagster code location: assets, resources, the refresh job, its schedule and the inbox sensor.

`dagster dev -w workspace.yaml` serves it; `emulation refresh` runs the same assets in-process.
"""


import hashlib
import json
import os
from pathlib import Path

from dagster import (AssetSelection, DefaultScheduleStatus, DefaultSensorStatus, Definitions, RunRequest,
                     ScheduleEvaluationContext, SensorEvaluationContext, SkipReason, define_asset_job,
                     in_process_executor, schedule, sensor)

from .assets import (DBT_PROJECT, LocalDbtCliResource, RefreshLockResource, WarehouseResource, district_reports,
                     emulation_dbt_assets, no_overdue_reports, postgres_marts, published_parquet,
                     published_warehouse, reference_data)
from .dbt_worker import dbt_executable
from .ingest import inbox_files, relative_name
from .state import fingerprint, published_state

ALL_ASSETS = [reference_data, district_reports, emulation_dbt_assets, published_warehouse, published_parquet,
              postgres_marts]
ALL_CHECKS = [no_overdue_reports]

refresh_job = define_asset_job(
    "refresh_warehouse",
    selection=AssetSelection.all(),
    description="Ingest the inbox, build every dbt model and test, publish the warehouse.",
    executor_def=in_process_executor,  # one process per run: the refresh lock spans the run
)

@schedule(name="daily_refresh", job=refresh_job, cron_schedule="0 6 * * *",
          execution_timezone="Asia/Ho_Chi_Minh", default_status=DefaultScheduleStatus.STOPPED,
          description="Refresh the warehouse every morning at 06:00 Viet Nam time, unless nothing changed.")
def daily_refresh(context: ScheduleEvaluationContext, warehouse: WarehouseResource):
    current = fingerprint(warehouse.inbox_dir(), warehouse.reference_dir(), warehouse.today_date())
    if published_state(warehouse.paths().published) == current:
        return SkipReason("nothing changed since the last refresh: the published warehouse is up to date")
    return RunRequest(run_key=None, tags={"emulation/trigger": "schedule"})


def inbox_fingerprint(inbox: Path) -> dict[str, str]:
    """File name -> 'size:mtime_ns' for every report file in the inbox."""
    fingerprint = {}
    for path in inbox_files(inbox):
        stat = path.stat()
        fingerprint[relative_name(path, inbox)] = f"{stat.st_size}:{stat.st_mtime_ns}"
    return fingerprint


def inbox_changes(previous: dict[str, str], current: dict[str, str]) -> list[str]:
    """Files that are new, changed or gone since the previous fingerprint."""
    names = set(previous) | set(current)
    return sorted(n for n in names if previous.get(n) != current.get(n))


@sensor(job=refresh_job, minimum_interval_seconds=30, default_status=DefaultSensorStatus.STOPPED,
        description="Starts a refresh when a report file is added to, changed in or removed from the inbox.")
def inbox_sensor(context: SensorEvaluationContext, warehouse: WarehouseResource):
    inbox = warehouse.inbox_dir()
    if not inbox.is_dir():
        return SkipReason(f"inbox {inbox} does not exist")
    current = inbox_fingerprint(inbox)
    previous = json.loads(context.cursor) if context.cursor else {}
    changed = inbox_changes(previous, current)
    if not changed:
        return SkipReason("no new or changed report in the inbox")
    context.update_cursor(json.dumps(current, sort_keys=True))
    run_key = hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()[:16]
    shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
    return RunRequest(run_key=run_key, tags={"emulation/changed_files": shown[:200]})


def resources(inbox: str = "", warehouse: str = "", reference: str = "", wait_seconds: float = 900) -> dict:
    """Resources of a refresh. Runs from the UI, the schedule or the sensor wait up to 15 minutes for a
    refresh of the same warehouse that is already running."""
    location = WarehouseResource(inbox=inbox, warehouse=warehouse, reference=reference)
    return {
        "warehouse": location,
        "refresh_lock": RefreshLockResource(warehouse=location, wait_seconds=wait_seconds),
        # No run_results.json / manifest.json per refresh: Dagster reads dbt's event stream, not its artifacts.
        # dbt's own log file (<warehouse dir>/.build/dbt_target/dbt.log) gets warnings and errors only: writing
        # every SQL statement there costs about a second per refresh; DBT_LOG_LEVEL_FILE=debug brings it back.
        # The event stream of every model and test is kept in <warehouse dir>/.build/refresh.log either way.
        "dbt": LocalDbtCliResource(project_dir=DBT_PROJECT, dbt_executable=dbt_executable(),
                                   global_config_flags=["--no-write-json", "--log-level-file",
                                                        os.environ.get("DBT_LOG_LEVEL_FILE") or "warn"]),
    }


defs = Definitions(
    assets=ALL_ASSETS,
    asset_checks=ALL_CHECKS,
    jobs=[refresh_job],
    schedules=[daily_refresh],
    sensors=[inbox_sensor],
    resources=resources(),
    executor=in_process_executor,
)
