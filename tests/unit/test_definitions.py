"""The Dagster code location: it loads, the graph runs ingest -> dbt -> publish, the sensor and schedule work."""

import os
import time

from dagster import AssetCheckKey, AssetKey, DagsterInstance, SkipReason, build_sensor_context

from pipelines.defs.resources import WarehouseResource
from pipelines.defs.ingest import inbox_changes
from pipelines.definitions import defs, inbox_sensor


def test_definitions_load_with_the_whole_graph():
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    for key in ["raw/admin_units", "raw/report_submissions", "raw/poverty_rows", "staging/stg_poverty_rows",
                "marts/mart_poverty", "marts/mart_infrastructure", "marts/mart_savings",
                "marts/mart_reporting_completeness", "marts/mart_report_submissions", "marts/mart_report_issues",
                "marts/dim_admin_unit", "published_warehouse"]:
        assert key in keys, key
    # lineage: raw rows feed staging; every mart feeds the publish step
    assert AssetKey(["raw", "poverty_rows"]) in graph.get(AssetKey(["staging", "stg_poverty_rows"])).parent_keys
    publish_parents = graph.get(AssetKey("published_warehouse")).parent_keys
    assert {AssetKey(["marts", "mart_poverty"]), AssetKey(["marts", "dim_admin_unit"])} <= publish_parents
    # dbt tests are asset checks
    checks = {c.name for c in graph.asset_check_keys if c.asset_key == AssetKey(["marts", "mart_poverty"])}
    assert any("unique" in name for name in checks)
    assert "assert_marts_use_only_reports_in_force" in checks  # singular tests are checks too
    assert any(name.startswith("province_is_sum_of_districts") for name in checks)  # the roll-up's generic test
    assert AssetCheckKey(AssetKey("published_warehouse"), "no_overdue_reports") in graph.asset_check_keys
    assert graph.get(AssetKey(["marts", "mart_poverty"])).group_name == "marts"
    assert graph.get(AssetKey(["raw", "poverty_rows"])).group_name == "ingest"


def test_jobs_schedule_and_sensor_are_defined():
    assert defs.resolve_job_def("refresh_warehouse") is not None
    assert defs.resolve_schedule_def("daily_refresh").execution_timezone == "Asia/Ho_Chi_Minh"
    assert defs.resolve_sensor_def("inbox_sensor") is not None


def test_inbox_changes():
    assert inbox_changes({}, {"a.xlsx": "1:1"}) == ["a.xlsx"]
    assert inbox_changes({"a.xlsx": "1:1"}, {"a.xlsx": "1:1"}) == []
    assert inbox_changes({"a.xlsx": "1:1"}, {"a.xlsx": "2:5", "b.csv": "3:3"}) == ["a.xlsx", "b.csv"]
    assert inbox_changes({"a.xlsx": "1:1"}, {}) == ["a.xlsx"]


def _tick(instance, resource, cursor):
    context = build_sensor_context(instance=instance, cursor=cursor, resources={"warehouse": resource})
    result = inbox_sensor(context)
    return result, context.cursor


def test_sensor_reacts_to_new_and_changed_files_only(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.xlsx").write_bytes(b"first")
    resource = WarehouseResource(inbox=str(inbox), warehouse=str(tmp_path / "wh.duckdb"))
    with DagsterInstance.ephemeral() as instance:
        first, cursor = _tick(instance, resource, None)
        assert first.run_key
        again, cursor_again = _tick(instance, resource, cursor)
        assert isinstance(again, SkipReason)
        assert cursor_again == cursor
        (inbox / "b.xlsx").write_bytes(b"second")
        new_file, cursor = _tick(instance, resource, cursor)
        assert new_file.run_key and new_file.run_key != first.run_key
        assert "b.xlsx" in new_file.tags["emulation/changed_files"]
        # a changed file (new content, new modification time) triggers too
        (inbox / "a.xlsx").write_bytes(b"corrected content")
        os.utime(inbox / "a.xlsx", ns=(time.time_ns(), time.time_ns() + 10**9))
        changed, cursor = _tick(instance, resource, cursor)
        assert changed.run_key and changed.tags["emulation/changed_files"] == "a.xlsx"
        # lock files and hidden files are not reports
        (inbox / "~$a.xlsx").write_bytes(b"lock")
        (inbox / ".hidden").write_bytes(b"x")
        assert isinstance(_tick(instance, resource, cursor)[0], SkipReason)


def test_overdue_reports_name_the_districts():
    import datetime as dt

    import duckdb

    from pipelines.defs.publish import overdue_reports

    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    con.execute("""CREATE TABLE marts.mart_reporting_completeness AS SELECT * FROM (VALUES
        ('poverty', '2023', '844', 'Huyện Càng Long', '844', 'Huyện Càng Long', DATE '2024-01-15', 'missing'),
        ('poverty', '2023', '845', 'Huyện Cầu Kè', '845', 'Huyện Cầu Kè', DATE '2024-01-15', 'missing'),
        ('poverty', '2023', '846', 'Huyện Tiểu Cần', '846', 'Huyện Tiểu Cần', DATE '2024-01-15', 'on_time'),
        ('infrastructure', '2024-Q1', '844', 'Huyện Càng Long', '844', 'Huyện Càng Long', DATE '2024-04-10', 'missing'),
        -- after 1 July 2025 a new commune is expected: no district, named by unit_name
        ('poverty', '2025', NULL, NULL, '29242', 'Phường Trà Vinh', DATE '2026-01-15', 'missing'))
        AS t(family, period, district_code, district_name, unit_code, unit_name, due_date, status)""")
    assert overdue_reports(con, dt.date(2024, 2, 1)) == [
        ("poverty", "2023", "15/01/2024", "Huyện Càng Long, Huyện Cầu Kè")]
    assert overdue_reports(con, dt.date(2024, 1, 15)) == []
    assert len(overdue_reports(con, dt.date(2024, 5, 1))) == 2
    assert overdue_reports(con, dt.date(2026, 2, 1))[-1] == ("poverty", "2025", "15/01/2026", "Phường Trà Vinh")


def test_dbt_assets_alone_ask_for_the_whole_job(tmp_path):
    from dagster import materialize

    from pipelines.defs.dbt import emulation_dbt_assets
    from pipelines.defs.resources import resources

    result = materialize([emulation_dbt_assets], resources=resources(warehouse=str(tmp_path / "emulation.duckdb")),
                         raise_on_error=False)
    assert not result.success
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert "Materialize the whole job `refresh_warehouse`" in failure.step_failure_data.error.cause.message
