"""The Dagster code location, assembled from `defs/`: assets, checks, the refresh job, its schedule and the
inbox sensor. `dagster dev -w workspace.yaml` serves it; `emulation refresh` runs the same assets in-process."""

from dagster import Definitions, in_process_executor

from .defs.dbt import emulation_dbt_assets
from .defs.ingest import district_reports, inbox_sensor, reference_data
from .defs.publish import (daily_refresh, no_overdue_reports, postgres_marts, published_parquet,
                           published_warehouse, refresh_job)
from .defs.resources import resources
from .defs.scoreboard import scoreboard_site

ALL_ASSETS = [reference_data, district_reports, emulation_dbt_assets, published_warehouse, published_parquet,
              postgres_marts, scoreboard_site]
ALL_CHECKS = [no_overdue_reports]

defs = Definitions(
    assets=ALL_ASSETS,
    asset_checks=ALL_CHECKS,
    jobs=[refresh_job],
    schedules=[daily_refresh],
    sensors=[inbox_sensor],
    resources=resources(),
    executor=in_process_executor,
)
