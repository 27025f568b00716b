"""Publish assets: the warehouse file swapped in whole, its Parquet set and PostgreSQL mirror; the refresh job
and its daily schedule."""


import datetime as dt

import duckdb
from dagster import (AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetExecutionContext, AssetSelection,
                     DefaultScheduleStatus, MaterializeResult, MetadataValue, RetryPolicy, RunRequest,
                     ScheduleEvaluationContext, SkipReason, asset, asset_check, define_asset_job,
                     in_process_executor, schedule)

from ..serving.parquet import default_parquet_dir, export_parquet
from ..serving.postgres import publish_postgres
from ..serving.status import LABELS, record_output, record_published
from ..settings import POSTGRES_URL_ENV, postgres_url
from ..storage.state import fingerprint, mirror_target, published_state
from .dbt import emulation_dbt_assets
from .ingest import IO_RETRY, TRIGGER_TAG
from .resources import OWNER, RefreshLockResource, WarehouseResource


@asset(key="published_warehouse", deps=[emulation_dbt_assets], group_name="publish", owners=[OWNER],
       kinds={"duckdb"}, retry_policy=IO_RETRY,
       description="The warehouse file analysts and BI tools open read-only, replaced as a whole.")
def published_warehouse(context: AssetExecutionContext, warehouse: WarehouseResource,
                        refresh_lock: RefreshLockResource) -> MaterializeResult:
    paths = warehouse.paths()
    published = paths.publish()
    record_published(published)  # Parquet and the mirror are out of step until exported (serving/status.py)
    con = duckdb.connect(str(published), read_only=True)
    try:
        counts = dict(con.execute(
            "SELECT table_name, estimated_size FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY 1"
        ).fetchall())
        province = con.execute(
            "SELECT year, poor_households, poverty_rate_pct, near_poor_households, near_poverty_rate_pct "
            "FROM marts.mart_poverty WHERE unit_level = 'province' ORDER BY year"
        ).fetchall()
    finally:
        con.close()
    table = "| year | poor | rate % | near-poor | rate % |\n|---|---|---|---|---|\n" + "\n".join(
        "| " + " | ".join(str(v) for v in row) + " |" for row in province)
    context.log.info(f"published {published}")
    return MaterializeResult(metadata={
        "path": MetadataValue.path(str(published)),
        "bytes": published.stat().st_size,
        "mart_rows": MetadataValue.json(counts),
        "province_poverty": MetadataValue.md(table),
    })


IN_STEP = "in_step_with_warehouse"


def _in_step_spec(asset_key: str) -> AssetCheckSpec:
    return AssetCheckSpec(IN_STEP, asset=asset_key,
                          description="Fails (as a warning) when this output could not be exported from the warehouse "
                                      "just published, so it still serves an earlier refresh.")


def _serving_failed(published, output: str, error: BaseException) -> AssetCheckResult:
    """Record a failed export beside the warehouse and say so as a failed check (yielded before re-raising)."""
    entry = record_output(published, output, error)
    return AssetCheckResult(check_name=IN_STEP, passed=False, severity=AssetCheckSeverity.WARN,
                            description=f"{LABELS[output]} is out of step with the published warehouse: "
                                        f"{entry['error']}",
                            metadata={"status": "failed", "error": entry["error"] or ""})


@asset(key="published_parquet", deps=[published_warehouse], group_name="publish", owners=[OWNER],
       kinds={"parquet"}, retry_policy=IO_RETRY, check_specs=[_in_step_spec("published_parquet")],
       description="Every mart as Parquet in warehouse/parquet/ (a symlink switched to a complete new set).")
def published_parquet(context: AssetExecutionContext, warehouse: WarehouseResource):
    published = warehouse.paths().published
    parquet_dir = default_parquet_dir(published)
    try:
        counts = export_parquet(published, parquet_dir)
    except Exception as err:
        yield _serving_failed(published, "parquet", err)
        raise
    record_output(published, "parquet")
    context.log.info(f"exported {len(counts)} marts to {parquet_dir}")
    yield MaterializeResult(metadata={"path": MetadataValue.path(str(parquet_dir)),
                                      "version": parquet_dir.resolve().name,
                                      "mart_rows": MetadataValue.json(counts)},
                            check_results=[AssetCheckResult(check_name=IN_STEP, passed=True,
                                                            description="exported from the published warehouse")])


@asset(key="postgres_marts", deps=[published_warehouse], group_name="publish", owners=[OWNER],
       kinds={"postgres"}, retry_policy=RetryPolicy(max_retries=2, delay=60),
       check_specs=[_in_step_spec("postgres_marts")],
       description="The marts in PostgreSQL schema marts, replaced in one transaction "
                   "(only when EMULATION_POSTGRES_URL is set).")
def postgres_marts(context: AssetExecutionContext, warehouse: WarehouseResource):
    url = postgres_url()
    published = warehouse.paths().published
    if not url:
        record_output(published, "postgres", enabled=False)
        context.log.info(f"{POSTGRES_URL_ENV} is not set: no PostgreSQL mirror")
        yield MaterializeResult(metadata={"published": False}, check_results=[AssetCheckResult(
            check_name=IN_STEP, passed=True, description=f"no mirror ({POSTGRES_URL_ENV} is not set)")])
        return
    try:
        counts = publish_postgres(published, url)
    except Exception as err:
        yield _serving_failed(published, "postgres", err)
        raise
    # only now is the mirror part of the published state (storage/state.py): a failed publish is retried by
    # the next refresh, even with nothing else changed
    record_output(published, "postgres", target=mirror_target(url))
    context.log.info(f"published {len(counts)} marts to PostgreSQL schema marts")
    yield MaterializeResult(metadata={"published": True, "schema": "marts", "mart_rows": MetadataValue.json(counts)},
                            check_results=[AssetCheckResult(check_name=IN_STEP, passed=True,
                                                            description="mirrored from the published warehouse")])


def overdue_reports(con: duckdb.DuckDBPyConnection, today: dt.date) -> list[tuple[str, str, str, str]]:
    """(family, period, due date, units) of expected reports still missing after their due date: districts, and
    new communes after 1 July 2025 (unit_name; district_name is NULL for them)."""
    return con.execute("""
        SELECT family, period, strftime(due_date, '%d/%m/%Y'),
               string_agg(coalesce(unit_name, district_name, unit_code), ', ' ORDER BY unit_code)
        FROM marts.mart_reporting_completeness
        WHERE status = 'missing' AND due_date < ?
        GROUP BY family, period, due_date ORDER BY due_date, family""", [today]).fetchall()


@asset_check(asset=published_warehouse, name="no_overdue_reports",
             description="Fails (as a warning) when an expected district report is missing past its due date, "
                         "naming the districts.")
def no_overdue_reports(warehouse: WarehouseResource) -> AssetCheckResult:
    published = warehouse.paths().published
    con = duckdb.connect(str(published), read_only=True)
    try:
        overdue = overdue_reports(con, warehouse.today_date())
    finally:
        con.close()
    lines = [f"{family} {period} (due {due}): {districts}" for family, period, due, districts in overdue]
    return AssetCheckResult(
        passed=not overdue,
        severity=AssetCheckSeverity.WARN,
        description="; ".join(lines) if lines else "every expected report past its due date has arrived",
        metadata={"overdue_reports": sum(len(d.split(", ")) for *_, d in overdue),
                  "details": MetadataValue.md("\n".join(f"- {line}" for line in lines) or "none")},
    )


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
    return RunRequest(run_key=None, tags={TRIGGER_TAG: "schedule"})
