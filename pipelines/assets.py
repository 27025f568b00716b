"""The asset graph: reference data and district reports land in `raw`, dbt builds the marts, publish swaps the file.

    raw/admin_units, raw/reporting_calendar, raw/savings_categories   (group ingest)
      -> raw/report_submissions, raw/report_issues, raw/*_rows        (group ingest)
      -> dbt staging -> intermediate -> marts (+ every dbt test as an asset check)
      -> published_warehouse (+ check no_overdue_reports)             (group publish)
      -> published_parquet, postgres_marts                            (group publish)
"""

import datetime as dt
import importlib.metadata
import os
import subprocess
from contextlib import ExitStack
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

import duckdb
from dagster import (AssetCheckResult, AssetCheckSeverity, AssetExecutionContext, AssetKey, AssetSpec,
                     ConfigurableResource, InitResourceContext, MaterializeResult, MetadataValue, RetryPolicy,
                     asset, asset_check, multi_asset)
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from packaging import version
from pydantic import PrivateAttr

from .ingest import parse_inbox
from .landing import REPORT_TABLES, land_reference, land_reports
from .reports import VIETNAM
from .serving import POSTGRES_URL_ENV, default_parquet_dir, export_parquet, publish_postgres
from .state import fingerprint, published_state, reusable_files
from .state import store as store_state
from . import dbt_worker
from .dbt_worker import CWD_ENV as DBT_CWD_ENV
from .dbt_worker import WORKER_ENV as DBT_WORKER_ENV
from .dbt_worker import dbt_executable
from .warehouse import (BUILD_DB_ENV, DBT_PROJECT_DIR, WarehousePaths, dbt_project_files,
                        default_inbox, default_reference, default_warehouse)

REFERENCE_TABLES = ("admin_units", "reporting_calendar", "savings_categories")
OWNER = "team:data-engineering"
# Files on a network share, a disk briefly full: worth one more try. dbt failures are not retried (a failing
# test fails the same way again).
IO_RETRY = RetryPolicy(max_retries=1, delay=2)


class WarehouseResource(ConfigurableResource):
    """Where the inbox, the reference data and the published warehouse are (empty = the defaults/env vars)."""

    inbox: str = ""
    warehouse: str = ""
    reference: str = ""
    today: str = ""  # ISO date that counts as today for overdue checks; empty = today in Viet Nam

    def today_date(self) -> dt.date:
        return dt.date.fromisoformat(self.today) if self.today else dt.datetime.now(VIETNAM).date()

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
        self._held = ExitStack()
        self._held.enter_context(self.warehouse.paths().refresh_lock(self.wait_seconds))

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        dbt_worker.stop(self.warehouse.paths().build_dir)  # unused when the run failed before dbt
        if self._held is not None:
            self._held.close()
            self._held = None


# ---------------------------------------------------------------------------------------------- ingest

@multi_asset(
    specs=[AssetSpec(AssetKey(["raw", t]), group_name="ingest", kinds={"python", "duckdb"}, owners=[OWNER],
                     description=f"Reference table {t}, loaded from seeds/reference.") for t in REFERENCE_TABLES],
    retry_policy=IO_RETRY,
)
def reference_data(context: AssetExecutionContext, warehouse: WarehouseResource,
                   refresh_lock: RefreshLockResource):
    """Start a fresh build database and load the reference CSVs into it."""
    paths = warehouse.paths()
    paths.start_build()
    counts = land_reference(paths.build_db, warehouse.reference_dir())
    context.log.info(f"reference data loaded: {counts}")
    for table, rows in counts.items():
        yield MaterializeResult(asset_key=AssetKey(["raw", table]), metadata={"rows": rows})


_REPORT_DESCRIPTIONS = {
    "report_submissions": "One row per report found in the inbox, accepted or rejected, with lineage.",
    "report_issues": "One row per rule a report broke (errors and warnings).",
    "poverty_rows": "Commune rows of accepted poverty reports (households).",
    "infrastructure_rows": "Commune rows of accepted infrastructure reports (km, VND, NTM flags, OCOP).",
    "savings_rows": "Category rows of accepted savings reports (VND).",
}


@multi_asset(
    specs=[AssetSpec(AssetKey(["raw", t]), group_name="ingest", kinds={"python", "polars", "duckdb"},
                     owners=[OWNER], description=_REPORT_DESCRIPTIONS[t],
                     deps=[AssetKey(["raw", r]) for r in REFERENCE_TABLES]) for t in REPORT_TABLES],
    retry_policy=IO_RETRY,
)
def district_reports(context: AssetExecutionContext, warehouse: WarehouseResource):
    """Parse every report in the inbox and land accepted rows, submissions and issues in `raw`."""
    paths = warehouse.paths()
    selected = context.run.asset_selection
    if not selected or not selected.isdisjoint(emulation_dbt_assets.keys):
        dbt_worker.start(paths.build_dir)  # dbt imports and parses the project while we read the reports
    inbox = warehouse.inbox_dir()
    built_from = fingerprint(inbox, warehouse.reference_dir(), warehouse.today_date())  # before reading
    reuse = reusable_files(published_state(paths.published), built_from)
    if reuse:
        # a report refused for a period not yet ended may be valid today: read it again
        with duckdb.connect(str(paths.published), read_only=True) as con:
            reuse -= {name for (name,) in con.execute(
                "SELECT DISTINCT file_name FROM raw.report_issues WHERE rule = 'period_in_future'").fetchall()}
    reports = parse_inbox(inbox, warehouse.reference_dir(), only=set(built_from["inbox"]) - reuse,
                          hashes=built_from["inbox"])
    counts = land_reports(paths.build_db, reports, paths.published if reuse else None, reuse)
    with duckdb.connect(str(paths.build_db)) as con:
        store_state(con, built_from)
        statuses = dict(con.execute(
            "SELECT parse_status, count(*) FROM raw.report_submissions GROUP BY 1").fetchall())
    accepted, rejected = statuses.get("accepted", 0), statuses.get("rejected", 0)
    context.log.info(f"{accepted + rejected} reports in {inbox}: {accepted} accepted, {rejected} rejected "
                     f"({len(built_from['inbox']) - len(reuse)} files read, {len(reuse)} unchanged files "
                     "taken from the published warehouse)")
    for report in reports:
        if report.rejected:
            first = next(i for i in report.issues if i.severity == "error")
            where = f"{report.file_name}" + (f" [{report.sheet}]" if report.sheet else "")
            context.log.warning(f"rejected {where}: {first.rule}: {first.message}")
    for table in REPORT_TABLES:
        metadata: dict[str, Any] = {"rows": counts[table]}
        if table == "report_submissions":
            metadata.update(accepted=accepted, rejected=rejected, inbox=str(inbox),
                            files_read=len(built_from["inbox"]) - len(reuse), files_reused=len(reuse))
        yield MaterializeResult(asset_key=AssetKey(["raw", table]), metadata=metadata)


# ---------------------------------------------------------------------------------------------- dbt

def dbt_project() -> DbtProject:
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def ensure_manifest(project: DbtProject) -> Path:
    """Parse the dbt project when its manifest is missing or older than any project file (partial parse)."""
    manifest = project.manifest_path
    newest = max((p.stat().st_mtime for p in dbt_project_files()), default=0)
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        subprocess.run([dbt_executable(), "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
                        "--profiles-dir", str(DBT_PROJECT_DIR)], check=True, cwd=DBT_PROJECT_DIR,
                       env={k: v for k, v in os.environ.items() if k != BUILD_DB_ENV}
                       | {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
    return manifest


class LocalDbtCliResource(DbtCliResource):
    """dbt-core as installed in this environment, without two start-up costs dagster-dbt pays per invocation:
    asking `dbt --version` in a subprocess (about 3 s; the installed package says it) and opening a dbt adapter
    in-process (about 1.5 s; it serves only to fetch column metadata and row counts, which we don't)."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


class EmulationTranslator(DagsterDbtTranslator):
    """dbt models grouped by layer (staging, intermediate, marts), owned by the data team."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "marts"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]):
        return [OWNER]


DBT_PROJECT = dbt_project()
ensure_manifest(DBT_PROJECT)


@dbt_assets(manifest=DBT_PROJECT.manifest_path, project=DBT_PROJECT, dagster_dbt_translator=EmulationTranslator())
def emulation_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build` (models, data tests, unit tests) in the build database, once per run."""
    paths = warehouse.paths()
    if not paths.build_db.exists():
        raise RuntimeError(
            f"no build database at {paths.build_db}: the dbt models are built from the raw tables a refresh "
            "lands first. Materialize the whole job `refresh_warehouse` (or run `emulation refresh`), not the "
            "dbt assets alone.")
    worker = dbt_worker.running(paths.build_dir)
    if dbt.dbt_executable.endswith("dbt-child"):
        # dbt runs in the build directory and finds `emulation.duckdb` there (dbt_project/profiles.yml), started
        # ahead by this refresh when it could (pipelines/dbt_worker.py)
        os.environ[DBT_CWD_ENV] = str(paths.build_dir)
        os.environ.pop(BUILD_DB_ENV, None)
        if worker is not None:
            os.environ[DBT_WORKER_ENV] = worker.address
    else:
        os.environ[BUILD_DB_ENV] = str(paths.build_db)
    try:
        yield from dbt.cli(["build"], context=context, target_path=paths.dbt_target).stream()
    finally:
        if worker is not None:
            os.environ.pop(DBT_WORKER_ENV, None)
            dbt_worker.stop(paths.build_dir)


# ---------------------------------------------------------------------------------------------- publish

@asset(key="published_warehouse", deps=[emulation_dbt_assets], group_name="publish", owners=[OWNER],
       kinds={"duckdb"}, retry_policy=IO_RETRY,
       description="The warehouse file analysts and BI tools open read-only, replaced as a whole.")
def published_warehouse(context: AssetExecutionContext, warehouse: WarehouseResource,
                        refresh_lock: RefreshLockResource) -> MaterializeResult:
    paths = warehouse.paths()
    published = paths.publish()
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


@asset(key="published_parquet", deps=[published_warehouse], group_name="publish", owners=[OWNER],
       kinds={"parquet"}, retry_policy=IO_RETRY,
       description="Every mart as Parquet in warehouse/parquet/ (a symlink switched to a complete new set).")
def published_parquet(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    published = warehouse.paths().published
    parquet_dir = default_parquet_dir(published)
    counts = export_parquet(published, parquet_dir)
    context.log.info(f"exported {len(counts)} marts to {parquet_dir}")
    return MaterializeResult(metadata={"path": MetadataValue.path(str(parquet_dir)),
                                       "version": parquet_dir.resolve().name,
                                       "mart_rows": MetadataValue.json(counts)})


@asset(key="postgres_marts", deps=[published_warehouse], group_name="publish", owners=[OWNER],
       kinds={"postgres"}, retry_policy=RetryPolicy(max_retries=2, delay=60),
       description="The marts in PostgreSQL schema marts, replaced in one transaction "
                   "(only when EMULATION_POSTGRES_URL is set).")
def postgres_marts(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        context.log.info(f"{POSTGRES_URL_ENV} is not set: no PostgreSQL mirror")
        return MaterializeResult(metadata={"published": False})
    counts = publish_postgres(warehouse.paths().published, url)
    context.log.info(f"published {len(counts)} marts to PostgreSQL schema marts")
    return MaterializeResult(metadata={"published": True, "schema": "marts",
                                       "mart_rows": MetadataValue.json(counts)})


def overdue_reports(con: duckdb.DuckDBPyConnection, today: dt.date) -> list[tuple[str, str, str, str]]:
    """(family, period, due date, districts) of expected reports still missing after their due date."""
    return con.execute("""
        SELECT family, period, strftime(due_date, '%d/%m/%Y'),
               string_agg(district_name, ', ' ORDER BY district_code)
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
