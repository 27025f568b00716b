"""The dbt models as Dagster assets: one `dbt build` (models, data tests as asset checks, unit tests) per run."""


import shutil
from pathlib import Path
from typing import Any, Mapping

from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

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


@dbt_assets(manifest=DBT_PROJECT.manifest_path, project=DBT_PROJECT, dagster_dbt_translator=EmulationTranslator())
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
