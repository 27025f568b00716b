"""The daily schedule against a published warehouse: it skips when nothing changed, and asks for a run otherwise."""

from dagster import DagsterInstance, build_schedule_context

from helpers import SAMPLE_INBOX
from pipelines.definitions import daily_refresh
from pipelines.defs.resources import WarehouseResource


def test_schedule_skips_when_nothing_changed(sample_warehouse, tmp_path):
    up_to_date = WarehouseResource(inbox=str(SAMPLE_INBOX), warehouse=str(sample_warehouse))
    never_built = WarehouseResource(inbox=str(SAMPLE_INBOX), warehouse=str(tmp_path / "emulation.duckdb"))
    with DagsterInstance.ephemeral() as instance:
        skipped = daily_refresh.evaluate_tick(build_schedule_context(instance=instance,
                                                                     resources={"warehouse": up_to_date}))
        requested = daily_refresh.evaluate_tick(build_schedule_context(instance=instance,
                                                                       resources={"warehouse": never_built}))
    assert skipped.run_requests == [] and "nothing changed" in skipped.skip_message
    assert len(requested.run_requests) == 1
