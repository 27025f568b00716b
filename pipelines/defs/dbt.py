"""The dbt models as Dagster assets: one `dbt build` (models, data tests, unit tests) per run.

dbt's data tests run inside that build and a failing one fails it (so nothing is published), naming the test; they
are not also made Dagster asset checks. Dagster records every check of a run in SQLite as several events (planned,
evaluated, output), each in a connection of its own: for the project's ~350 data tests that was about 1,100 events
and 2.5-5 s of every refresh (benchmarks/README.md), for a second copy of what dbt already reports
(`<warehouse dir>/.build/refresh.log`, and the run's log in the UI). The checks of the Dagster side
(`no_overdue_reports`, `every_unit_scored`, `in_step_with_warehouse`) are asset checks as before."""


import shutil
from pathlib import Path
from typing import Any, Mapping

from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from .project import dbt_project
from .resources import OWNER, WarehouseResource

DBT_PROJECT = dbt_project()
DBT_PROJECT.prepare_if_dev()  # parses the project under `dagster dev` only; elsewhere `make setup` did


class EmulationTranslator(DagsterDbtTranslator):
    """dbt models grouped by layer (staging, intermediate, marts), owned by the data team."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "marts"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]):
        return [OWNER]


def seed_partial_parse(target: Path) -> None:
    """Start a new warehouse's dbt target directory from the project's own parse (`make setup`, or
    `prepare_manifest`): dbt then parses only what changed since, not the whole project (about 3 s). dbt checks
    the state it finds (files, profile, version) and parses again whatever differs, so a stale copy costs time,
    never correctness."""
    state = target / "partial_parse.msgpack"
    parsed = DBT_PROJECT.target_path / "partial_parse.msgpack"
    if not state.exists() and parsed.exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(parsed, state)


@dbt_assets(manifest=DBT_PROJECT.manifest_path, project=DBT_PROJECT, dagster_dbt_translator=EmulationTranslator(
    settings=DagsterDbtTranslatorSettings(enable_asset_checks=False)))
def emulation_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build` in the build database, which dbt finds beside its target directory (dbt_project/profiles.yml)."""
    paths = warehouse.paths()
    if not paths.build_db.exists():
        raise RuntimeError(
            f"no build database at {paths.build_db}: the dbt models are built from the raw tables a refresh "
            "lands first. Materialize the whole job `refresh_warehouse` (or run `emulation refresh`), not the "
            "dbt assets alone.")
    seed_partial_parse(paths.dbt_target)
    yield from dbt.cli(["build"], context=context, target_path=paths.dbt_target).stream()
