"""Ingest assets: the reference CSVs and every report of the inbox land in schema `raw`; the inbox sensor."""


import hashlib
import json
from pathlib import Path
from typing import Any

import duckdb
from dagster import (AssetExecutionContext, AssetKey, AssetSpec, DefaultSensorStatus, Failure, MaterializeResult,
                     RetryPolicy, RunRequest, SensorEvaluationContext, SkipReason, multi_asset, sensor)

from ..parsing.inbox import inbox_files, parse_inbox, relative_name
from ..storage.landing import DESCRIPTIONS, REPORT_TABLES, land_reference, land_reports
from ..storage.removals import RemovalRefused, allowed_by_tag, check_removals
from ..storage.state import fingerprint, published_state, reusable_files
from ..storage.state import store as store_state
from .resources import OWNER, RefreshLockResource, WarehouseResource

REFERENCE_TABLES = ("admin_units", "admin_units_2025", "commune_crosswalk", "commune_split_shares",
                    "reporting_calendar", "savings_categories", "rule_catalogue")
# Files on a network share, a disk briefly full: worth one more try. dbt failures are not retried (a failing
# test fails the same way again).
IO_RETRY = RetryPolicy(max_retries=1, delay=2)


# Run tags: who started a run (cli, schedule...) and whether it rebuilds even when nothing changed.
TRIGGER_TAG = "emulation/trigger"
FORCE_TAG = "emulation/force"


# A run with nothing to do ends here. `emulation refresh` and the schedule compare before starting a run at all;
# a run launched from the UI (or by the sensor after a mere touch) is caught by this first step: when the
# published state equals the fingerprint and the run is not tagged emulation/force=true, it yields none of its
# outputs (the specs are `skippable`), so Dagster skips every step downstream — ingest, dbt, publish, checks —
# and the run succeeds having rebuilt nothing. The alternatives were worse: failing the run is not honest (nothing
# is wrong), and a sensor-style pre-check cannot intercept a manual launch.
@multi_asset(
    specs=[AssetSpec(AssetKey(["raw", t]), group_name="ingest", kinds={"python", "duckdb"}, owners=[OWNER],
                     skippable=True,
                     description=f"Reference table {t}, loaded from seeds/reference (rule_catalogue: from "
                                 "pipelines/parsing/rules.py).") for t in REFERENCE_TABLES],
    retry_policy=IO_RETRY,
)
def reference_data(context: AssetExecutionContext, warehouse: WarehouseResource,
                   refresh_lock: RefreshLockResource):
    """Start a fresh build database and load the reference CSVs into it (unless nothing changed)."""
    paths = warehouse.paths()
    if context.run.tags.get(FORCE_TAG) != "true" and published_state(paths.published) == fingerprint(
            warehouse.inbox_dir(), warehouse.reference_dir(), warehouse.today_date()):
        context.log.info(f"nothing changed since the last refresh: {paths.published} is up to date, this run "
                         f"rebuilds nothing (tag the run {FORCE_TAG}=true to rebuild anyway)")
        return
    paths.start_build()
    counts = land_reference(paths.build_db, warehouse.reference_dir())
    context.log.info(f"reference data loaded: {counts}")
    for table, rows in counts.items():
        yield MaterializeResult(asset_key=AssetKey(["raw", table]), metadata={"rows": rows})


@multi_asset(
    specs=[AssetSpec(AssetKey(["raw", t]), group_name="ingest", kinds={"python", "polars", "duckdb"},
                     owners=[OWNER], description=DESCRIPTIONS[t],
                     deps=[AssetKey(["raw", r]) for r in REFERENCE_TABLES]) for t in REPORT_TABLES],
    retry_policy=IO_RETRY,
)
def district_reports(context: AssetExecutionContext, warehouse: WarehouseResource):
    """Parse every report in the inbox and land accepted rows, submissions and issues in `raw`."""
    paths = warehouse.paths()
    inbox = warehouse.inbox_dir()
    built_from = fingerprint(inbox, warehouse.reference_dir(), warehouse.today_date())  # before reading
    try:  # never drop reports in force silently (storage/removals.py); not retried: it would refuse again
        lost = check_removals(paths.published, inbox, built_from["inbox"],
                              warehouse.allow_removals or allowed_by_tag(context.run.tags))
    except RemovalRefused as refused:
        raise Failure(str(refused), allow_retries=False) from None
    if lost:
        context.log.warning(f"removing {sum(f.reports for f in lost)} report(s) in force of {len(lost)} file(s) "
                            "no longer in the inbox (removals allowed): "
                            + ", ".join(f.file_name for f in lost[:10]) + (" …" if len(lost) > 10 else ""))
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


def inbox_fingerprint(inbox: Path) -> dict[str, str]:
    """File name -> 'size:mtime_ns' for every report file in the inbox."""
    fingerprint = {}
    for path in inbox_files(inbox):
        try:
            stat = path.lstat()  # links are never followed; a file gone meanwhile is simply not there
        except FileNotFoundError:
            continue
        fingerprint[relative_name(path, inbox)] = f"{stat.st_size}:{stat.st_mtime_ns}"
    return fingerprint


def inbox_changes(previous: dict[str, str], current: dict[str, str]) -> list[str]:
    """Files that are new, changed or gone since the previous fingerprint."""
    names = set(previous) | set(current)
    return sorted(n for n in names if previous.get(n) != current.get(n))


@sensor(job_name="refresh_warehouse", minimum_interval_seconds=30, default_status=DefaultSensorStatus.STOPPED,
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
    return RunRequest(run_key=run_key, tags={TRIGGER_TAG: "sensor", "emulation/changed_files": shown[:200]})
