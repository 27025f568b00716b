"""One Dagster instance per warehouse: `emulation refresh` records its run, materializations and checks where
the UI (`make dagster`) and the schedule look (DAGSTER_HOME, else .dagster beside the warehouse), and a run of
the job with nothing changed rebuilds nothing."""

from __future__ import annotations

import shutil

from dagster import AssetCheckKey, AssetKey, DagsterRunStatus, RunsFilter

from helpers import SAMPLE_INBOX
from pipelines.defs.ingest import FORCE_TAG, TRIGGER_TAG
from pipelines.defs.instance import warehouse_instance
from pipelines.settings import WAREHOUSE_ENV, dagster_home

PUBLISHED = AssetKey("published_warehouse")


def test_command_line_refresh_is_recorded_and_a_job_run_with_nothing_changed_rebuilds_nothing(
        sample_warehouse, tmp_path, monkeypatch):
    # sample_warehouse: the sample refreshed once through `emulation refresh`'s code path
    home = dagster_home(sample_warehouse)
    assert (home / "dagster.yaml").is_file()
    with warehouse_instance(sample_warehouse) as instance:
        runs = instance.get_runs(RunsFilter(job_name="refresh_warehouse", tags={TRIGGER_TAG: "cli"}))
        assert runs and runs[-1].status == DagsterRunStatus.SUCCESS  # the first one: the fixture's
        materialized = instance.get_latest_materialization_event(PUBLISHED)
        assert materialized is not None and materialized.run_id in {r.run_id for r in runs}
        assert instance.get_latest_materialization_event(AssetKey(["raw", "report_submissions"])) is not None
        check = instance.get_latest_asset_check_evaluation_record(AssetCheckKey(PUBLISHED, "no_overdue_reports"))
        assert check is not None and check.run_id in {r.run_id for r in runs}

    # the job as the UI launches it: the project's Definitions, this warehouse, the same instance
    from pipelines.definitions import defs

    monkeypatch.setenv(WAREHOUSE_ENV, str(sample_warehouse))
    stat = sample_warehouse.stat()
    before = sample_warehouse.read_bytes()
    with warehouse_instance(sample_warehouse) as instance:
        result = defs.resolve_job_def("refresh_warehouse").execute_in_process(instance=instance)
        assert result.success
        skipped = {e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"}
        assert {"district_reports", "published_warehouse", "published_parquet", "postgres_marts"} <= skipped
        assert not result.get_asset_materialization_events()
        assert instance.get_latest_materialization_event(PUBLISHED).run_id == materialized.run_id
        assert instance.get_run_by_id(result.run_id).status == DagsterRunStatus.SUCCESS
    after = sample_warehouse.stat()
    assert (after.st_mtime_ns, after.st_ino) == (stat.st_mtime_ns, stat.st_ino)
    assert sample_warehouse.read_bytes() == before


def test_forced_job_run_rebuilds(tmp_path, sample_warehouse, monkeypatch):
    """The tag emulation/force=true rebuilds though nothing changed (here on a copy, with its own instance)."""
    published = tmp_path / "emulation.duckdb"
    shutil.copy(sample_warehouse, published)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv(WAREHOUSE_ENV, str(published))
    monkeypatch.setenv("EMULATION_INBOX", str(SAMPLE_INBOX))
    from pipelines.definitions import defs

    inode = published.stat().st_ino
    with warehouse_instance(published) as instance:
        result = defs.resolve_job_def("refresh_warehouse").execute_in_process(
            instance=instance, tags={FORCE_TAG: "true"})
        assert result.success
        assert instance.get_latest_materialization_event(PUBLISHED).run_id == result.run_id
    assert (tmp_path / ".dagster" / "dagster.yaml").is_file()
    assert published.stat().st_ino != inode  # a new file renamed over the old one
