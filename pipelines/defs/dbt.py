"""The dbt models as Dagster assets: one `dbt build` (models, data tests as asset checks, unit tests) per run."""


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


@dbt_assets(manifest=DBT_PROJECT.manifest_path, project=DBT_PROJECT, dagster_dbt_translator=EmulationTranslator())
def emulation_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build` in the build database, which dbt finds beside its target directory (dbt_project/profiles.yml)."""
    paths = warehouse.paths()
    if not paths.build_db.exists():
        raise RuntimeError(
            f"no build database at {paths.build_db}: the dbt models are built from the raw tables a refresh "
            "lands first. Materialize the whole job `refresh_warehouse` (or run `emulation refresh`), not the "
            "dbt assets alone.")
    yield from dbt.cli(["build"], context=context, target_path=paths.dbt_target).stream()
